/**
 * What a backend provides to the public `Engine` (engine.ts): its kernels. Every argument here has been
 * checked by `validate.ts`; a kernel writes its whole result into `out` and cannot fail
 * on valid input (the wasm backend may still run out of memory, before touching `out`).
 */

import type { BertDims } from './model/weights.js';
import type { AttentionParams, Backend, Ids } from './types.js';

/** Shape of a BSHD activation: [batch, seqLen, numHeads, headDim]. */
export interface BshdShape {
  batch: number;
  seqLen: number;
  numHeads: number;
  headDim: number;
}

/** A table kept by a backend; `free` releases it. */
export interface EmbeddingHandle {
  /** out [N, E] ← table[ids]. */
  lookup(ids: Ids, out: Float32Array): void;
  /**
   * out [N, E] ← table[ids] + positions[0..N): lookup and positional add in one pass.
   * `positions` is a table of the same backend (a positional table kept beside this one),
   * with at least N rows of width E. Without `out` the result is a fresh array (the wasm
   * backend then allocates it already filled, without zeroing it first); returns `out`
   * or that array.
   */
  lookupAdd(ids: Ids, positions: EmbeddingHandle, out?: Float32Array): Float32Array;
  free(): void;
}

/** Sizes of one attention call: q [B, S, H, D], k and v [B, T, Hkv, D]. */
export interface AttentionShape {
  batch: number;
  seqQ: number;
  seqK: number;
  numHeads: number;
  numKvHeads: number;
  headDim: number;
}

/** Which keys each query sees (all optional, checked against the shape). */
export interface AttentionMasks {
  /** Additive, [S, T], or [B, H, S, T] when `maskPerHead`. */
  mask?: Float32Array;
  maskPerHead: boolean;
  /** [B, T], non-zero = padding. */
  keyPaddingMask?: Uint8Array;
  causal: boolean;
}

/** Sizes of a multi-head attention layer: E = H·D; wk and wv are [Hkv·D, E]. */
export interface MhaDims {
  embedDim: number;
  numHeads: number;
  numKvHeads: number;
  headDim: number;
}

/** Projection weights [out, in] and biases (undefined = zero), already checked. */
export type MhaParams = AttentionParams;

/** One forward call: x [B, S, E], the key/value source kv [B, T, E] (x when absent). */
export interface MhaCall {
  batch: number;
  seqLen: number;
  seqK: number;
  kv?: Float32Array;
  masks: AttentionMasks;
  /** Rotary embedding of q (positions offset + i) and k (offset + j). */
  rope?: { base: number; interleaved: boolean; offset: number };
}

/** A layer's weights kept by a backend. */
export interface MhaHandle {
  /** out [B, S, E] (and weights [B, H, S, T] when given) ← the layer applied to x. */
  forward(x: Float32Array, call: MhaCall, out: Float32Array, weights?: Float32Array): void;
  free(): void;
}

/** Checkpoint element types a model's weights arrive in. */
export type CheckpointDtype = 'F32' | 'F16' | 'BF16';

/** Receives one tensor's raw little-endian bytes in order, in pieces of whole elements. */
export interface TensorSink {
  write(bytes: Uint8Array): void;
  end(): void;
}

/** One forward call of a BERT encoder: ids and type ids [B, S]; padding [B, S] non-zero = padding key. */
export interface BertCall {
  ids: ArrayLike<number>;
  typeIds: ArrayLike<number> | undefined;
  padding: Uint8Array | undefined;
  batch: number;
  seqLen: number;
}

/** A BERT encoder's weights kept by a backend (slots as in `bertWeights`). */
export interface BertHandle {
  /** Bytes the weights take (in their storage dtype, packed). */
  readonly bytes: number;
  /** Where the checkpoint's bytes of weight `slot` go, arriving as `dtype`. */
  sink(slot: number, dtype: CheckpointDtype): TensorSink;
  /** Called once every weight has arrived (a threaded engine copies them to its threads). */
  ready?(): void;
  /** out [B, S, E] ← last_hidden_state. */
  forward(call: BertCall, out: Float32Array): void;
  free(): void;
}

