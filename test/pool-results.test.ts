// createPool: every stateless op and every resident object through the pool gives the
// engine's result bit for bit (seeded inputs, wasm and ts workers); the caller's arrays are
// neither detached nor changed; arrays in a SharedArrayBuffer are shared; `out` arrays are
// filled; engine errors come back with their class and message.

import { createEngine, createPool, type Engine, type Pool } from 'attnkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSameBits } from './helpers/bits.js';
import { encoderFixture } from './helpers/encoder-fixture.js';
import { rng, uniform } from './helpers/random.js';

describe.each(['wasm', 'ts'] as const)('%s workers', (backend) => {
  let engine: Engine;
  let pool: Pool;
  beforeAll(async () => {
    engine = await createEngine({ backend });
    pool = await createPool({ size: 2, backend });
  });
  afterAll(() => pool.close());

  const random = rng(1201);
  const B = 2, S = 7, T = 9, H = 4, Hkv = 2, D = 8, E = H * D;

  it('embeddingLookup, with and without out', async () => {
    const table = uniform(random, 50 * 12);
    const ids = Int32Array.from({ length: 23 }, (_, i) => (i * 7) % 50);
    expectSameBits(await pool.embeddingLookup(table, 12, ids), engine.embeddingLookup(table, 12, ids), 'lookup');
    const out = new Float32Array(23 * 12);
    const result = await pool.embeddingLookup(table, 12, [...ids], out);
    expect(result).toBe(out);
    expectSameBits(out, engine.embeddingLookup(table, 12, ids), 'lookup into out');
  });

  it('sinusoidalEncoding', async () => {
    expectSameBits(await pool.sinusoidalEncoding(33, 17, { base: 500, offset: 3 }), engine.sinusoidalEncoding(33, 17, { base: 500, offset: 3 }), 'sinusoidal');
  });

  it('rope, with and without out', async () => {
    const x = uniform(random, B * S * H * D);
    const opts = { batch: B, seqLen: S, numHeads: H, headDim: D, interleaved: true, offset: 5 };
    expectSameBits(await pool.rope(x, opts), engine.rope(x, opts), 'rope');
    const out = new Float32Array(x.length);
    expect(await pool.rope(x, opts, out)).toBe(out);
    expectSameBits(out, engine.rope(x, opts), 'rope into out');
  });

  it('attention (GQA, causal, per-head mask, padding, weights)', async () => {
    const q = uniform(random, B * S * H * D);
    const k = uniform(random, B * T * Hkv * D);
    const v = uniform(random, B * T * Hkv * D);
    const mask = uniform(random, B * H * S * T);
    const keyPaddingMask = Uint8Array.from({ length: B * T }, (_, i) => (i % 4 === 1 ? 1 : 0));
    const opts = { batch: B, seqQ: S, seqK: T, numHeads: H, numKvHeads: Hkv, headDim: D, causal: true, mask, keyPaddingMask, returnWeights: true };
    const got = await pool.attention(q, k, v, opts);
    const want = engine.attention(q, k, v, opts);
    expectSameBits(got.output, want.output, 'output');
    expectSameBits(got.weights, want.weights, 'weights');
    const out = new Float32Array(B * S * H * D);
    const into = await pool.attention(q, k, v, opts, out);
    expect(into.output).toBe(out);
    expectSameBits(out, want.output, 'attention into out');
    expectSameBits(into.weights, want.weights, 'weights beside out');
  });

  it('multiHeadAttention (cross, rope, averaged weights)', async () => {
    const x = uniform(random, B * S * E);
    const kv = uniform(random, B * T * E);
    const params = { wq: uniform(random, E * E, 0.3), wk: uniform(random, (E / 2) * E, 0.3), wv: uniform(random, (E / 2) * E, 0.3), wo: uniform(random, E * E, 0.3), bo: uniform(random, E) };
    const opts = { batch: B, seqLen: S, embedDim: E, numHeads: H, numKvHeads: Hkv, kv, seqK: T, rope: { offset: 2 }, returnWeights: true, averageWeights: true };
    const got = await pool.multiHeadAttention(x, params, opts);
    const want = engine.multiHeadAttention(x, params, opts);
    expectSameBits(got.output, want.output, 'output');
    expectSameBits(got.weights, want.weights, 'weights');
  });

  it('layerNorm, gelu (both forms), linear, with and without out', async () => {
    const x = uniform(random, 5 * 24);
    const weight = uniform(random, 24);
    const bias = uniform(random, 24);
    expectSameBits(await pool.layerNorm(x, weight, bias, { dim: 24, eps: 1e-6 }), engine.layerNorm(x, weight, bias, { dim: 24, eps: 1e-6 }), 'layerNorm');
    expectSameBits(await pool.layerNorm(x, weight, undefined, { dim: 24 }), engine.layerNorm(x, weight, undefined, { dim: 24 }), 'layerNorm without bias');
    for (const approximate of ['none', 'tanh'] as const) expectSameBits(await pool.gelu(x, { approximate }), engine.gelu(x, { approximate }), `gelu ${approximate}`);
    const w = uniform(random, 7 * 24, 0.3);
    const out = new Float32Array(5 * 7);
    expect(await pool.linear(x, w, uniform(rng(3), 7), { inFeatures: 24, outFeatures: 7 }, out)).toBe(out);
    expectSameBits(out, engine.linear(x, w, uniform(rng(3), 7), { inFeatures: 24, outFeatures: 7 }), 'linear into out');
    expectSameBits(await pool.linear(x, w, undefined, { inFeatures: 24, outFeatures: 7 }), engine.linear(x, w, undefined, { inFeatures: 24, outFeatures: 7 }), 'linear');
  });

  it('embedding: lookup on every worker', async () => {
    const table = uniform(random, 40 * 6);
    const pooled = await pool.embedding(table, 6);
    const local = engine.embedding(table, 6);
    expect([pooled.rows, pooled.dim]).toEqual([40, 6]);
    const ids = [[1, 2, 3], [39, 0], [5, 5, 5, 5]];
    const got = await Promise.all(ids.map((i) => pooled.lookup(i)));
    got.forEach((rows, i) => expectSameBits(rows, local.lookup(ids[i]), `ids ${ids[i]}`));
    const out = new Float32Array(12);
    expect(await pooled.lookup([7, 8], out, {})).toBe(out);
    expectSameBits(out, local.lookup([7, 8]), 'lookup into out');
    pooled.dispose();
    await expect(pooled.lookup([1])).rejects.toThrow(/embedding\.lookup: this embedding was disposed/);
  });

  it('selfAttention: forward as the engine, calls spread over both workers', async () => {
    const params = { wq: uniform(random, E * E, 0.3), wk: uniform(random, E * E, 0.3), wv: uniform(random, E * E, 0.3), wo: uniform(random, E * E, 0.3), bq: uniform(random, E) };
    const config = { embedDim: E, numHeads: H, rope: { base: 100 }, causal: true };
    const pooled = await pool.selfAttention(params, config);
    const local = engine.selfAttention(params, config);
    expect([pooled.embedDim, pooled.numHeads, pooled.numKvHeads]).toEqual([E, H, H]);
    const xs = Array.from({ length: 6 }, (_, i) => uniform(rng(i), (1 + (i % 2)) * S * E));
    const got = await Promise.all(xs.map((x, i) => pooled.forward(x, { batch: 1 + (i % 2), seqLen: S, returnWeights: i % 3 === 0, causal: i === 4 ? false : undefined })));
    got.forEach((r, i) => {
      const want = local.forward(xs[i], { batch: 1 + (i % 2), seqLen: S, returnWeights: i % 3 === 0, causal: i === 4 ? false : undefined });
      expectSameBits(r.output, want.output, `forward ${i}`);
      if (want.weights) expectSameBits(r.weights, want.weights, `weights ${i}`);
    });
    pooled.dispose();
  });

  it('encoder: every positional kind', async () => {
    const f = encoderFixture(77, 16, 30, 12);
    const positionals = ['sinusoidal', 'none', { learned: f.learned }, { rope: { base: 1000 } }] as const;
    for (const positional of positionals) {
      const config = { table: f.table, dim: 16, positional, attention: { params: f.params, numHeads: 2 } };
      const pooled = await pool.encoder(config);
      const local = engine.encoder(config);
      const ids = Int32Array.from([3, 1, 4, 1, 5, 9, 2, 6]);
      const got = await pooled.encode(ids);
      const want = local.encode(ids);
      const what = JSON.stringify(positional).slice(0, 20);
      expectSameBits(got.inputs, want.inputs, `${what} inputs`);
      expectSameBits(got.output, want.output, `${what} output`);
      expectSameBits(got.weights, want.weights, `${what} weights`);
      pooled.dispose();
    }
    const bare = await pool.encoder({ table: f.table, dim: 16, positional: 'sinusoidal' });
    const plain = await bare.encode([1, 2]);
    expect(plain.output).toBe(plain.inputs);
    const out = new Float32Array(32);
    const filled = await bare.encode([1, 2], out);
    expect(filled.inputs).toBe(out);
    expect(filled.output).toBe(out);
    expectSameBits(out, plain.inputs, 'encode into out');
  });

  it("never detaches or changes the caller's arrays", async () => {
    const big = uniform(random, 1000);
    const x = big.subarray(100, 100 + S * H * D); // a view into a larger buffer
    const copy = x.slice();
    const y = await pool.rope(x, { seqLen: S, numHeads: H, headDim: D });
    expect(big.buffer.byteLength).toBe(4000);
    expectSameBits(x, copy, 'input');
    expectSameBits(y, engine.rope(copy, { seqLen: S, numHeads: H, headDim: D }), 'rope of a view');
  });

  it('reads inputs that live in a SharedArrayBuffer in place', async () => {
    const shared = new Float32Array(new SharedArrayBuffer(S * H * D * 4));
    shared.set(uniform(random, shared.length));
    const y = await pool.rope(shared, { seqLen: S, numHeads: H, headDim: D });
    expectSameBits(y, engine.rope(shared, { seqLen: S, numHeads: H, headDim: D }), 'rope of shared');
    expect(shared.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it("rejects with the engine's error class and message", async () => {
    await expect(pool.embeddingLookup(new Float32Array(8), 4, [0, 2])).rejects.toThrow(RangeError);
    await expect(pool.embeddingLookup(new Float32Array(8), 4, [0, 2])).rejects.toThrow(/embeddingLookup: .*ids\[1\].*2/);
    await expect(pool.rope(new Float64Array(4) as unknown as Float32Array, { seqLen: 1, numHeads: 1, headDim: 4 })).rejects.toThrow(TypeError);
    const enc = await pool.encoder({ table: new Float32Array(8), dim: 4, positional: 'none' });
    await expect(enc.encode([0, 5])).rejects.toThrow(RangeError);
    await expect(pool.encoder({ table: new Float32Array(7), dim: 4, positional: 'none' })).rejects.toThrow(RangeError);
    expect(pool.pending).toBe(0);
  });
});

it('createPool rejects bad options', async () => {
  await expect(createPool({ size: 0 })).rejects.toThrow(/createPool: options\.size must be an integer in \[1, 256\]/);
  await expect(createPool({ maxQueue: -1 })).rejects.toThrow(RangeError);
  await expect(createPool({ batchWindowMs: -1 })).rejects.toThrow(/options\.batchWindowMs/);
  await expect(createPool({ backend: 'gpu' as 'wasm' })).rejects.toThrow(/options\.backend/);
});
