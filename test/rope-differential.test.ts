// wasm vs ts rotary embedding on 240 seeded random cases: both conventions, batch,
// offsets and explicit positions, headDim 2 and not a multiple of 4.
// The wasm kernel rotates in f32 (a rounding for each product and for the sum) where the
// ts twin rotates in f64 and rounds once: at most ~2 ulp of the pair's magnitude apart,
// so the tolerance is 4 ulp of the largest input (|x| ≤ 3 here): 4 · 2⁻²³ · 3.

import { ACCURACY } from 'attnkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose } from './helpers/compare.js';
import * as reference from './helpers/reference.js';
import { bothEngines, type Engines } from './helpers/engines.js';
import { int, pick, rng, uniform } from './helpers/random.js';

const SCALE = 3;
const TOLERANCE = ACCURACY.rope * SCALE;

let engines: Engines;
beforeAll(async () => {
  engines = await bothEngines();
});

describe('rope: wasm vs ts vs the float64 reference', () => {
  const cases = Array.from({ length: 240 }, (_, i) => {
    const seed = 3000 + i;
    const random = rng(seed);
    const seqLen = pick(random, [0, 1, int(random, 2, 9), int(random, 10, 70)]);
    return {
      seed,
      batch: pick(random, [1, 1, 2, 3]),
      seqLen,
      numHeads: pick(random, [1, 2, 3, 4, 8]),
      headDim: pick(random, [2, 4, 6, 8, 10, 14, 16, 18, 64, 2 * int(random, 1, 40)]),
      base: pick(random, [10000, 10000, 500000, 100]),
      interleaved: random() < 0.5,
      offset: pick(random, [0, 0, int(random, 1, 4000)]),
      positions: random() < 0.25 ? Int32Array.from({ length: seqLen }, () => int(random, -50, 9000)) : undefined,
    };
  });

  it('covers headDim 2 and headDim not a multiple of 4, both conventions', () => {
    expect(cases.some((c) => c.headDim === 2)).toBe(true);
    expect(cases.some((c) => c.headDim % 4 === 2 && c.headDim > 2)).toBe(true);
    expect(cases.some((c) => c.interleaved) && cases.some((c) => !c.interleaved)).toBe(true);
  });

  it.each(cases)('seed $seed: B$batch S$seqLen H$numHeads D$headDim interleaved $interleaved', (c) => {
    const x = uniform(rng(c.seed), c.batch * c.seqLen * c.numHeads * c.headDim, SCALE);
    const { seed: _seed, ...opts } = c;
    const expected = engines.ts.rope(x, opts);
    const actual = engines.wasm.rope(x, opts);
    expectClose(actual, expected, TOLERANCE, `seed ${c.seed}`);
    const positions = c.positions ?? Int32Array.from({ length: c.seqLen }, (_, i) => c.offset + i);
    const exact = reference.rope(x, c, positions, c.base, c.interleaved);
    expectClose(actual, exact, TOLERANCE, `seed ${c.seed}: wasm vs the float64 reference`);
    expectClose(expected, exact, TOLERANCE, `seed ${c.seed}: ts vs the float64 reference`);
  });
});
