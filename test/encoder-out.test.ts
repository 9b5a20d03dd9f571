// encoder.encode(ids, out): `out` receives the inputs (embeddings + positional rows) and is
// returned as `inputs` (and as `output` without attention); the same values as without
// it, on both backends, for every positional kind. A bad `out` or a bad id is rejected
// before any work and leaves `out` as it was.

import { beforeAll, describe, expect, it } from 'vitest';
import type { Positional } from 'attnkit';
import { expectRejects } from './helpers/bad-input.js';
import { bothEngines, type Engines } from './helpers/engines.js';
import { encoderFixture } from './helpers/encoder-fixture.js';
import { rng, uniform } from './helpers/random.js';

let engines: Engines;
beforeAll(async () => {
  engines = await bothEngines();
});

const dim = 8;
const { table, learned, params } = encoderFixture(31, dim, 40, 12);
const ids = [39, 0, 7, 7, 21];
const kinds: [string, Positional][] = [['none', 'none'], ['sinusoidal', 'sinusoidal'], ['learned', { learned }], ['rope', { rope: {} }]];

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  it.each(kinds)('positional %s: out is filled with the inputs and returned as inputs and output', (_, positional) => {
    const enc = engines[backend].encoder({ table, dim, positional });
    const fresh = enc.encode(ids);
    const out = new Float32Array(ids.length * dim).fill(NaN);
    const r = enc.encode(ids, out);
    expect(r.inputs).toBe(out);
    expect(r.output).toBe(out);
    // The same kernel on the same values: identical.
    expect(out).toEqual(fresh.inputs);
    enc.dispose();
  });

  it('with attention, out holds the inputs and the output and weights are fresh arrays', () => {
    const enc = engines[backend].encoder({ table, dim, positional: 'sinusoidal', attention: { params, numHeads: 2 } });
    const fresh = enc.encode(ids);
    const out = new Float32Array(ids.length * dim);
    const r = enc.encode(ids, out);
    expect(r.inputs).toBe(out);
    expect(r.output).not.toBe(out);
    expect(out).toEqual(fresh.inputs);
    expect(r.output).toEqual(fresh.output);
    expect(r.weights).toEqual(fresh.weights);
    enc.dispose();
  });

  it('the same out serves calls of one length over and over, and empty ids take an empty out', () => {
    const enc = engines[backend].encoder({ table, dim, positional: 'sinusoidal' });
    const out = new Float32Array(2 * dim);
    const a = enc.encode([1, 2], out).inputs.slice();
    const b = enc.encode([3, 4], out).inputs.slice();
    expect(enc.encode([1, 2], out).inputs).toEqual(a);
    expect(enc.encode([3, 4]).inputs).toEqual(b);
    expect(enc.encode([], new Float32Array(0)).inputs.length).toBe(0);
    enc.dispose();
  });

  it('a long sequence at a wide dim (several of the wasm kernel\'s 96 KiB chunks, the last one partial) fills out like the fresh result', () => {
    const wide = 768;
    const wideTable = uniform(rng(32), 50 * wide);
    const enc = engines[backend].encoder({ table: wideTable, dim: wide, positional: 'sinusoidal' });
    // 100 = 3 × 32 + 4 rows of 768 floats.
    const longIds = Array.from({ length: 100 }, (_, i) => (i * 13) % 50);
    const out = new Float32Array(100 * wide).fill(NaN);
    expect(enc.encode(longIds, out).inputs).toEqual(enc.encode(longIds).inputs);
    enc.dispose();
  });

  it('a bad out is a TypeError or RangeError naming out, thrown before any work', () => {
    const enc = engines[backend].encoder({ table, dim, positional: 'sinusoidal' });
    expectRejects(() => enc.encode([1, 2], new Float32Array(3 * dim)), RangeError, /encoder\.encode: out must hold \[ids\.length, dim\] = 16 elements, got length 24/);
    expectRejects(() => enc.encode([1], new Float64Array(dim) as unknown as Float32Array), TypeError, /encoder\.encode: out must be a Float32Array, got a Float64Array/);
    expectRejects(() => enc.encode([1], [0, 0, 0, 0, 0, 0, 0, 0] as unknown as Float32Array), TypeError, /encoder\.encode: out must be a Float32Array/);
    // A failed call leaves the encoder usable.
    expect(enc.encode([1]).inputs.length).toBe(dim);
    enc.dispose();
  });

  it('a bad id, or too many ids for the learned table, leaves out untouched', () => {
    const enc = engines[backend].encoder({ table, dim, positional: { learned } });
    const out = new Float32Array(2 * dim).fill(-7);
    expectRejects(() => enc.encode([1, 40], out), RangeError, /encoder\.encode: ids\[1\] = 40/);
    expect(Array.from(out)).toEqual(new Array(2 * dim).fill(-7));
    const long = new Float32Array(13 * dim).fill(-7);
    expectRejects(() => enc.encode(new Array(13).fill(0), long), RangeError, /exceeds the learned positional table's 12 positions/);
    expect(long.every((x) => x === -7)).toBe(true);
    enc.dispose();
    expectRejects(() => enc.encode([1], new Float32Array(dim)), Error, /encoder\.encode: this encoder was disposed/);
  });
});
