/**
 * Embedding lookup on the TypeScript backend (the fallback where WebAssembly SIMD is missing).
 * table [R, E], ids [N] (each in [0, R), checked by the caller), out [N, E].
 */

import type { Ids } from '../types.js';

/** out[i, :] ← table[ids[i], :], one row copy per id. */
export function embeddingLookup(table: Float32Array, dim: number, ids: Ids, out: Float32Array): void {
  for (let i = 0; i < ids.length; i++) {
    const row = ids[i] * dim;
    out.set(table.subarray(row, row + dim), i * dim);
  }
}
