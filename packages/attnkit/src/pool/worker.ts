/**
 * A worker of a pool (Node, Deno and Bun `worker_threads`): its own engine, and serve.ts
 * answering the pool's messages one by one.
 */

import { parentPort, workerData } from 'node:worker_threads';
import { createEngine } from '../index.js';
import type { Backend } from '../types.js';
import { TABLES } from './ops.js';
import { WorkerState } from './serve.js';
import { toWire } from './wire.js';

const port = parentPort!;
const { backend, priority } = workerData as { backend: Backend | 'auto'; priority: number };

/**
 * Lowers this thread's scheduling priority (a nice value, as `os.setPriority`) so that, when
 * the cores are oversubscribed, the thread running the event loop is scheduled first. Linux
 * sets priorities per thread (a thread id is a pid to `setpriority`); where there is no
 * `/proc/thread-self` or no such call, the worker keeps the process's priority.
 */
async function lowerPriority(nice: number): Promise<void> {
  if (nice === 0) return;
  try {
    const { readlinkSync } = await import('node:fs');
    const { setPriority } = await import('node:os');
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, nice);
  } catch {
    // Not Linux (or not allowed): the worker runs at the process's priority.
  }
}

await lowerPriority(priority);
try {
  const engine = await createEngine(backend === 'auto' ? {} : { backend });
  const state = new WorkerState(engine as never, TABLES, (message, transfer) => port.postMessage(message, transfer));
  port.on('message', (message) => void state.handle(message));
  port.postMessage({ t: 'ready' });
} catch (err) {
  port.postMessage({ t: 'failed', error: toWire(err) });
  process.exit(1);
}
