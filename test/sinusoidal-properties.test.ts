// Properties of the sinusoidal encoding, on both backends.

import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose } from './helpers/compare.js';
import { bothEngines, type Engines } from './helpers/engines.js';

let engines: Engines;
beforeAll(async () => {
  engines = await bothEngines();
});

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  it('position 0 is [0, 1, 0, 1, …], ending with a sine column for odd dim', () => {
    expect(Array.from(engines[backend].sinusoidalEncoding(1, 5))).toEqual([0, 1, 0, 1, 0]);
  });

  it('rows are offset: encoding(4, offset 6) equals rows 6..9 of encoding(10)', () => {
    const long = engines[backend].sinusoidalEncoding(10, 6);
    expect(engines[backend].sinusoidalEncoding(4, 6, { offset: 6 })).toEqual(long.subarray(6 * 6));
  });

  it('each (sin, cos) column pair lies on the unit circle', () => {
    const pe = engines[backend].sinusoidalEncoding(50, 8);
    for (let p = 0; p < 50; p++) {
      for (let i = 0; i < 8; i += 2) {
        // f32 rounding of sin and cos: |sin² + cos² − 1| ≤ 4 ulp.
        expect(Math.abs(pe[p * 8 + i] ** 2 + pe[p * 8 + i + 1] ** 2 - 1)).toBeLessThan(5e-7);
      }
    }
  });

  it('matches the definition written out in f64 at the last column of a 768-wide table', () => {
    const dim = 768;
    const pe = engines[backend].sinusoidalEncoding(3, dim, { offset: 511 });
    const expected = [511, 512, 513].flatMap((p) => [Math.sin(p / 10000 ** (766 / dim)), Math.cos(p / 10000 ** (766 / dim))]);
    const actual = [0, 1, 2].flatMap((r) => [pe[r * dim + 766], pe[r * dim + 767]]);
    // f32 rounding of values in [−1, 1]: half an ulp, 6e-8.
    expectClose(actual, expected, 6e-8, 'last column pair');
  });
});
