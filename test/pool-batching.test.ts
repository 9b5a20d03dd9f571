// Micro-batching: concurrent encode / forward / lookup calls on one resident object, queued
// while the workers are busy, leave as one batch per length; every caller gets exactly its
// own rows, bit-identical to the call alone (rows are projected independently, attention
// runs per (batch, head)); a bad call in a batch gets its own error; batchWindowMs lets
// calls arriving a little apart meet.

import { createEngine, createPool, type Engine, type Pool } from 'attnkit';
import { afterEach, describe, expect, it } from 'vitest';
import { expectSameBits } from './helpers/bits.js';
import { encoderFixture } from './helpers/encoder-fixture.js';
import { poolStats } from './helpers/pool.js';
import { int, rng, uniform } from './helpers/random.js';

const pools: Pool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

/** A size-1 pool kept busy by a first call, so that the next calls queue up together. */
async function busyPool(backend: 'wasm' | 'ts', batchWindowMs = 0): Promise<{ pool: Pool; block: () => Promise<unknown> }> {
  const pool = await createPool({ size: 1, backend, batchWindowMs });
  pools.push(pool);
  const S = 384;
  const q = uniform(rng(5), S * 2 * 64);
  return { pool, block: () => pool.attention(q, q, q, { seqQ: S, seqK: S, numHeads: 2, headDim: 64 }) };
}

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  let engine: Engine;
  it('encode: one batch per length, each caller its own rows, bit-identical to encode alone', async () => {
    engine = await createEngine({ backend });
    const { pool, block } = await busyPool(backend);
    const random = rng(1203);
    for (const [positional, dim, heads] of [['sinusoidal', 64, 4], [{ rope: { base: 500 } }, 32, 2], ['none', 48, 3]] as const) {
      const f = encoderFixture(int(random, 1, 1000), dim, 200, 40);
      const config = { table: f.table, dim, positional, attention: { params: f.params, numHeads: heads, causal: dim === 48 } };
      const pooled = await pool.encoder(config);
      const local = engine.encoder(config);
      // 20 calls of three lengths, interleaved, all queued behind the blocking call.
      const lengths = [16, 16, 7, 16, 33, 7, 16, 33, 7, 7, 16, 16, 33, 7, 16, 16, 7, 33, 16, 7];
      const sequences = lengths.map((n) => Array.from({ length: n }, () => int(random, 0, 199)));
      const before = poolStats(pool);
      const blocking = block();
      const results = await Promise.all(sequences.map((ids) => pooled.encode(ids)));
      await blocking;
      const after = poolStats(pool);
      // The blocker, then one batch per length (three lengths, 20 calls).
      expect(after.messages - before.messages).toBe(4);
      expect(after.batches - before.batches).toBe(3);
      expect(after.batchedCalls - before.batchedCalls).toBe(20);
      results.forEach((r, i) => {
        const alone = local.encode(sequences[i]);
        const what = `${JSON.stringify(positional)} call ${i} (length ${lengths[i]})`;
        expectSameBits(r.inputs, alone.inputs, `${what} inputs`);
        expectSameBits(r.output, alone.output, `${what} output`);
        expectSameBits(r.weights, alone.weights, `${what} weights`);
      });
      pooled.dispose();
    }
  });

  it('forward: calls of one shape run as one batch (batches, padding, cross-attention, weights), bit-identical', async () => {
    engine = await createEngine({ backend });
    const { pool, block } = await busyPool(backend);
    const random = rng(1204);
    const E = 48, H = 4, S = 9, T = 11;
    const params = { wq: uniform(random, E * E, 0.3), wk: uniform(random, E * E, 0.3), wv: uniform(random, E * E, 0.3), wo: uniform(random, E * E, 0.3), bv: uniform(random, E) };
    const config = { embedDim: E, numHeads: H, causal: true };
    const pooled = await pool.selfAttention(params, config);
    const local = engine.selfAttention(params, config);
    const shapes = [
      (b: number) => ({ batch: b, seqLen: S }),
      (b: number) => ({ batch: b, seqLen: S, returnWeights: true, causal: false }),
      (b: number) => ({ batch: b, seqLen: S, kv: uniform(random, b * T * E), keyPaddingMask: Uint8Array.from({ length: b * T }, (_, i) => (i % 3 === 0 ? 1 : 0)), returnWeights: true, averageWeights: true }),
    ];
    for (const [n, shape] of shapes.entries()) {
      const calls = [1, 3, 2, 1].map((b) => ({ x: uniform(random, b * S * E), opts: shape(b) }));
      const before = poolStats(pool);
      const blocking = block();
      const results = await Promise.all(calls.map((c) => pooled.forward(c.x, c.opts)));
      await blocking;
      expect(poolStats(pool).batchedCalls - before.batchedCalls, `shape ${n}`).toBe(4);
      results.forEach((r, i) => {
        const alone = local.forward(calls[i].x, calls[i].opts);
        expectSameBits(r.output, alone.output, `shape ${n} call ${i} output`);
        if (alone.weights) expectSameBits(r.weights, alone.weights, `shape ${n} call ${i} weights`);
      });
    }
  });
});

