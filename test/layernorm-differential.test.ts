// layerNorm, wasm against ts and both against the float64 reference, seeded random rows around the SIMD edges (widths 1…9, 384,
// 1000), with and without bias, with `out`, and the input left untouched.
// Tolerance: both are within ACCURACY.layerNorm of float64, so they differ by at most twice that.

import { ACCURACY } from 'attnkit';
import { describe, expect, it } from 'vitest';
import { expectClose } from './helpers/compare.js';
import { bothEngines } from './helpers/engines.js';
import * as reference from './helpers/reference.js';
import { int, normal, rng } from './helpers/random.js';

const TOLERANCE = 2 * ACCURACY.layerNorm;
const { wasm, ts } = await bothEngines();

describe('layerNorm: wasm equals ts', () => {
  it.each([1, 2, 3, 4, 5, 7, 8, 9, 384, 1000].map((dim, i) => ({ dim, seed: 100 + i })))('dim $dim (seed $seed)', ({ dim, seed }) => {
    const random = rng(seed);
    const rows = int(random, 0, 6);
    const x = normal(random, rows * dim, 2);
    const weight = normal(random, dim);
    const bias = seed % 2 === 0 ? normal(random, dim) : undefined;
    const eps = seed % 3 === 0 ? 1e-12 : 1e-5;
    const copy = x.slice();
    const a = wasm.layerNorm(x, weight, bias, { dim, eps });
    const out = new Float32Array(x.length).fill(NaN);
    const b = ts.layerNorm(x, weight, bias, { dim, eps }, out);
    expect(b).toBe(out);
    expectClose(a, b, TOLERANCE, `dim ${dim} seed ${seed}`);
    const exact = reference.layerNorm(x, dim, weight, bias, eps);
    expectClose(a, exact, ACCURACY.layerNorm, `dim ${dim} seed ${seed}: wasm vs the float64 reference`);
    expectClose(b, exact, ACCURACY.layerNorm, `dim ${dim} seed ${seed}: ts vs the float64 reference`);
    expect(x).toEqual(copy);
  });

  it('a constant row becomes the bias (variance 0: only eps in the root)', () => {
    for (const engine of [wasm, ts]) {
      const out = engine.layerNorm(new Float32Array(12).fill(3.5), new Float32Array(12).fill(2), new Float32Array(12).fill(0.25), { dim: 12 });
      expect(Array.from(out)).toEqual(new Array(12).fill(0.25));
    }
  });
});
