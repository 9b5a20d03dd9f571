// linear, wasm against ts and both against the float64 reference, seeded random shapes across the GEMM's 4 × 8 tile edges, with
// and without bias, with `out`, and inputs untouched. Tolerance: wasm sums K products in
// f32 (≤ 1e-6·K relative to Σ|x·w|, here ≤ √K for W of scale 1/√K), ts in f64.

import { ACCURACY } from 'attnkit';
import { describe, expect, it } from 'vitest';
import { expectClose } from './helpers/compare.js';
import { bothEngines } from './helpers/engines.js';
import * as reference from './helpers/reference.js';
import { int, normal, rng } from './helpers/random.js';

const { wasm, ts } = await bothEngines();

describe('linear: wasm equals ts', () => {
  it.each(Array.from({ length: 16 }, (_, i) => 300 + i))('seed %i', (seed) => {
    const random = rng(seed);
    const m = int(random, 0, 9);
    const k = [1, 3, 4, 8, 13, 64, 384][int(random, 0, 6)];
    const n = int(random, 1, 19);
    const x = normal(random, m * k);
    const w = normal(random, n * k, 1 / Math.sqrt(k));
    const b = seed % 2 === 0 ? normal(random, n) : undefined;
    const [xc, wc] = [x.slice(), w.slice()];
    const a = wasm.linear(x, w, b, { inFeatures: k, outFeatures: n });
    const out = new Float32Array(m * n);
    expect(ts.linear(x, w, b, { inFeatures: k, outFeatures: n }, out)).toBe(out);
    expectClose(a, out, 1e-6 * k * Math.sqrt(k) + 1e-6, `seed ${seed}: m ${m} k ${k} n ${n}`);
    const exact = reference.linear(x, m, k, w, n, b);
    expectClose(a, exact, ACCURACY.linear, `seed ${seed}: wasm vs the float64 reference`);
    expectClose(out, exact, ACCURACY.linear, `seed ${seed}: ts vs the float64 reference`);
    expect(x).toEqual(xc);
    expect(w).toEqual(wc);
  });

  it('a one-hot weight row copies a column of x, plus the bias', () => {
    const x = Float32Array.of(1, 2, 3, 4, 5, 6); // [2, 3]
    const w = Float32Array.of(0, 1, 0, 0, 0, 1); // [2, 3]
    for (const engine of [wasm, ts]) {
      expect(Array.from(engine.linear(x, w, Float32Array.of(10, 20), { inFeatures: 3, outFeatures: 2 }))).toEqual([12, 23, 15, 26]);
    }
  });
});
