// createEngine({ threads }): with 2 threads, attention (GQA, masks, causal, padding,
// weights), multiHeadAttention and a resident layer give bit-identical results to 1 thread
// (same kernel, same per-head and per-row order); bad `threads` values are rejected before
// any work; `engine.threads` reports what is used. Sizes are above the 2^22 multiply-adds
// under which a call stays on the main thread, and split across batches and rows.

import { createEngine, type Engine } from 'attnkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { rng, uniform } from './helpers/random.js';

let one: Engine;
let two: Engine;
beforeAll(async () => {
  one = await createEngine({ backend: 'wasm' });
  two = await createEngine({ backend: 'wasm', threads: 2 });
});

/** Bit-identical, NaN included (toEqual would also accept +0 for −0). */
function expectSameBits(actual: Float32Array | undefined, expected: Float32Array | undefined): void {
  expect(actual).toBeDefined();
  expect(actual!.length).toBe(expected!.length);
  const a = new Uint32Array(actual!.buffer, actual!.byteOffset, actual!.length);
  const e = new Uint32Array(expected!.buffer, expected!.byteOffset, expected!.length);
  let first = -1;
  for (let i = 0; i < a.length && first < 0; i++) if (a[i] !== e[i]) first = i;
  expect(first, first < 0 ? '' : `first difference at ${first}: ${actual![first]} vs ${expected![first]}`).toBe(-1);
}

it('engine.threads reports the threads used', async () => {
  expect(one.threads).toBe(1);
  expect(two.threads).toBe(2);
  expect((await createEngine({ backend: 'ts', threads: 2 })).threads).toBe(1);
  expect((await createEngine({ backend: 'wasm', threads: 1 })).threads).toBe(1);
});

it.each([0, -1, 1.5, Number.NaN, Infinity, 257])('threads: %s is a RangeError', async (threads) => {
  await expect(createEngine({ backend: 'wasm', threads })).rejects.toThrow(RangeError);
  await expect(createEngine({ backend: 'wasm', threads })).rejects.toThrow(/createEngine: options\.threads must be an integer in \[1, 256\]/);
});

it('threads: "2" is a TypeError', async () => {
  await expect(createEngine({ backend: 'wasm', threads: '2' as unknown as number })).rejects.toThrow(TypeError);
});

describe('attention', () => {
  // B 3, Hkv 3: 9 (batch, kv head) units, split 4 | 5 across a batch boundary.
  const B = 3, S = 96, T = 112, H = 6, Hkv = 3, D = 32;
  const random = rng(41);
  const q = uniform(random, B * S * H * D);
  const k = uniform(random, B * T * Hkv * D);
  const v = uniform(random, B * T * Hkv * D);
  const base = { batch: B, seqQ: S, seqK: T, numHeads: H, numKvHeads: Hkv, headDim: D };
  const shared = uniform(random, S * T, 2);
  const perHead = uniform(random, B * H * S * T, 2);
  for (let i = 0; i < perHead.length; i += 7) perHead[i] = -Infinity;
  const padding = new Uint8Array(B * T).map((_, i) => (i % 5 === 0 || i >= 2 * T ? 1 : 0)); // batch 2: every key padded
  const cases: [string, object][] = [
    ['plain', {}],
    ['causal', { causal: true }],
    ['shared mask', { mask: shared }],
    ['per-head mask with −∞', { mask: perHead }],
    ['key padding (a batch all padded)', { keyPaddingMask: padding }],
    ['everything, with weights', { causal: true, mask: perHead, keyPaddingMask: padding, returnWeights: true, scale: 0.3 }],
    ['weights', { returnWeights: true }],
  ];
  it.each(cases)('%s: bit-identical to 1 thread', (_, extra) => {
    const opts = { ...base, ...extra };
    const expected = one.attention(q, k, v, opts);
    const actual = two.attention(q, k, v, opts);
    expectSameBits(actual.output, expected.output);
    if ('returnWeights' in extra) expectSameBits(actual.weights, expected.weights);
    else expect(actual.weights).toBeUndefined();
  });

  it.each([6, 2, 1])('numKvHeads %s (1: one unit per batch, batch 1 stays on one thread)', (kvHeads) => {
    const batch = kvHeads === 1 ? 1 : B;
    const opts = { ...base, batch, numKvHeads: kvHeads };
    const qq = uniform(random, batch * S * H * D);
    const kk = uniform(random, batch * T * kvHeads * D);
    const vv = uniform(random, batch * T * kvHeads * D);
    expectSameBits(two.attention(qq, kk, vv, opts).output, one.attention(qq, kk, vv, opts).output);
  });

  it('leaves its inputs untouched and is repeatable', () => {
    const copies = [q.slice(), k.slice(), v.slice()];
    const first = two.attention(q, k, v, base).output;
    expect([q, k, v]).toEqual(copies);
    expectSameBits(two.attention(q, k, v, base).output, first);
  });
});

