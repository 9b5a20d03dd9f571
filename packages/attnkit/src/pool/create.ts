/**
 * The body of `createPool`: checks the options, starts the scheduler on the workers an
 * entry supplies, and builds the public object from the tables of ops.ts: one async method
 * per stateless op, one per resident object, whose methods are async in turn.
 */

import type { OpenFile } from '../source.js';
import type { Pool, PoolOptions } from '../types.js';
import { checkInt, checkOptions, describe } from '../validate.js';
import { TABLES, type Tables } from './ops.js';
import { Scheduler, type SpawnWorker } from './pool.js';
import { OBJECT_REF } from './wire.js';

/** Calls in the queue beyond which new calls reject (ATTNKIT_QUEUE_FULL). */
export const DEFAULT_MAX_QUEUE = 1024;

/** Kills worker `index` of a pool as a crash would: for fault tests, not part of the API. */
export const killWorker = Symbol.for('attnkit.pool.killWorker');

/** The scheduler's counters (messages to workers, batches, calls in batches): for tests and benchmarks, not part of the API. */
export const poolStats = Symbol.for('attnkit.pool.stats');

export async function createPoolOn(options: PoolOptions, spawn: (backend: string, priority: number) => SpawnWorker, defaultSize: number, openFile?: OpenFile, tables: Tables = TABLES): Promise<Pool> {
  const op = 'createPool';
  const o = checkOptions<PoolOptions>(op, 'options', options, true);
  const size = checkInt(op, 'options.size', o.size, 1, 256, Math.max(1, defaultSize));
  const maxQueue = checkInt(op, 'options.maxQueue', o.maxQueue, 0, Number.MAX_SAFE_INTEGER, DEFAULT_MAX_QUEUE);
  const batchWindowMs = o.batchWindowMs ?? 0;
  if (typeof batchWindowMs !== 'number' || !(batchWindowMs >= 0) || !Number.isFinite(batchWindowMs)) {
    throw new RangeError(`${op}: options.batchWindowMs must be a finite number ≥ 0, got ${describe(batchWindowMs)}`);
  }
  const batching = o.batching ?? true;
  if (typeof batching !== 'boolean') throw new TypeError(`${op}: options.batching must be a boolean, got ${describe(batching)}`);
  const backend = o.backend ?? 'auto';
  if (backend !== 'wasm' && backend !== 'ts' && backend !== 'auto') {
    throw new RangeError(`${op}: options.backend must be 'wasm', 'ts', 'auto' or absent, got ${describe(backend)}`);
  }
  const priority = checkInt(op, 'options.workerPriority', o.workerPriority, 0, 19, 0);
  const scheduler = await Scheduler.start(spawn(backend, priority), { size, maxQueue, batchWindowMs, batching, openFile, tables });

  const pool: Record<string | symbol, unknown> = {
    get size() {
      return scheduler.size;
    },
    get pending() {
      return scheduler.pending;
    },
    close: () => scheduler.close(),
    [killWorker]: (index: number) => scheduler.killWorker(index),
    [poolStats]: () => ({ ...scheduler.stats }),
  };
  for (const [name, spec] of Object.entries(tables.stateless)) {
    pool[name] = (...args: unknown[]) => scheduler.call(spec, { op: name }, args);
  }
  for (const [kind, spec] of Object.entries(tables.resident)) {
    pool[kind] = async (...args: unknown[]) => {
      const { id, props } = await scheduler.create(kind, args);
      const object: Record<string, unknown> = { ...props, dispose: () => scheduler.dispose(id) };
      // Passed to another of the pool's makers (an encoder on pooled vectors), it names this object.
      Object.defineProperty(object, OBJECT_REF, { value: id });
      for (const [method, m] of Object.entries(spec.methods)) {
        object[method] = (...callArgs: unknown[]) => scheduler.call(m, { object: id, kind, method }, callArgs);
      }
      return Object.freeze(object);
    };
  }
  return pool as unknown as Pool;
}
