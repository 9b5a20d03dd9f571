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
const { backend } = workerData as { backend: Backend | 'auto' };

try {
  const engine = await createEngine(backend === 'auto' ? {} : { backend });
  const state = new WorkerState(engine as never, TABLES, (message, transfer) => port.postMessage(message, transfer));
  port.on('message', (message) => void state.handle(message));
  port.postMessage({ t: 'ready' });
} catch (err) {
  port.postMessage({ t: 'failed', error: toWire(err) });
  process.exit(1);
}