describe('layers', () => {
  // 300 rows: row chunks of 160 split batch 1 (rope positions restart per batch).
  const B = 3, S = 100, E = 96, H = 6, Hkv = 3, D = E / H;
  const random = rng(43);
  const w = (rows: number) => uniform(random, rows * E, Math.sqrt(3 / E));
  const params = { wq: w(E), wk: w(Hkv * D), wv: w(Hkv * D), wo: w(E), bq: uniform(random, E, 0.1), bv: uniform(random, Hkv * D, 0.1), bo: uniform(random, E, 0.1) };
  const x = uniform(random, B * S * E);
  const kv = uniform(random, B * 120 * E);
  const padding = new Uint8Array(B * S).map((_, i) => (i % 9 === 4 ? 1 : 0));
  const dims = { embedDim: E, numHeads: H, numKvHeads: Hkv };
  const cases: [string, object][] = [
    ['self-attention', {}],
    ['rope, causal, weights', { rope: { base: 500, offset: 3 }, causal: true, returnWeights: true }],
    ['interleaved rope, padding, averaged weights', { rope: { interleaved: true }, keyPaddingMask: padding, returnWeights: true, averageWeights: true }],
    ['cross-attention (kv, seqK 120)', { kv, seqK: 120 }],
  ];
  it.each(cases)('multiHeadAttention, %s: bit-identical to 1 thread', (_, extra) => {
    const opts = { batch: B, seqLen: S, ...dims, ...extra };
    const expected = one.multiHeadAttention(x, params, opts);
    const actual = two.multiHeadAttention(x, params, opts);
    expectSameBits(actual.output, expected.output);
    if ('returnWeights' in extra) expectSameBits(actual.weights, expected.weights);
  });

  it('a resident layer (and a small call that stays on the main thread): bit-identical', () => {
    const config = { ...dims, rope: { base: 1000 }, causal: true };
    const a = one.selfAttention(params, config);
    const b = two.selfAttention(params, config);
    for (const seqLen of [S, 5]) {
      const opts = { batch: B, seqLen, returnWeights: true };
      const input = x.subarray(0, B * seqLen * E);
      const expected = a.forward(input, opts);
      const actual = b.forward(input, opts);
      expectSameBits(actual.output, expected.output);
      expectSameBits(actual.weights, expected.weights);
    }
    b.dispose();
    expect(() => b.forward(x, { batch: B, seqLen: S })).toThrow(/disposed/);
    a.dispose();
  });

  it('an encoder on a threaded engine matches 1 thread', () => {
    const table = uniform(random, 50 * E);
    const config = { table, dim: E, positional: 'sinusoidal' as const, attention: { params, numHeads: H, numKvHeads: Hkv } };
    const ids = Array.from({ length: 200 }, (_, i) => (i * 7) % 50);
    const expected = one.encoder(config).encode(ids);
    const actual = two.encoder(config).encode(ids);
    expectSameBits(actual.output, expected.output);
    expectSameBits(actual.weights, expected.weights);
  });
});
