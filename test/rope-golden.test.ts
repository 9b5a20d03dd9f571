// Rotary embedding against HF-style rotate_half and interleaved references in float64
// (test/golden/rope.json). The f32 rotation (a rounding per product and per sum, cos/sin
// rounded to f32) stays within ACCURACY.rope × max |x| of each case's N(0, 1) inputs.

import { describe, it } from 'vitest';
import { ACCURACY, type RopeOptions } from 'attnkit';
import { bothEngines } from './helpers/engines.js';
import { expectGolden, f32, f64, loadGolden } from './helpers/golden.js';

const engines = await bothEngines();

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  it.each(loadGolden('rope'))('$name', (c) => {
    const { positions, ...rest } = c.options as Omit<RopeOptions, 'positions'> & { positions?: number[] };
    const opts: RopeOptions = { ...rest, ...(positions ? { positions: Int32Array.from(positions) } : {}) };
    const x = f32(c.inputs.x);
    const scale = x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expectGolden(engines[backend].rope(x, opts), f64(c.expected.output), ACCURACY.rope * scale, c.name);
  });
});
