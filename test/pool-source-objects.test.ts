// A resident object made from a Source (the shape of a loader such as loadVectors): the
// pool reads the source once, on its own thread, into a SharedArrayBuffer, reporting
// progress; every worker makes its object (an async maker, awaited) from those same bytes;
// a replaced worker remakes it from them without reading the source again; aborting the
// read rejects with an AbortError and keeps nothing. Objects can be passed to other makers
// of the pool (each worker puts its own copy there). The workers here are in-process
// stand-ins running the pool's own worker logic (serve.ts) on a small fake engine, so the
// table entry is the only thing this test adds.

import { expect, it } from 'vitest';
import { createPoolOn } from '../packages/attnkit/src/pool/create.js';
import type { Tables } from '../packages/attnkit/src/pool/ops.js';
import type { PoolWorker } from '../packages/attnkit/src/pool/pool.js';
import type { FromWorker } from '../packages/attnkit/src/pool/protocol.js';
import { WorkerState } from '../packages/attnkit/src/pool/serve.js';

/** A fake engine: `loadBlob(source, opts)` "loads" bytes asynchronously; `wrap(config)` uses a blob. */
function fakeEngine(worker: number, seen: Uint8Array[]) {
  return {
    async loadBlob(bytes: Uint8Array, _opts?: object) {
      await new Promise((r) => setTimeout(r, 1));
      seen.push(bytes);
      const sum = bytes.reduce((a, b) => a + b, 0);
      return { bytes: bytes.length, worker, sum: () => sum, at: (i: number) => bytes[i], dispose() {} };
    },
    wrap(config: { blob: { sum(): number } }) {
      return { total: config.blob.sum(), plusOne: () => config.blob.sum() + 1, dispose() {} };
    },
  };
}

const tables: Tables = {
  stateless: {},
  resident: {
    loadBlob: { noun: 'blob', options: 1, sources: ['0'], props: ['bytes', 'worker'], methods: { sum: {}, at: {} } },
    wrap: { noun: 'wrapper', props: ['total'], methods: { plusOne: {} } },
  },
};

/** In-process workers: messages cross by structuredClone (transfers moved, SharedArrayBuffers shared). */
function spawner(seen: Uint8Array[], workers: { exit: (reason: string) => void }[]) {
  let n = 0;
  return () => (): PoolWorker => {
    const index = n++;
    let onMessage: (m: FromWorker) => void = () => {};
    let onExit: (reason: string) => void = () => {};
    let alive = true;
    const state = new WorkerState(fakeEngine(index, seen) as never, tables, (message, transfer) => setTimeout(() => alive && onMessage(structuredClone(message, { transfer }))));
    setTimeout(() => onMessage({ t: 'ready' }));
    const worker: PoolWorker = {
      post: (message, transfer) => void setTimeout(() => alive && state.handle(structuredClone(message, { transfer }))),
      onMessage: (listener) => void (onMessage = listener),
      onExit: (listener) => void (onExit = listener),
      terminate: async () => void (alive = false),
      ref() {},
      unref() {},
    };
    workers[index] = {
      exit(reason) {
        alive = false;
        onExit(reason);
      },
    };
    return worker;
  };
}

async function* chunks(reads: { count: number }, parts: number[][]): AsyncGenerator<Uint8Array> {
  reads.count++;
  for (const p of parts) yield Uint8Array.from(p);
}

it('a Source is read once and shared; every worker (and a replacement) makes the object from the same bytes', async () => {
  const seen: Uint8Array[] = [];
  const workers: { exit: (reason: string) => void }[] = [];
  const pool = (await createPoolOn({ size: 3 }, spawner(seen, workers), 3, undefined, tables)) as unknown as Record<string, (...a: unknown[]) => Promise<Record<string, (...a: unknown[]) => Promise<unknown>>>> & { close(): Promise<void> };
  const reads = { count: 0 };
  const progress: { bytes: number }[] = [];
  const blob = await pool.loadBlob(chunks(reads, [[1, 2, 3], [4, 5], [6]]), { onProgress: (p: { bytes: number }) => progress.push(p) });
  expect(reads.count).toBe(1);
  expect(progress.map((p) => p.bytes)).toEqual([3, 5, 6]);
  expect(seen.length).toBe(3);
  for (const bytes of seen) {
    expect(bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(bytes)).toEqual([1, 2, 3, 4, 5, 6]);
  }
  // One copy of the bytes, shared: a write through one worker's view shows in the others'.
  seen[0][0] = 99;
  expect([seen[1][0], seen[2][0]]).toEqual([99, 99]);
  seen[0][0] = 1;
  expect(blob.bytes).toBe(6);
  expect(await blob.sum()).toBe(21);
  expect(await blob.at(4)).toBe(5);

  // Another maker takes the pooled object as an argument: each worker uses its own copy.
  const wrapper = await pool.wrap({ blob });
  expect(wrapper.total).toBe(21);
  expect(await wrapper.plusOne()).toBe(22);

  // A worker dies: the replacement remakes the blob from the shared bytes, then the wrapper.
  workers[1].exit('killed by the test');
  await new Promise((r) => setTimeout(r, 20));
  expect(reads.count).toBe(1);
  expect(seen.length).toBe(4);
  expect(Array.from(seen[3])).toEqual([1, 2, 3, 4, 5, 6]);
  const sums = await Promise.all(Array.from({ length: 9 }, () => blob.sum()));
  expect(sums).toEqual(Array(9).fill(21));
  expect(await Promise.all(Array.from({ length: 6 }, () => wrapper.plusOne()))).toEqual(Array(6).fill(22));
  await pool.close();
});

it('aborting while the Source is read rejects with an AbortError and makes nothing', async () => {
  const seen: Uint8Array[] = [];
  const pool = (await createPoolOn({ size: 2 }, spawner(seen, []), 2, undefined, tables)) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>> & { close(): Promise<void>; pending: number };
  const controller = new AbortController();
  async function* slow(): AsyncGenerator<Uint8Array> {
    yield Uint8Array.from([1]);
    controller.abort();
    yield Uint8Array.from([2]);
  }
  await expect(pool.loadBlob(slow(), { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  expect(seen.length).toBe(0);
  expect(pool.pending).toBe(0);
  await expect(pool.loadBlob(42)).rejects.toThrow(TypeError);
  await pool.close();
});
