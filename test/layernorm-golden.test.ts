// layerNorm against torch.nn.functional.layer_norm in float64 (test/golden/layernorm.json),
// on both backends. Tolerance: N(0, 1) rows of up to 1024 with N(0, 1) weights: outputs of
// a few units, from f32 sums of ≤ 1024 terms (wasm) or f64 (ts), rounded to f32.

import { ACCURACY } from 'attnkit';
import { describe, it } from 'vitest';
import { bothEngines } from './helpers/engines.js';
import { expectGolden, f32, f64, loadGolden } from './helpers/golden.js';

const TOLERANCE = ACCURACY.layerNorm;
const engines = await bothEngines();

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  it.each(loadGolden('layernorm'))('$name', (c) => {
    const { dim, eps } = c.options as { dim: number; eps: number };
    const bias = c.inputs.bias !== undefined ? f32(c.inputs.bias) : undefined;
    const out = engines[backend].layerNorm(f32(c.inputs.x), f32(c.inputs.weight), bias, { dim, eps });
    expectGolden(out, f64(c.expected.output), TOLERANCE, c.name);
  });
});
