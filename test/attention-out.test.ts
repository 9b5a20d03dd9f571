// attention into a caller's `out`: the same bits as a fresh output, `out` returned as
// `output` (weights still fresh), on both backends, one thread and two, and across the
// one-kv-head-at-a-time path of large calls; a second call into the same `out` overwrites
// every element.

import { createEngine, type Engine } from 'attnkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectSameBits } from './helpers/bits.js';
import { rng, uniform } from './helpers/random.js';

const engines: Record<string, Engine> = {};
beforeAll(async () => {
  engines.wasm = await createEngine({ backend: 'wasm' });
  engines.ts = await createEngine({ backend: 'ts' });
  engines['wasm, 2 threads'] = await createEngine({ backend: 'wasm', threads: 2 });
});

describe.each(['wasm', 'ts', 'wasm, 2 threads'])('%s', (name) => {
  it('fills out with the bits of a fresh output (GQA, causal, mask, padding, weights)', () => {
    const engine = engines[name];
    const random = rng(77);
    const [B, S, T, H, Hkv, D] = [2, 37, 300, 4, 2, 16];
    const q = uniform(random, B * S * H * D);
    const k = uniform(random, B * T * Hkv * D);
    const v = uniform(random, B * T * Hkv * D);
    const mask = uniform(random, S * T);
    const keyPaddingMask = Uint8Array.from({ length: B * T }, (_, i) => (i % 5 === 2 ? 1 : 0));
    const opts = { batch: B, seqQ: S, seqK: T, numHeads: H, numKvHeads: Hkv, headDim: D, causal: true, mask, keyPaddingMask, returnWeights: true };
    const want = engine.attention(q, k, v, opts);
    const out = new Float32Array(B * S * H * D).fill(Number.NaN);
    const got = engine.attention(q, k, v, opts, out);
    expect(got.output).toBe(out);
    expectSameBits(out, want.output, 'output into out');
    expectSameBits(got.weights!, want.weights!, 'weights');
    // A second call into the same array: every element is written again.
    const other = uniform(random, q.length);
    const again = engine.attention(other, k, v, { ...opts, returnWeights: false }, out);
    expect(again.output).toBe(out);
    expectSameBits(out, engine.attention(other, k, v, { ...opts, returnWeights: false }).output, 'second call into out');
  });
});

it('a call large enough to go one kv head at a time fills out alike (wasm)', () => {
  // The weights [12, 1200, 1200] alone are 66 MiB, over BY_HEAD_BYTES = 64 MiB.
  const engine = engines.wasm;
  const random = rng(78);
  const [S, H, D] = [1200, 12, 64];
  const q = uniform(random, S * H * D);
  const k = uniform(random, S * H * D);
  const v = uniform(random, S * H * D);
  const opts = { seqQ: S, seqK: S, numHeads: H, headDim: D, causal: true, returnWeights: true };
  const want = engine.attention(q, k, v, opts);
  const out = new Float32Array(S * H * D);
  const got = engine.attention(q, k, v, opts, out);
  expect(got.output).toBe(out);
  expectSameBits(out, want.output, 'by head into out');
  expectSameBits(got.weights!, want.weights!, 'weights by head');
}, 60_000);
