// gelu, wasm against ts and both against the float64 reference (its erf a series, not the
// backends' rational function), both forms, seeded random lengths around the 4-lane edges and
// scales from 1e-3 to 30, with `out`, and x untouched. Tolerance: each is within
// ACCURACY.gelu of float64, so they differ by at most twice that.

import { ACCURACY } from 'attnkit';
import { describe, expect, it } from 'vitest';
import { bothEngines } from './helpers/engines.js';
import * as reference from './helpers/reference.js';
import { int, normal, rng } from './helpers/random.js';

const TOLERANCE = 2 * ACCURACY.gelu;
const { wasm, ts } = await bothEngines();

describe.each(['none', 'tanh'] as const)('gelu %s: wasm equals ts', (approximate) => {
  it.each([0, 1, 2, 3, 4, 5, 7, 9, 31, 1000].map((n, i) => ({ n, seed: 200 + i })))('length $n (seed $seed)', ({ n, seed }) => {
    const random = rng(seed);
    const x = normal(random, n, [1e-3, 1, 3, 30][int(random, 0, 3)]);
    const copy = x.slice();
    const a = wasm.gelu(x, { approximate });
    const out = new Float32Array(n);
    expect(ts.gelu(x, { approximate }, out)).toBe(out);
    const exact = reference.gelu(x, approximate === 'tanh');
    for (let i = 0; i < n; i++) {
      if (!(Math.abs(a[i] - out[i]) <= TOLERANCE)) throw new Error(`seed ${seed}: x = ${x[i]}: ${a[i]} vs ${out[i]}`);
      if (!(Math.abs(a[i] - exact[i]) <= ACCURACY.gelu)) throw new Error(`seed ${seed}: x = ${x[i]}: wasm ${a[i]} vs the reference ${exact[i]}`);
      if (!(Math.abs(out[i] - exact[i]) <= ACCURACY.gelu)) throw new Error(`seed ${seed}: x = ${x[i]}: ts ${out[i]} vs the reference ${exact[i]}`);
    }
    expect(x).toEqual(copy);
  });
});

it('the default is the erf form', () => {
  const x = Float32Array.of(-2, -0.5, 0.5, 1, 3);
  expect(wasm.gelu(x)).toEqual(wasm.gelu(x, { approximate: 'none' }));
  expect(ts.gelu(x, {})).toEqual(ts.gelu(x, { approximate: 'none' }));
  expect(wasm.gelu(x)).not.toEqual(wasm.gelu(x, { approximate: 'tanh' }));
});
