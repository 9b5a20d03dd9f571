// Multi-head attention against torch.nn.MultiheadAttention(batch_first=True) in float64
// and, for what it cannot express (GQA, rope, partial biases), the explicit reference the
// generator cross-checks against it (test/golden/mha.json). Run stateless and as a
// resident layer. Tolerance: ACCURACY.mha (four f32 projections of width ≤ 64 around the
// attention).

import { describe, it } from 'vitest';
import { ACCURACY, type AttentionParams, type MultiHeadAttentionOptions } from 'attnkit';
import { bothEngines } from './helpers/engines.js';
import { expectGolden, f32, f64, loadGolden } from './helpers/golden.js';

const TOLERANCE = ACCURACY.mha;
const engines = await bothEngines();

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  it.each(loadGolden('mha'))('$name', (c) => {
    const engine = engines[backend];
    const params = Object.fromEntries(['wq', 'wk', 'wv', 'wo', 'bq', 'bk', 'bv', 'bo'].filter((n) => c.inputs[n] !== undefined).map((n) => [n, f32(c.inputs[n])])) as unknown as AttentionParams;
    const opts = { ...(c.options as unknown as MultiHeadAttentionOptions) };
    if (c.inputs.kv !== undefined) opts.kv = f32(c.inputs.kv);
    if (c.inputs.mask !== undefined) opts.mask = f32(c.inputs.mask);
    if (c.inputs.keyPaddingMask !== undefined) opts.keyPaddingMask = Uint8Array.from(c.inputs.keyPaddingMask as number[]);
    const x = f32(c.inputs.x);
    const expectedOut = f64(c.expected.output);
    const expectedWeights = f64(c.expected.weights);

    const stateless = engine.multiHeadAttention(x, params, opts);
    expectGolden(stateless.output, expectedOut, TOLERANCE, `${c.name}: output`);
    expectGolden(stateless.weights!, expectedWeights, TOLERANCE, `${c.name}: weights`);

    const { embedDim, numHeads, numKvHeads, rope, causal, ...call } = opts;
    const layer = engine.selfAttention(params, { embedDim, numHeads, numKvHeads, rope });
    const resident = layer.forward(x, { ...call, causal });
    layer.dispose();
    expectGolden(resident.output, expectedOut, TOLERANCE, `${c.name}: resident output`);
    expectGolden(resident.weights!, expectedWeights, TOLERANCE, `${c.name}: resident weights`);
  });
});
