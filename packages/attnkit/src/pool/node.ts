/**
 * `createPool` for Node, Deno and Bun: the workers are `worker_threads`, each running
 * worker.ts. Loaded only by a dynamic import from the Node entry (index.ts), so no other
 * entry names a Node built-in.
 */

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { OpenFile } from '../source.js';
import { workerExecArgv } from '../worker-argv.js';
import type { Pool, PoolOptions } from '../types.js';
import { createPoolOn } from './create.js';
import type { PoolWorker } from './pool.js';

function spawn(backend: string, priority: number): PoolWorker {
  const execArgv = workerExecArgv();
  const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: { backend, priority }, execArgv });
  let exited = false;
  return {
    post: (message, transfer) => worker.postMessage(message, transfer),
    onMessage: (listener) => void worker.on('message', listener),
    onExit(listener) {
      const once = (reason: string) => {
        if (exited) return;
        exited = true;
        listener(reason);
      };
      worker.on('error', (err) => once(`error: ${err instanceof Error ? err.message : String(err)}`));
      worker.on('exit', (code) => once(`exit code ${code}`));
    },
    terminate: () => worker.terminate(),
    ref: () => worker.ref(),
    unref: () => worker.unref(),
  };
}

export function createPool(options: PoolOptions | undefined, openFile: OpenFile): Promise<Pool> {
  return createPoolOn(options ?? {}, (backend, priority) => () => spawn(backend, priority), availableParallelism(), openFile);
}
