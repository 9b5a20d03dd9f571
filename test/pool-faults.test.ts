// A pool under faults: a full queue rejects at once (ATTNKIT_QUEUE_FULL); aborting removes a
// queued call and discards a running one (AbortError); a worker killed mid-call rejects
// exactly the calls it held (ATTNKIT_WORKER_EXITED), is replaced with its resident objects
// rebuilt, and the next calls succeed; close() finishes every accepted call, then refuses
// new ones (ATTNKIT_POOL_CLOSED).

import { createEngine, createPool, type Pool } from 'attnkit';
import { afterEach, expect, it } from 'vitest';
import { expectSameBits } from './helpers/bits.js';
import { rng, uniform } from './helpers/random.js';

import { killWorker as kill } from './helpers/pool.js';

const pools: Pool[] = [];
async function start(options: Parameters<typeof createPool>[0]): Promise<Pool> {
  const pool = await createPool(options);
  pools.push(pool);
  return pool;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

// An attention call long enough (tens of ms) to be caught running.
const S = 512, H = 4, D = 64;
const random = rng(1202);
const q = uniform(random, S * H * D);
const slow = { seqQ: S, seqK: S, numHeads: H, headDim: D };
const small = { seqQ: 4, seqK: 4, numHeads: 1, headDim: 8 };
const tiny = uniform(random, 32);

/** Settles every promise, recording how. */
async function outcomes(calls: Promise<unknown>[]): Promise<string[]> {
  const settled = await Promise.allSettled(calls);
  return settled.map((s) => (s.status === 'fulfilled' ? 'ok' : ((s.reason as { code?: string; name?: string }).code ?? (s.reason as Error).name)));
}

it('rejects at once with ATTNKIT_QUEUE_FULL beyond maxQueue, and serves the accepted calls', async () => {
  const pool = await start({ size: 1, maxQueue: 2 });
  const calls = [pool.attention(q, q, q, slow), pool.attention(tiny, tiny, tiny, small), pool.attention(tiny, tiny, tiny, small)];
  // One running, two queued: the next is refused without waiting.
  const refused = pool.attention(tiny, tiny, tiny, small);
  await expect(refused).rejects.toMatchObject({ code: 'ATTNKIT_QUEUE_FULL' });
  await expect(refused).rejects.toThrow(/pool\.attention: 2 calls already wait for a worker \(maxQueue 2\)/);
  expect(pool.pending).toBe(3);
  expect(await outcomes(calls)).toEqual(['ok', 'ok', 'ok']);
  expect(pool.pending).toBe(0);
});

it('maxQueue: 0 runs a call at once when a worker is free, and refuses every call that would wait', async () => {
  const pool = await start({ size: 1, maxQueue: 0 });
  const running = pool.attention(q, q, q, slow);
  await expect(pool.attention(tiny, tiny, tiny, small)).rejects.toMatchObject({ code: 'ATTNKIT_QUEUE_FULL' });
  await running;
  expect((await pool.attention(tiny, tiny, tiny, small)).output.length).toBe(32);
});

it('abort removes a queued call and discards a running one; an aborted signal rejects at once', async () => {
  const pool = await start({ size: 1 });
  const running = new AbortController();
  const queued = new AbortController();
  const first = pool.attention(q, q, q, { ...slow, signal: running.signal });
  const second = pool.attention(q, q, q, { ...slow, signal: queued.signal });
  const third = pool.attention(tiny, tiny, tiny, small);
  expect(pool.pending).toBe(3);
  queued.abort();
  running.abort();
  await expect(second).rejects.toMatchObject({ name: 'AbortError' });
  await expect(first).rejects.toBeInstanceOf(DOMException);
  expect(pool.pending).toBe(1);
  const engine = await createEngine();
  expectSameBits((await third).output, engine.attention(tiny, tiny, tiny, small).output, 'the call after');
  await expect(pool.attention(tiny, tiny, tiny, { ...small, signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  // A method without options takes a last { signal }.
  const enc = await pool.encoder({ table: new Float32Array(40), dim: 4, positional: 'none' });
  await expect(enc.encode([1, 2], { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  expect(pool.pending).toBe(0);
});

it('a worker killed mid-call rejects only its calls; it is replaced with its resident objects, and the next calls succeed', async () => {
  const pool = await start({ size: 2 });
  const engine = await createEngine();
  const f = { table: uniform(random, 64 * 8), dim: 8, positional: 'sinusoidal' as const, attention: { params: { wq: uniform(random, 64), wk: uniform(random, 64), wv: uniform(random, 64), wo: uniform(random, 64) }, numHeads: 2 } };
  const enc = await pool.encoder(f);
  const local = engine.encoder(f);
  const onFirst = pool.attention(q, q, q, slow); // worker 0
  const onSecond = pool.attention(q, q, q, slow); // worker 1
  const queued = pool.attention(tiny, tiny, tiny, small); // waits for a free worker
  expect(pool.pending).toBe(3);
  await kill(pool, 0);
  await expect(onFirst).rejects.toMatchObject({ code: 'ATTNKIT_WORKER_EXITED' });
  await expect(onFirst).rejects.toThrow(/the worker running this call exited/);
  expectSameBits((await onSecond).output, engine.attention(q, q, q, slow).output, 'the other worker');
  expectSameBits((await queued).output, engine.attention(tiny, tiny, tiny, small).output, 'the queued call');
  expect(pool.size).toBe(2);
  // Both workers (the replacement included) serve the encoder made before the crash.
  const ids = Array.from({ length: 8 }, (_, i) => [i, 2 * i, 3 * i]);
  const all = await Promise.all(ids.map((i) => enc.encode(i)));
  all.forEach((r, i) => expectSameBits(r.output, local.encode(ids[i]).output, `encode ${i}`));
  await kill(pool, 1);
  await kill(pool, 0);
  const again = await Promise.all(ids.map((i) => enc.encode(i)));
  again.forEach((r, i) => expectSameBits(r.output, local.encode(ids[i]).output, `encode ${i} after two more kills`));
  expect(pool.pending).toBe(0);
});

it('a batch held by a killed worker rejects every call in it, and only those', async () => {
  const pool = await start({ size: 1 });
  const E = 512;
  const w = () => uniform(random, E * E, 0.1);
  const enc = await pool.encoder({ table: uniform(random, 64 * E), dim: E, positional: 'sinusoidal', attention: { params: { wq: w(), wk: w(), wv: w(), wo: w() }, numHeads: 4 } });
  const blocker = pool.attention(tiny, tiny, tiny, small);
  // Queued behind the blocker, these five (50 tokens each, one length: 250 rows) leave as one batch.
  const batch = Array.from({ length: 5 }, (_, i) => enc.encode(Array.from({ length: 50 }, (_, j) => (i + j) % 64)));
  await blocker;
  await new Promise((r) => setTimeout(r, 5));
  await kill(pool, 0);
  const after = enc.encode([1, 2, 3]);
  expect(await outcomes(batch)).toEqual(Array(5).fill('ATTNKIT_WORKER_EXITED'));
  expect((await after).output.length).toBe(3 * E);
});

it('close() finishes every accepted call, then refuses new ones; close is idempotent', async () => {
  const pool = await start({ size: 1 });
  const enc = await pool.encoder({ table: new Float32Array(40), dim: 4, positional: 'none' });
  const accepted = [pool.attention(q, q, q, slow), pool.attention(tiny, tiny, tiny, small), enc.encode([1])];
  const closed = pool.close();
  await expect(pool.attention(tiny, tiny, tiny, small)).rejects.toMatchObject({ code: 'ATTNKIT_POOL_CLOSED' });
  await expect(enc.encode([1])).rejects.toMatchObject({ code: 'ATTNKIT_POOL_CLOSED' });
  await expect(pool.encoder({ table: new Float32Array(4), dim: 4, positional: 'none' })).rejects.toMatchObject({ code: 'ATTNKIT_POOL_CLOSED' });
  expect(await outcomes(accepted)).toEqual(['ok', 'ok', 'ok']);
  await closed;
  await pool.close();
  expect(pool.pending).toBe(0);
});
