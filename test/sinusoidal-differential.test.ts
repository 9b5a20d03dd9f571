// wasm vs ts sinusoidal encoding on 240 seeded random shapes, bases and offsets.
// Both backends compute the angle and sin/cos in f64 and round once to f32; their f64
// libraries (Rust's libm, the JS engine's) may differ in the last f64 bit, which moves
// the f32 result by at most 1 ulp: 1.2e-7 for values in [−1, 1].

import { ACCURACY } from 'attnkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose } from './helpers/compare.js';
import * as reference from './helpers/reference.js';
import { bothEngines, type Engines } from './helpers/engines.js';
import { int, pick, rng } from './helpers/random.js';

const ONE_ULP_AT_ONE = ACCURACY.sinusoidal;

let engines: Engines;
beforeAll(async () => {
  engines = await bothEngines();
});

describe('sinusoidalEncoding: wasm vs ts vs the float64 reference', () => {
  const cases = Array.from({ length: 240 }, (_, i) => {
    const random = rng(2000 + i);
    return {
      seed: 2000 + i,
      seqLen: pick(random, [0, 1, 2, int(random, 3, 40), int(random, 41, 600)]),
      dim: pick(random, [1, 2, 3, 4, 5, 7, 8, 17, int(random, 9, 200)]),
      base: pick(random, [10000, 10000, 500, 1e6, 1 + random() * 100]),
      offset: pick(random, [0, 0, 1, int(random, 2, 5000), 100000]),
    };
  });

  it('covers odd dims, dim 1 and seqLen 0', () => {
    expect(cases.some((c) => c.dim === 1)).toBe(true);
    expect(cases.some((c) => c.dim % 2 === 1 && c.dim > 1)).toBe(true);
    expect(cases.some((c) => c.seqLen === 0)).toBe(true);
  });

  it.each(cases)('seed $seed: [$seqLen, $dim] base $base offset $offset', ({ seqLen, dim, base, offset }) => {
    const opts = { base, offset };
    const expected = engines.ts.sinusoidalEncoding(seqLen, dim, opts);
    const actual = engines.wasm.sinusoidalEncoding(seqLen, dim, opts);
    expectClose(actual, expected, ONE_ULP_AT_ONE, `[${seqLen}, ${dim}]`);
    const exact = reference.sinusoidalEncoding(seqLen, dim, base, offset);
    expectClose(actual, exact, ONE_ULP_AT_ONE, `[${seqLen}, ${dim}]: wasm vs the float64 reference`);
    expectClose(expected, exact, ONE_ULP_AT_ONE, `[${seqLen}, ${dim}]: ts vs the float64 reference`);
  });
});