it('lookup: concurrent lookups gathered once, each caller its own rows', async () => {
  const engine = await createEngine({ backend: 'wasm' });
  const { pool, block } = await busyPool('wasm');
  const table = uniform(rng(1205), 100 * 8);
  const pooled = await pool.embedding(table, 8);
  const ids = [[1, 2, 3], [99], [4, 4, 4, 4, 4], Uint32Array.from([7, 0])];
  const blocking = block();
  const results = await Promise.all(ids.map((i) => pooled.lookup(i)));
  await blocking;
  expect(poolStats(pool).batches).toBe(1);
  results.forEach((r, i) => expectSameBits(r, engine.embeddingLookup(table, 8, ids[i]), `lookup ${i}`));
});

it("a bad call in a batch gets its own error; the others their results", async () => {
  const engine = await createEngine({ backend: 'wasm' });
  const { pool, block } = await busyPool('wasm');
  const f = encoderFixture(9, 16, 20, 8);
  const config = { table: f.table, dim: 16, positional: 'sinusoidal' as const, attention: { params: f.params, numHeads: 2 } };
  const pooled = await pool.encoder(config);
  const local = engine.encoder(config);
  const blocking = block();
  const calls = [[1, 2, 3], [4, 5, 99], [6, 7, 8]].map((ids) => pooled.encode(ids));
  await blocking;
  const [a, bad, c] = await Promise.allSettled(calls);
  expect(bad.status).toBe('rejected');
  expect((bad as PromiseRejectedResult).reason).toBeInstanceOf(RangeError);
  expect(String((bad as PromiseRejectedResult).reason)).toMatch(/encoder\.encode: .*ids\[2\].*99/);
  expectSameBits((a as PromiseFulfilledResult<{ output: Float32Array }>).value.output, local.encode([1, 2, 3]).output, 'first');
  expectSameBits((c as PromiseFulfilledResult<{ output: Float32Array }>).value.output, local.encode([6, 7, 8]).output, 'third');
});

it('batchWindowMs: calls arriving apart within the window leave together', async () => {
  const pool = await createPool({ size: 1, batchWindowMs: 200 });
  pools.push(pool);
  const pooled = await pool.encoder({ table: uniform(rng(3), 40 * 8), dim: 8, positional: 'sinusoidal' });
  const first = pooled.encode([1, 2]);
  await new Promise((r) => setTimeout(r, 20));
  const second = pooled.encode([3, 4]);
  await Promise.all([first, second]);
  expect(poolStats(pool)).toMatchObject({ messages: 1, batches: 1, batchedCalls: 2 });
});

it('batching: false runs every call alone, with the same results', async () => {
  const pool = await createPool({ size: 1, batching: false });
  pools.push(pool);
  const blocker = uniform(rng(5), 384 * 2 * 64);
  const table = uniform(rng(4), 40 * 8);
  const pooled = await pool.encoder({ table, dim: 8, positional: 'sinusoidal' });
  const blocking = pool.attention(blocker, blocker, blocker, { seqQ: 384, seqK: 384, numHeads: 2, headDim: 64 });
  const results = await Promise.all([[1, 2], [3, 4], [5, 6]].map((ids) => pooled.encode(ids)));
  await blocking;
  expect(poolStats(pool)).toMatchObject({ messages: 4, batches: 0 });
  const local = (await createEngine({ backend: 'wasm' })).encoder({ table, dim: 8, positional: 'sinusoidal' });
  results.forEach((r, i) => expectSameBits(r.output, local.encode([[1, 2], [3, 4], [5, 6]][i]).output, `call ${i}`));
  await expect(createPool({ batching: 'no' as unknown as boolean })).rejects.toThrow(/options\.batching must be a boolean/);
});
