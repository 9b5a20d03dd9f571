// Sinusoidal encoding against the float64 definition (test/golden/sinusoidal.json).
// Computed in f64 and rounded once to f32: within half an ulp of values in [−1, 1] (6e-8),
// plus the f64 libraries' last-bit differences: ACCURACY.sinusoidal, one f32 ulp at 1.

import { ACCURACY } from 'attnkit';
import { describe, it } from 'vitest';
import { bothEngines } from './helpers/engines.js';
import { expectGolden, f64, loadGolden } from './helpers/golden.js';

const TOLERANCE = ACCURACY.sinusoidal;
const engines = await bothEngines();

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  it.each(loadGolden('sinusoidal'))('$name', (c) => {
    const { seqLen, dim, base, offset } = c.options as { seqLen: number; dim: number; base: number; offset: number };
    expectGolden(engines[backend].sinusoidalEncoding(seqLen, dim, { base, offset }), f64(c.expected.output), TOLERANCE, c.name);
  });
});