/** How a word-vector table stores its rows. */
export type VectorDtype = 'f32' | 'f16' | 'int8';

/**
 * A word-vector table kept by a backend: a loader appends rows [n, E] (f32) as it parses
 * them, converted to the dtype on the way in, then calls `finish` once. `lookup` returns
 * the stored values as f32 (the same bits on every backend).
 */
export interface VectorsHandle extends EmbeddingHandle {
  /** Rows stored so far. */
  readonly rows: number;
  /** E: width of a row. */
  readonly dim: number;
  /** Makes room for `rows` rows in all (a RangeError when memory cannot grow; nothing is lost). */
  reserve(rows: number): void;
  /** Stores rows [n, E] after the last one, growing the table when needed. */
  append(values: Float32Array, n: number): void;
  /** After the last row: gives back unused room and computes each row's 1 / ‖row‖. */
  finish(): void;
  /**
   * The k rows with the highest q·row / ‖row‖ (ties by lower id), best first, skipping
   * `exclude` (ascending ids): fewer than k when fewer rows are left.
   */
  nearest(q: Float32Array, k: number, exclude: Uint32Array): { ids: Int32Array; scores: Float32Array };
  /**
   * Optional (the wasm backend): parses whole text rows of buf[start, end) in the backend,
   * into rows staged there; `appendParsed` then stores them. Loaders parse in JS otherwise.
   */
  parseText?(buf: Uint8Array, start: number, end: number, last: boolean, maxRows: number): ParsedText;
  /** Stores the staged rows `keep` (ascending indices; all `n` when absent) after the last row. */
  appendParsed?(n: number, keep?: number[]): void;
  /** The first n staged rows [n, E] (a view: read it before the next call into the backend). */
  parsedValues?(n: number): Float32Array;
}

/** What `parseText` read: rows staged, bytes and newlines consumed, word spans, and whether it stopped at a malformed line. */
export interface ParsedText {
  rows: number;
  consumed: number;
  lines: number;
  error: boolean;
  /** Per row: the word's start and end (offsets from `start`) and its line (newlines before it). */
  spans: Uint32Array;
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
  createEmbedding(table: Float32Array, dim: number): EmbeddingHandle;
  /** out [B, S, H, D] (and weights [B, H, S, T] when given) ← attention(q, k, v). */
  attention(q: Float32Array, k: Float32Array, v: Float32Array, shape: AttentionShape, scale: number, masks: AttentionMasks, out: Float32Array, weights?: Float32Array): void;
  /** An empty word-vector table of width E with room for `capacity` rows (RangeError when it cannot be held). */
  createVectors(dim: number, dtype: VectorDtype, capacity: number): VectorsHandle;
  /** Keeps private copies of a layer's weights, in the layout its kernels want. */
  createMha(params: MhaParams, dims: MhaDims): MhaHandle;
  /** out [R, E] ← LayerNorm(x [R, E]) · w + b (b undefined = zero). */
  layerNorm(x: Float32Array, rows: number, dim: number, weight: Float32Array, bias: Float32Array | undefined, eps: number, out: Float32Array): void;
  /** out [N] ← GELU(x), erf form or (`tanh`) the tanh approximation. */
  gelu(x: Float32Array, tanh: boolean, out: Float32Array): void;
  /** out [M, N] ← x [M, K] · Wᵀ + b, W [N, K] (b undefined = zero). */
  linear(x: Float32Array, m: number, k: number, weight: Float32Array, n: number, bias: Float32Array | undefined, out: Float32Array): void;
  /** Allocates a BERT encoder's weights (filled through `sink`), stored as `dtype`. */
  createBert(dims: BertDims, dtype: 'f32' | 'f16'): BertHandle;
}
