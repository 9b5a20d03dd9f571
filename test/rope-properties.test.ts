// Properties of rotary embeddings that hold for any input, on both backends.

import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose } from './helpers/compare.js';
import { bothEngines, type Engines } from './helpers/engines.js';
import { rng, uniform } from './helpers/random.js';

let engines: Engines;
beforeAll(async () => {
  engines = await bothEngines();
});

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  it('position 0 leaves a vector unchanged', () => {
    const x = uniform(rng(1), 3 * 8);
    expect(engines[backend].rope(x, { seqLen: 1, numHeads: 3, headDim: 8 })).toEqual(x);
  });

  it('rotation preserves the norm of every pair', () => {
    for (const interleaved of [false, true]) {
      const x = uniform(rng(2), 16);
      const y = engines[backend].rope(x, { seqLen: 1, numHeads: 1, headDim: 16, offset: 77, interleaved });
      for (let j = 0; j < 8; j++) {
        const [a, b] = interleaved ? [2 * j, 2 * j + 1] : [j, j + 8];
        // f32 rounding of unit-scale values: 1e-6.
        expect(Math.abs(Math.hypot(x[a], x[b]) - Math.hypot(y[a], y[b]))).toBeLessThan(1e-6);
      }
    }
  });

  it('q·k after rotation depends only on the distance between positions', () => {
    const q = uniform(rng(3), 32);
    const k = uniform(rng(4), 32);
    const at = (v: Float32Array, p: number) => engines[backend].rope(v, { seqLen: 1, numHeads: 1, headDim: 32, offset: p });
    const near = dot(at(q, 5), at(k, 2));
    const far = dot(at(q, 1005), at(k, 1002));
    // Two f32 rotations of 32 unit-scale values and a 32-term sum: 1e-5.
    expect(Math.abs(near - far)).toBeLessThan(1e-5);
  });

  it('offset + index equals the same explicit positions', () => {
    const x = uniform(rng(5), 2 * 4 * 2 * 6);
    const shape = { batch: 2, seqLen: 4, numHeads: 2, headDim: 6 };
    expect(engines[backend].rope(x, { ...shape, offset: 10, positions: Int32Array.from([0, 1, 2, 3]) })).toEqual(
      engines[backend].rope(x, { ...shape, offset: 0 }),
    );
    expect(engines[backend].rope(x, { ...shape, positions: Int32Array.from([10, 11, 12, 13]) })).toEqual(
      engines[backend].rope(x, { ...shape, offset: 10 }),
    );
  });

  it('rotates the pairs of each convention, as written out in f64', () => {
    const headDim = 6;
    const x = uniform(rng(6), headDim);
    const pos = 3;
    for (const interleaved of [false, true]) {
      const expected = new Float64Array(headDim);
      for (let j = 0; j < headDim / 2; j++) {
        const a = pos * 10000 ** ((-2 * j) / headDim);
        const [i1, i2] = interleaved ? [2 * j, 2 * j + 1] : [j, j + headDim / 2];
        expected[i1] = x[i1] * Math.cos(a) - x[i2] * Math.sin(a);
        expected[i2] = x[i2] * Math.cos(a) + x[i1] * Math.sin(a);
      }
      const actual = engines[backend].rope(x, { seqLen: 1, numHeads: 1, headDim, offset: pos, interleaved });
      // f32 rounding of unit-scale results: 4 ulp.
      expectClose(actual, expected, 5e-7, `interleaved ${interleaved}`);
    }
  });

  it('does not modify x, and fills a given out array', () => {
    const x = uniform(rng(7), 2 * 4);
    const before = x.slice();
    const out = new Float32Array(8);
    expect(engines[backend].rope(x, { seqLen: 2, numHeads: 1, headDim: 4, offset: 9 }, out)).toBe(out);
    expect(x).toEqual(before);
    expect(out).toEqual(engines[backend].rope(x, { seqLen: 2, numHeads: 1, headDim: 4, offset: 9 }));
  });
});
