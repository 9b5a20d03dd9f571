// The encoder's pipeline against the float64 reference (test/golden/encoder.json),
// including the worked example: "I love machine learning" with its 3-d embeddings
// ([0.1, 0.3, 0.5] …) and positional rows ([0.01, 0.02, 0.03] …), whose sums are
// [0.11, 0.32, 0.53] … [0.44, 0.65, 0.86].
// Tolerance: ACCURACY.encoder (f32 additions of values < 1 and a small f32 layer).

import { describe, expect, it } from 'vitest';
import { ACCURACY, type AttentionParams, type EncoderConfig, type Positional } from 'attnkit';
import { bothEngines } from './helpers/engines.js';
import { expectGolden, f32, f64, loadGolden } from './helpers/golden.js';

const TOLERANCE = ACCURACY.encoder;
const engines = await bothEngines();

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  it.each(loadGolden('encoder'))('$name', (c) => {
    const options = c.options as { dim: number; positional: unknown; attention?: { numHeads: number; causal: boolean } };
    const positional = (typeof options.positional === 'object' && options.positional !== null && 'learned' in options.positional
      ? { learned: f32((options.positional as { learned: string }).learned) }
      : options.positional) as Positional;
    const config: EncoderConfig = { table: f32(c.inputs.table), dim: options.dim, positional };
    if (options.attention) {
      const p = c.inputs.params as Record<string, string>;
      const params = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, f32(v)])) as unknown as AttentionParams;
      config.attention = { params, numHeads: options.attention.numHeads, causal: options.attention.causal };
    }
    const encoder = engines[backend].encoder(config);
    const result = encoder.encode(c.inputs.ids as number[]);
    encoder.dispose();
    expectGolden(result.inputs, f64(c.expected.inputs), TOLERANCE, `${c.name}: inputs`);
    expectGolden(result.output, f64(c.expected.output), TOLERANCE, `${c.name}: output`);
    if (c.expected.weights !== undefined) expectGolden(result.weights!, f64(c.expected.weights), TOLERANCE, `${c.name}: weights`);
    else expect(result.weights).toBeUndefined();
  });

  it("reproduces the worked example's sums to the printed two decimals", () => {
    const seed = loadGolden('encoder').find((c) => c.name.startsWith('worked example: embeddings'))!;
    const encoder = engines[backend].encoder({ table: f32(seed.inputs.table), dim: 3, positional: { learned: f32((seed.options.positional as { learned: string }).learned) } });
    const sums = Array.from(encoder.encode([0, 1, 2, 3]).inputs, (v) => Math.round(v * 100) / 100);
    encoder.dispose();
    expect(sums).toEqual([0.11, 0.32, 0.53, 0.22, 0.43, 0.64, 0.33, 0.54, 0.75, 0.44, 0.65, 0.86]);
  });
});
