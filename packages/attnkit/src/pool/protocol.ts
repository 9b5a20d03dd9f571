/** The messages between a pool and its workers. */

import type { WireError } from './wire.js';

/** What the pool posts to a worker. */
export type ToWorker =
  | { t: 'call'; id: number; op: string; args: unknown[] }
  | { t: 'create'; id: number; object: number; kind: string; args: unknown[] }
  | { t: 'method'; id: number; object: number; method: string; args: unknown[] }
  | { t: 'batch'; id: number; object: number; method: string; calls: unknown[][] }
  | { t: 'dispose'; object: number };

/** What a worker posts back: its start, or the answer to message `id`. */
export type FromWorker =
  | { t: 'ready' }
  | { t: 'failed'; error: WireError }
  | { id: number; value?: unknown; out?: unknown; error?: WireError; results?: { value?: unknown; error?: WireError }[] };
