/**
 * Public types of attnkit. Shapes use the letters of the Rust core:
 * N ids, R table rows, E embedding width, B batch, S query length, T key length,
 * H query heads, Hkv key/value heads, D head width. Every tensor is row-major.
 */

/** Token ids: an `Int32Array`, a `Uint32Array` or a plain array of integers. */
export type Ids = Int32Array | Uint32Array | readonly number[];

/** Which implementation runs the kernels. */
export type Backend = 'wasm' | 'ts';

/** Options of {@link Engine.sinusoidalEncoding}. */
export interface SinusoidalOptions {
  /** Wavelength base; default 10000. Must be finite and > 0. */
  base?: number;
  /** Position of the first row; default 0. An integer. */
  offset?: number;
}

/** Options of {@link Engine.rope}: the shape of `x` ([B, S, H, D]) and the rotation. */
export interface RopeOptions {
  /** B; default 1. */
  batch?: number;
  /** S. */
  seqLen: number;
  /** H. */
  numHeads: number;
  /** D; must be even. */
  headDim: number;
  /** θ_j = base^(−2j/D); default 10000. */
  base?: number;
  /** Positions are offset + index; default 0. Ignored when `positions` is given. */
  offset?: number;
  /** One position per sequence index, length S; replaces offset + index. */
  positions?: Int32Array;
  /** false (default): pairs (j, j + D/2), Llama / NeoX. true: pairs (2j, 2j+1), GPT-J. */
  interleaved?: boolean;
}

/** A table kept inside the engine: see {@link Engine.embedding}. */
export interface ResidentEmbedding {
  /** R: rows of the table. */
  readonly rows: number;
  /** E: width of a row. */
  readonly dim: number;
  /** [N, E] ← table[ids]. Same checks and result as {@link Engine.embeddingLookup}. */
  lookup(ids: Ids, out?: Float32Array): Float32Array;
  /** Frees the engine's copy of the table; any later use throws an `Error`. */
  dispose(): void;
}

/** Options of {@link createEngine}. */
export interface EngineOptions {
  /** 'wasm', 'ts', or absent: 'wasm' where WebAssembly SIMD runs, else 'ts'. */
  backend?: Backend;
  /**
   * The core module, precompiled (`WebAssembly.Module`, what Cloudflare Workers and
   * bundlers hand you) or as bytes. Without it the package loads its own `.wasm`.
   */
  module?: WebAssembly.Module | BufferSource;
}

/** An attnkit engine: every op of the API on one backend. */
export interface Engine {
  /** The backend that runs this engine's kernels. */
  readonly backend: Backend;
  /** Why `createEngine()` without a backend chose 'ts' (absent when it chose 'wasm'). */
  readonly fallbackReason?: string;
  /**
   * Size in bytes of the engine's WebAssembly linear memory (0 on the 'ts' backend).
   * It grows as resident tensors are created and never shrinks (WebAssembly memories
   * cannot); freed blocks are reused.
   */
  readonly memoryBytes: number;

  /**
   * Embedding lookup. `table` is [R, E] with E = `dim`; returns [N, E] where row i is
   * `table[ids[i]]`. An id outside [0, R) or not an integer is a `RangeError` naming its
   * position and value; with `out`, a bad id leaves `out` untouched.
   */
  embeddingLookup(table: Float32Array, dim: number, ids: Ids, out?: Float32Array): Float32Array;

  /**
   * Sinusoidal positional encoding, [seqLen, dim]: with p = row + offset,
   * PE[p, 2i] = sin(p / base^(2i/dim)) and PE[p, 2i+1] = cos(p / base^(2i/dim)).
   * An odd `dim` ends with a sine column.
   */
  sinusoidalEncoding(seqLen: number, dim: number, opts?: SinusoidalOptions): Float32Array;

  /**
   * Rotary position embedding of `x` ([B, S, H, D], BSHD): returns the rotated copy;
   * `x` is not modified. See {@link RopeOptions} for the two pairings.
   */
  rope(x: Float32Array, opts: RopeOptions, out?: Float32Array): Float32Array;

  /**
   * Keeps a copy of `table` ([R, dim]) inside the engine (in WebAssembly memory on the
   * 'wasm' backend), so lookups do not copy the table per call.
   */
  embedding(table: Float32Array, dim: number): ResidentEmbedding;
}
