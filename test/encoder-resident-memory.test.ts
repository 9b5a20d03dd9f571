// What the wasm encoder keeps between calls: the positional table (sinusoidal rows
// computed once and regrown for longer sequences) and the working block of the fused
// lookup + add (grown to the longest sequence so far). Calls at lengths already seen take
// no more memory, dispose() gives it all back, and results are JS-owned arrays, never
// views of the engine's memory.

import { createEngine, type Engine } from 'attnkit';
import { beforeAll, expect, it } from 'vitest';
import { rng, uniform } from './helpers/random.js';

let engine: Engine;
beforeAll(async () => {
  engine = await createEngine({ backend: 'wasm' });
});

const dim = 64;
const rows = 500;
const table = uniform(rng(41), rows * dim);
const seq = (n: number) => Array.from({ length: n }, (_, i) => (i * 37 + 11) % rows);
/** What encode must return: the stateless lookup plus the stateless sinusoidal table. */
const expected = (n: number) => {
  const pe = engine.sinusoidalEncoding(n, dim);
  return engine.embeddingLookup(table, dim, seq(n)).map((x, i) => x + pe[i]);
};

it('grows its positional rows and working block for longer sequences, with the right values at every length', () => {
  const enc = engine.encoder({ table, dim, positional: 'sinusoidal' });
  // Short, longer (grows), shorter again (reuses), longer than twice the rows (grows past ×2).
  for (const n of [3, 3, 1, 16, 2, 17, 40, 5, 129, 0, 128]) {
    // f32 adds of the same f32 values as the stateless ops: identical.
    expect(enc.encode(seq(n)).inputs, `n = ${n}`).toEqual(expected(n));
  }
  enc.dispose();
});

it('calls at lengths already seen take no more memory', () => {
  const enc = engine.encoder({ table, dim, positional: 'sinusoidal' });
  enc.encode(seq(300)); // the longest: sets the positional rows and the working block
  const bytes = engine.memoryBytes;
  const out = new Float32Array(300 * dim);
  for (let i = 0; i < 300; i++) {
    enc.encode(seq(1 + ((i * 7) % 300)));
    enc.encode(seq(300), out);
  }
  expect(engine.memoryBytes).toBe(bytes);
  enc.dispose();
});

it('dispose gives back the positional rows and the working block: create, encode, dispose 300 times stays flat', () => {
  // Each round keeps 300 positional rows and a 300-row working block (2 × 77 KB): kept
  // after dispose, 300 rounds would need 46 MB more.
  const round = () => {
    const enc = engine.encoder({ table, dim, positional: 'sinusoidal' });
    enc.encode(seq(300));
    enc.dispose();
  };
  round();
  const bytes = engine.memoryBytes;
  for (let i = 0; i < 300; i++) round();
  expect(engine.memoryBytes).toBe(bytes);
});

it('results own their memory: not views of the engine, intact after the next call and after the memory grows', () => {
  const enc = engine.encoder({ table, dim, positional: { learned: uniform(rng(42), 64 * dim, 0.1) } });
  const first = enc.encode(seq(64)).inputs;
  const copy = first.slice();
  // A view of the engine's memory would share its (much larger) buffer.
  expect(first.byteOffset).toBe(0);
  expect(first.buffer.byteLength).toBe(64 * dim * 4);
  enc.encode(seq(64).reverse()); // the working block is overwritten
  expect(first).toEqual(copy);
  const bytes = engine.memoryBytes;
  const big = engine.embedding(uniform(rng(43), 1024 * 1024 * 8), 64); // 32 MiB: the memory grows
  expect(engine.memoryBytes).toBeGreaterThan(bytes);
  expect(first).toEqual(copy);
  expect(enc.encode(seq(64)).inputs).toEqual(copy);
  big.dispose();
  enc.dispose();
});
