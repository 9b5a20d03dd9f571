// linear against torch.nn.functional.linear in float64 (test/golden/linear.json), on both
// backends. Tolerance: x N(0, 1), W N(0, 1/K), K ≤ 384: outputs of a few units, f32 sums of
// K products (wasm) within 1e-6·K relative to Σ|x·w| ≈ √K: 2e-5 at K = 384.

import { ACCURACY } from 'attnkit';
import { describe, it } from 'vitest';
import { bothEngines } from './helpers/engines.js';
import { expectGolden, f32, f64, loadGolden } from './helpers/golden.js';

const TOLERANCE = ACCURACY.linear;
const engines = await bothEngines();

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  it.each(loadGolden('linear'))('$name', (c) => {
    const opts = c.options as { inFeatures: number; outFeatures: number };
    const bias = c.inputs.bias !== undefined ? f32(c.inputs.bias) : undefined;
    const out = engines[backend].linear(f32(c.inputs.x), f32(c.inputs.weight), bias, opts);
    expectGolden(out, f64(c.expected.output), TOLERANCE, c.name);
  });
});
