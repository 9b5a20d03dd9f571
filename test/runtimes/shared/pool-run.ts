/**
 * A pool's round trip inside a runtime with worker threads (Node, Deno, Bun): an encoder on
 * two workers answers concurrent calls bit-identically to an engine of the same runtime, a
 * killed worker rejects its call with ATTNKIT_WORKER_EXITED and is replaced, and close()
 * ends it. Prints one JSON line; test/runtime-pool.test.ts runs it in each runtime.
 */

import { createEngine, createPool } from 'attnkit';

const dim = 32;
const values = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.7 + seed) * 0.3);
const config = { table: values(100 * dim, 1), dim, positional: 'sinusoidal' as const, attention: { params: { wq: values(dim * dim, 2), wk: values(dim * dim, 3), wv: values(dim * dim, 4), wo: values(dim * dim, 5) }, numHeads: 4 } };
const sequences = Array.from({ length: 12 }, (_, i) => Array.from({ length: 3 + (i % 4) }, (_, j) => (i * 7 + j * 3) % 100));

const engine = await createEngine({ backend: 'wasm' });
const local = engine.encoder(config);
const pool = await createPool({ size: 2, backend: 'wasm' });
const encoder = await pool.encoder(config);

const sameBits = (a: Float32Array, b: Float32Array) => a.length === b.length && new Uint32Array(a.buffer, a.byteOffset, a.length).every((x, i) => x === new Uint32Array(b.buffer, b.byteOffset, b.length)[i]);
const check = async () => (await Promise.all(sequences.map((ids) => encoder.encode(ids)))).every((r, i) => sameBits(r.output, local.encode(sequences[i]).output));

const identical = await check();
const S = 1024;
const q = values(S * 4 * 64, 6);
await new Promise((resolve) => setTimeout(resolve, 20)); // both workers idle: the next call goes to worker 0
const running = pool.attention(q, q, q, { seqQ: S, seqK: S, numHeads: 4, headDim: 64 });
await (pool as unknown as Record<symbol, (i: number) => Promise<unknown>>)[Symbol.for('attnkit.pool.killWorker')](0);
const killed = await running.then(() => 'ok', (err: { code?: string }) => err.code ?? String(err));
const identicalAfterKill = await check();
await pool.close();
console.log(JSON.stringify({ size: pool.size, identical, killed, identicalAfterKill, pending: pool.pending }));
