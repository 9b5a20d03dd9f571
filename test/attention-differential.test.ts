// wasm vs ts attention over 320 seeded random configurations: batch, seqQ ≠ seqK, GQA
// ratios 1/2/4/8, head widths not a multiple of 4, both mask shapes with −∞ entries, key
// padding, causal, custom scale, weights. The wasm kernel computes in f32 where the ts twin
// sums in f64: for unit-scale data, D ≤ 70 and T ≤ 48 they agree to 5e-6.
// Then 40 configurations with T from 257 to 1100: without weights the wasm kernel walks the
// keys in chunks of 256 with an online softmax, so these cross chunk boundaries.

import { beforeAll, describe, expect, it } from 'vitest';
import { ACCURACY, type AttentionOptions } from 'attnkit';
import { expectClose } from './helpers/compare.js';
import * as reference from './helpers/reference.js';
import { bothEngines, type Engines } from './helpers/engines.js';
import { int, pick, rng, uniform } from './helpers/random.js';

const TOLERANCE = ACCURACY.attention.fewKeys;

let engines: Engines;
beforeAll(async () => {
  engines = await bothEngines();
});

function makeCase(seed: number) {
  const random = rng(seed);
  const numKvHeads = pick(random, [1, 1, 2, 3]);
  const ratio = pick(random, [1, 2, 4, 8]);
  const numHeads = numKvHeads * ratio;
  const batch = pick(random, [1, 1, 2, 3]);
  const seqQ = pick(random, [0, 1, 2, int(random, 3, 17), int(random, 18, 48)]);
  const seqK = pick(random, [1, 2, int(random, 3, 17), int(random, 18, 48), seqQ || 1]);
  const headDim = pick(random, [1, 3, 4, 5, 8, 16, 17, int(random, 2, 70)]);
  const opts: AttentionOptions = { batch, seqQ, seqK, numHeads, numKvHeads, headDim };
  if (random() < 0.4) opts.causal = true;
  if (random() < 0.2) opts.scale = 0.05 + random() * 2;
  const maskKind = pick(random, ['none', 'none', 'shared', 'per-head']);
  if (maskKind !== 'none') {
    const length = maskKind === 'shared' ? seqQ * seqK : batch * numHeads * seqQ * seqK;
    const mask = uniform(random, length, 2);
    for (let i = 0; i < length; i++) if (random() < 0.15) mask[i] = -Infinity;
    opts.mask = mask;
  }
  if (random() < 0.3) opts.keyPaddingMask = Uint8Array.from({ length: batch * seqK }, () => (random() < 0.3 ? 1 + int(random, 0, 254) : 0));
  if (random() < 0.5) opts.returnWeights = true;
  return { seed, opts, q: uniform(random, batch * seqQ * numHeads * headDim), k: uniform(random, batch * seqK * numKvHeads * headDim), v: uniform(random, batch * seqK * numKvHeads * headDim) };
}

describe('attention: wasm vs ts vs the float64 reference', () => {
  const cases = Array.from({ length: 320 }, (_, i) => makeCase(4000 + i));

  it('covers GQA ratios 1/2/4/8, head widths not a multiple of 4, both masks, padding, causal', () => {
    for (const r of [1, 2, 4, 8]) expect(cases.some((c) => c.opts.numHeads / c.opts.numKvHeads! === r)).toBe(true);
    expect(cases.some((c) => c.opts.headDim % 4 !== 0)).toBe(true);
    expect(cases.some((c) => c.opts.mask?.length === c.opts.seqQ * c.opts.seqK && c.opts.seqQ > 0)).toBe(true);
    expect(cases.some((c) => c.opts.mask && c.opts.mask.length !== c.opts.seqQ * c.opts.seqK)).toBe(true);
    expect(cases.some((c) => c.opts.keyPaddingMask && c.opts.causal)).toBe(true);
    expect(cases.some((c) => c.opts.seqQ !== c.opts.seqK)).toBe(true);
  });

  it.each(cases)('seed $seed', ({ seed, opts, q, k, v }) => {
    const expected = engines.ts.attention(q, k, v, opts);
    const actual = engines.wasm.attention(q, k, v, opts);
    expectClose(actual.output, expected.output, TOLERANCE, `seed ${seed} output`);
    if (opts.returnWeights) expectClose(actual.weights!, expected.weights!, TOLERANCE, `seed ${seed} weights`);
    else expect(actual.weights).toBeUndefined();
    const exact = reference.attention(q, k, v, opts, opts.scale, opts);
    for (const [name, r] of [['wasm', actual], ['ts', expected]] as const) {
      expectClose(r.output, exact.output, TOLERANCE, `seed ${seed} ${name} output vs the float64 reference`);
      if (opts.returnWeights) expectClose(r.weights!, exact.weights, TOLERANCE, `seed ${seed} ${name} weights vs the float64 reference`);
    }
  });
});

describe('attention over several key chunks: wasm vs ts', () => {
  // f32 sums over up to 1100 keys against f64: 1e-5, as the S512 golden cases.
  const LONG_TOLERANCE = ACCURACY.attention.manyKeys;
  const cases = Array.from({ length: 40 }, (_, i) => {
    const random = rng(9000 + i);
    const numKvHeads = pick(random, [1, 2]);
    const numHeads = numKvHeads * pick(random, [1, 2]);
    const batch = pick(random, [1, 2]);
    const seqK = int(random, 257, 1100);
    const seqQ = pick(random, [1, int(random, 2, 70), seqK]);
    const headDim = pick(random, [4, 17, 64]);
    const opts: AttentionOptions = { batch, seqQ, seqK, numHeads, numKvHeads, headDim, causal: random() < 0.5 };
    const maskKind = pick(random, ['none', 'shared', 'per-head']);
    if (maskKind !== 'none') {
      const mask = uniform(random, maskKind === 'shared' ? seqQ * seqK : batch * numHeads * seqQ * seqK, 2);
      for (let j = 0; j < mask.length; j++) if (random() < 0.15) mask[j] = -Infinity;
      opts.mask = mask;
    }
    if (random() < 0.4) opts.keyPaddingMask = Uint8Array.from({ length: batch * seqK }, () => (random() < 0.3 ? 1 : 0));
    if (random() < 0.2) opts.returnWeights = true;
    return { seed: 9000 + i, opts, q: uniform(random, batch * seqQ * numHeads * headDim), k: uniform(random, batch * seqK * numKvHeads * headDim), v: uniform(random, batch * seqK * numKvHeads * headDim) };
  });

  it.each(cases)('seed $seed', ({ seed, opts, q, k, v }) => {
    const expected = engines.ts.attention(q, k, v, opts);
    const actual = engines.wasm.attention(q, k, v, opts);
    expectClose(actual.output, expected.output, LONG_TOLERANCE, `seed ${seed} output`);
    if (opts.returnWeights) expectClose(actual.weights!, expected.weights!, LONG_TOLERANCE, `seed ${seed} weights`);
  });
});
