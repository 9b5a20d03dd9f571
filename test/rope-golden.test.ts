// Rotary embedding against HF-style rotate_half and interleaved references in float64
// (test/golden/rope.json). Inputs are N(0, 1), |x| < 5: the f32 rotation (a rounding per
// product and per sum, cos/sin rounded to f32) stays within a few ulp at 4, i.e. 2e-6.

import { describe, it } from 'vitest';
import type { RopeOptions } from 'attnkit';
import { bothEngines } from './helpers/engines.js';
import { expectGolden, f32, f64, loadGolden } from './helpers/golden.js';

const TOLERANCE = 2e-6;
const engines = await bothEngines();

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  it.each(loadGolden('rope'))('$name', (c) => {
    const { positions, ...rest } = c.options as Omit<RopeOptions, 'positions'> & { positions?: number[] };
    const opts: RopeOptions = { ...rest, ...(positions ? { positions: Int32Array.from(positions) } : {}) };
    expectGolden(engines[backend].rope(f32(c.inputs.x), opts), f64(c.expected.output), TOLERANCE, c.name);
  });
});
