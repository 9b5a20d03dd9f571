// Attention against the float64 reference softmax(q·kᵀ·scale + mask)·v with GQA, causal,
// masks and padding (test/golden/attention.json; rows with every key masked are zeros).
// Tolerances: ACCURACY.attention (N(0, 1) inputs, f32 scores, exp and sums), the bound for
// fewer than 256 keys and, at sequence 512, the one for more.

import { describe, it } from 'vitest';
import { ACCURACY, type AttentionOptions } from 'attnkit';
import { bothEngines } from './helpers/engines.js';
import { expectGolden, f32, f64, loadGolden } from './helpers/golden.js';

const engines = await bothEngines();

function tolerance(opts: AttentionOptions): number {
  return opts.seqK >= 256 ? ACCURACY.attention.manyKeys : ACCURACY.attention.fewKeys;
}

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  it.each(loadGolden('attention'))('$name', (c) => {
    const opts = { ...(c.options as unknown as AttentionOptions) };
    if (c.inputs.mask !== undefined) opts.mask = f32(c.inputs.mask);
    if (c.inputs.keyPaddingMask !== undefined) opts.keyPaddingMask = Uint8Array.from(c.inputs.keyPaddingMask as number[]);
    const result = engines[backend].attention(f32(c.inputs.q), f32(c.inputs.k), f32(c.inputs.v), opts);
    expectGolden(result.output, f64(c.expected.output), tolerance(opts), `${c.name}: output`);
    if (c.expected.weights !== undefined) expectGolden(result.weights!, f64(c.expected.weights), tolerance(opts), `${c.name}: weights`);
  });
});
