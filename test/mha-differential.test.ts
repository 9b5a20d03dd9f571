// wasm vs ts multi-head attention over 120 seeded configurations (biases on/off, GQA,
// cross-attention, rope in both conventions, masks, averaged weights), and the resident
// layer against the stateless op on each backend. Four f32 projections of width ≤ 48
// around an f32 attention, unit-scale data: 2e-5.

import { beforeAll, describe, expect, it } from 'vitest';
import { ACCURACY, type AttentionParams, type MultiHeadAttentionOptions } from 'attnkit';
import { expectClose } from './helpers/compare.js';
import * as reference from './helpers/reference.js';
import { bothEngines, type Engines } from './helpers/engines.js';
import { int, pick, rng, uniform } from './helpers/random.js';

const TOLERANCE = ACCURACY.mha;

let engines: Engines;
beforeAll(async () => {
  engines = await bothEngines();
});

function makeCase(seed: number) {
  const random = rng(seed);
  const numKvHeads = pick(random, [1, 2]);
  const numHeads = numKvHeads * pick(random, [1, 2, 4]);
  const headDim = pick(random, [2, 4, 6, 8, 12]);
  const embedDim = numHeads * headDim;
  const kvWidth = numKvHeads * headDim;
  const batch = pick(random, [1, 2]);
  const seqLen = int(random, 1, 12);
  const cross = random() < 0.3;
  const seqK = cross ? int(random, 1, 12) : seqLen;
  const scale = Math.sqrt(1 / embedDim);
  const params: AttentionParams = { wq: uniform(random, embedDim * embedDim, scale), wk: uniform(random, kvWidth * embedDim, scale), wv: uniform(random, kvWidth * embedDim, scale), wo: uniform(random, embedDim * embedDim, scale) };
  if (random() < 0.6) Object.assign(params, { bq: uniform(random, embedDim, 0.1), bk: uniform(random, kvWidth, 0.1), bv: uniform(random, kvWidth, 0.1) });
  if (random() < 0.6) params.bo = uniform(random, embedDim, 0.1);
  const opts: MultiHeadAttentionOptions = { batch, seqLen, embedDim, numHeads, numKvHeads, returnWeights: random() < 0.7, averageWeights: random() < 0.3 };
  if (cross) Object.assign(opts, { kv: uniform(random, batch * seqK * embedDim), seqK });
  if (random() < 0.3) opts.causal = true;
  if (random() < 0.3) opts.rope = { base: pick(random, [10000, 500]), interleaved: random() < 0.5, offset: int(random, 0, 50) };
  if (random() < 0.2) opts.mask = uniform(random, seqLen * seqK);
  if (random() < 0.2) opts.keyPaddingMask = Uint8Array.from({ length: batch * seqK }, (_, j) => (j % seqK === 0 ? 0 : random() < 0.3 ? 1 : 0));
  return { seed, x: uniform(random, batch * seqLen * embedDim), params, opts };
}

describe('multiHeadAttention: wasm vs ts vs the float64 reference, resident vs stateless', () => {
  const cases = Array.from({ length: 120 }, (_, i) => makeCase(5000 + i));

  it('covers GQA, cross-attention, both rope conventions and averaged weights', () => {
    expect(cases.some((c) => c.opts.numKvHeads! < c.opts.numHeads)).toBe(true);
    expect(cases.some((c) => c.opts.kv !== undefined)).toBe(true);
    expect(cases.some((c) => c.opts.rope?.interleaved) && cases.some((c) => c.opts.rope && !c.opts.rope.interleaved)).toBe(true);
    expect(cases.some((c) => c.opts.averageWeights && c.opts.returnWeights)).toBe(true);
  });

  it.each(cases)('seed $seed', ({ seed, x, params, opts }) => {
    const expected = engines.ts.multiHeadAttention(x, params, opts);
    const actual = engines.wasm.multiHeadAttention(x, params, opts);
    expectClose(actual.output, expected.output, TOLERANCE, `seed ${seed} output`);
    const exact = reference.multiHeadAttention(x, params, opts);
    for (const [name, r] of [['wasm', actual], ['ts', expected]] as const) {
      expectClose(r.output, exact.output, TOLERANCE, `seed ${seed} ${name} output vs the float64 reference`);
      if (opts.returnWeights) expectClose(r.weights!, exact.weights, TOLERANCE, `seed ${seed} ${name} weights vs the float64 reference`);
    }
    if (opts.returnWeights) {
      const { batch = 1, seqLen, numHeads } = opts;
      const seqK = opts.seqK ?? seqLen;
      expect(actual.weights!.length).toBe(batch * (opts.averageWeights ? 1 : numHeads) * seqLen * seqK);
      expectClose(actual.weights!, expected.weights!, TOLERANCE, `seed ${seed} weights`);
    }
    const { embedDim, numHeads, numKvHeads, rope, ...call } = opts;
    for (const backend of ['wasm', 'ts'] as const) {
      const layer = engines[backend].selfAttention(params, { embedDim, numHeads, numKvHeads, rope });
      const resident = layer.forward(x, call);
      layer.dispose();
      // Same kernels, same order of operations: identical results.
      expect(resident.output).toEqual(backend === 'wasm' ? actual.output : expected.output);
    }
  });
});

it('a resident layer survives memory growth and ignores later changes to its params', async () => {
  const { x, params, opts } = makeCase(77);
  const { embedDim, numHeads, numKvHeads, rope, ...call } = opts;
  const layer = engines.wasm.selfAttention(params, { embedDim, numHeads, numKvHeads, rope });
  const before = layer.forward(x, call).output;
  const wqCopy = params.wq.slice();
  params.wq.fill(0);
  const big = engines.wasm.embedding(new Float32Array(8 * 1024 * 1024), 64); // 32 MiB: memory grows
  expect(layer.forward(x, call).output).toEqual(before);
  big.dispose();
  params.wq.set(wqCopy);
  layer.dispose();
  expect(() => layer.forward(x, call)).toThrow(/selfAttention\.forward: this layer was disposed/);
});
