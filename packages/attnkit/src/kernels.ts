/**
 * The contract between the public `Engine` and a backend. Every argument here has been
 * checked by `validate.ts`; a kernel writes its whole result into `out` and cannot fail
 * on valid input (the wasm backend may still run out of memory, before touching `out`).
 */

import type { Backend, Ids } from './types.js';

/** Shape of a BSHD activation: [batch, seqLen, numHeads, headDim]. */
export interface BshdShape {
  batch: number;
  seqLen: number;
  numHeads: number;
  headDim: number;
}

/** A table kept by a backend; `free` releases it. */
export interface TableHandle {
  /** out [N, E] ← table[ids]. */
  lookup(ids: Ids, out: Float32Array): void;
  free(): void;
}

export interface Kernels {
  readonly backend: Backend;
  /** Bytes of WebAssembly linear memory in use by this backend (0 for 'ts'). */
  readonly memoryBytes: number;
  /** out [N, E] ← table [R, E] gathered at ids [N]. */
  embeddingLookup(table: Float32Array, dim: number, ids: Ids, out: Float32Array): void;
  /** out [S, E] ← sinusoidal encoding of positions offset … offset + S − 1. */
  sinusoidalEncoding(seqLen: number, dim: number, base: number, offset: number, out: Float32Array): void;
  /** out [B, S, H, D] ← x rotated at positions [S]. */
  rope(x: Float32Array, shape: BshdShape, positions: Int32Array, base: number, interleaved: boolean, out: Float32Array): void;
  /** Keeps a private copy of table [R, E]. */
  createTable(table: Float32Array, dim: number): TableHandle;
}
