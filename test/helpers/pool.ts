/** The pool's internal hooks the tests and benchmarks use (symbols, not part of the API). */

import type { Pool } from 'attnkit';

type Hooks = Record<symbol, (...args: unknown[]) => unknown>;

/** Stops worker `index` as a crash would. */
export const killWorker = (pool: Pool, index: number) => (pool as unknown as Hooks)[Symbol.for('attnkit.pool.killWorker')](index) as Promise<unknown>;

/** Messages sent to workers with calls, batches among them, and calls in those batches. */
export const poolStats = (pool: Pool) => (pool as unknown as Hooks)[Symbol.for('attnkit.pool.stats')]() as { messages: number; batches: number; batchedCalls: number };
