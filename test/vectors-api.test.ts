// The WordVectors object: ids, vectors, errors naming the word, k and exclusions, ties by
// lower id, dispose; and an encoder that reads the resident rows in place.

import { describe, expect, it } from 'vitest';
import { bothEngines } from './helpers/engines.js';
import { word2vecText } from './helpers/vectors.js';

const engines = await bothEngines();
const words = ['a', 'b', 'c', 'd', 'e'];
// b and d are the same direction as a (a tie for a's nearest, broken by the lower id).
const table = Float32Array.from([1, 0, 0, 2, 0, 0, 0, 1, 0, 3, 0, 0, 0, 0, 1]);
const file = word2vecText(words, table, 3);

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  const engine = engines[backend];

  it('id, ids, vector and lookup', async () => {
    const v = await engine.loadVectors(file);
    expect(v.id('c')).toBe(2);
    expect(v.id('zz')).toBe(-1);
    expect(Array.from(v.ids(['e', 'a']))).toEqual([4, 0]);
    expect(() => v.ids(['a', 'zz'])).toThrow(/WordVectors.ids: words\[1\] = "zz" is not in the vocabulary/);
    const vec = v.vector('d');
    expect(Array.from(vec)).toEqual([3, 0, 0]);
    vec[0] = 99;
    expect(Array.from(v.vector(3))).toEqual([3, 0, 0]);
    expect(Array.from(v.lookup([1, 4]))).toEqual([2, 0, 0, 0, 0, 1]);
    expect(() => v.lookup([5])).toThrow(RangeError);
    v.dispose();
  });

  it('nearest: the query word excluded, ties by lower id, k and opts.exclude', async () => {
    const v = await engine.loadVectors(file);
    expect(v.nearest('a', 2).map((n) => n.word)).toEqual(['b', 'd']);
    expect(v.nearest('a', 2).map((n) => n.score)).toEqual([1, 1]);
    expect(v.nearest('a', 10, { exclude: ['b'] }).map((n) => n.word)).toEqual(['d', 'c', 'e']);
    expect(v.nearest('a', 0)).toEqual([]);
    expect(v.nearest(Float32Array.from([0, 5, 0]), 1)).toEqual([{ word: 'c', id: 2, score: 1 }]);
    expect(v.nearest('c')).toHaveLength(4);
    v.dispose();
  });

  it('unknown words and wrong queries throw, naming them', async () => {
    const v = await engine.loadVectors(file);
    expect(() => v.nearest('zz')).toThrow(/WordVectors.nearest: query = "zz" is not in the vocabulary/);
    expect(() => v.similarity('a', 'zz')).toThrow(/WordVectors.similarity: b = "zz" is not in the vocabulary/);
    expect(() => v.analogy('a', 'zz', 'c')).toThrow(/WordVectors.analogy: b = "zz"/);
    expect(() => v.vector('zz')).toThrow(RangeError);
    expect(() => v.nearest(new Float32Array(2))).toThrow(/WordVectors.nearest: query must hold dim = 3 elements, got length 2/);
    expect(() => v.nearest('a', -1)).toThrow(RangeError);
    expect(() => v.nearest('a', 3, { exclude: ['zz'] })).toThrow(/opts.exclude\[0\] = "zz"/);
    v.dispose();
    expect(() => v.nearest('a')).toThrow(/WordVectors.nearest: this WordVectors was disposed/);
    expect(() => v.lookup([0])).toThrow(Error);
  });

  it('similarity is the cosine; analogy excludes its three words', async () => {
    const v = await engine.loadVectors(file);
    expect(v.similarity('a', 'd')).toBe(1);
    expect(v.similarity('a', 'c')).toBe(0);
    const result = v.analogy('a', 'b', 'c', 10).map((n) => n.word);
    expect(result).not.toContain('a');
    expect(result).not.toContain('b');
    expect(result).not.toContain('c');
    expect(result).toHaveLength(2);
    v.dispose();
  });

  it('an encoder with table: vectors reads the resident rows without a copy', async () => {
    const dim = 64;
    const rows = 2000;
    const big = Float32Array.from({ length: rows * dim }, (_, i) => Math.sin(i));
    const names = Array.from({ length: rows }, (_, i) => `t${i}`);
    const v = await engine.loadVectors(word2vecText(names, big, dim), { dtype: 'int8' });
    const copy = engine.encoder({ table: v.lookup(Int32Array.from({ length: rows }, (_, i) => i)), dim, positional: 'sinusoidal' });
    const before = engine.memoryBytes;
    const enc = engine.encoder({ table: v, dim, positional: 'sinusoidal' });
    const ids = [5, 1999, 0, 5];
    expect(Array.from(enc.encode(ids).inputs)).toEqual(Array.from(copy.encode(ids).inputs));
    if (backend === 'wasm') expect(engine.memoryBytes).toBe(before);
    expect(() => engine.encoder({ table: v, dim: 3, positional: 'none' })).toThrow(/config.dim \(3\) must equal the word vectors' width \(64\)/);
    enc.dispose();
    // Disposing the encoder leaves the vectors usable.
    expect(Array.from(v.vector(5))).toEqual(Array.from(v.lookup([5])));
    const again = engine.encoder({ table: v, dim, positional: 'none' });
    v.dispose();
    expect(() => again.encode([0])).toThrow(/encoder.encode: this WordVectors was disposed/);
    copy.dispose();
  });
});

it('an encoder refuses word vectors of another engine', async () => {
  const v = await engines.ts.loadVectors(file);
  expect(() => engines.wasm.encoder({ table: v, dim: 3, positional: 'none' })).toThrow(/loaded by another engine/);
  v.dispose();
});
