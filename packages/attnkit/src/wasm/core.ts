/**
 * One instance of the Rust core and the memory it owns.
 *
 * Allocation goes through the module's exports (`attnkit_alloc` / `attnkit_free`), so the
 * Rust allocator is the only one managing linear memory. Typed-array views are made fresh
 * for every access (`f32`, `u32`, `i32`): a view taken before the memory grows would be
 * detached (length 0), so none is ever kept.
 */

/** The module's exports, as `crates/attnkit-core/src/exports.rs` declares them. */
export interface CoreExports {
  memory: WebAssembly.Memory;
  attnkit_alloc(bytes: number): number;
  attnkit_free(ptr: number, bytes: number): void;
  attnkit_realloc(ptr: number, oldBytes: number, newBytes: number): number;
  attnkit_vectors_store(src: number, n: number, dim: number, dtype: number, dst: number, scales: number): void;
  attnkit_vectors_gather(table: number, dtype: number, scales: number, rows: number, dim: number, ids: number, n: number, out: number): void;
  attnkit_vectors_inv_norms(table: number, dtype: number, scales: number, rows: number, dim: number, inv: number): void;
  attnkit_vectors_parse_text(buf: number, len: number, last: number, dim: number, maxRows: number, out: number, spans: number, stop: number): void;
  attnkit_vectors_nearest(
    table: number, dtype: number, scales: number, inv: number, rows: number, dim: number,
    q: number, k: number, exclude: number, nExclude: number, outIds: number, outScores: number,
  ): number;
  attnkit_embedding_lookup_add(table: number, rows: number, dim: number, ids: number, n: number, addend: number, out: number): void;
  attnkit_sinusoidal_encoding(seqLen: number, dim: number, base: number, offset: number, out: number): void;
  attnkit_rope(x: number, batch: number, seqLen: number, heads: number, headDim: number, positions: number, base: number, interleaved: number): void;
  attnkit_packed_len(n: number, k: number): number;
  attnkit_pack_weights(w: number, n: number, k: number, packed: number): void;
  attnkit_linear(x: number, m: number, k: number, packed: number, n: number, bias: number, y: number): void;
  attnkit_attention(
    q: number, k: number, v: number,
    batch: number, seqQ: number, seqK: number, heads: number, kvHeads: number, headDim: number,
    scale: number, mask: number, maskPerHead: number, keyPadding: number, causal: number,
    out: number, weights: number,
  ): void;
  attnkit_layer_norm(h: number, a: number, rows: number, e: number, w: number, b: number, eps: number): void;
  attnkit_gelu(x: number, n: number, tanh: number): void;
  attnkit_linear_act(x: number, m: number, k: number, packed: number, n: number, bias: number, act: number, y: number): void;
  attnkit_pack_weights_f16(w: number, n: number, k: number, packed: number): void;
  attnkit_linear_f16(x: number, m: number, k: number, packed: number, n: number, bias: number, act: number, y: number, panel: number): void;
  attnkit_convert(src: number, n: number, kind: number, out: number): void;
  attnkit_bert_embeddings(
    word: number, wordF16: number, vocab: number, e: number, ids: number,
    position: number, tokenType: number, types: number, typeIds: number,
    batch: number, seq: number, out: number,
  ): void;
}

/** A block of linear memory: byte offset and size. */
export interface Block {
  readonly ptr: number;
  readonly bytes: number;
}

export class WasmCore {
  constructor(readonly exports: CoreExports) {}

  /** Current size of linear memory in bytes. */
  get memoryBytes(): number {
    return this.exports.memory.buffer.byteLength;
  }

  /** Allocates `bytes` bytes (16-byte aligned); a RangeError when memory cannot grow. */
  alloc(bytes: number): Block {
    const ptr = this.exports.attnkit_alloc(bytes);
    if (ptr === 0) {
      throw new RangeError(`attnkit: WebAssembly memory exhausted allocating ${bytes} bytes (in use: ${this.memoryBytes})`);
    }
    return { ptr, bytes };
  }

  /**
   * Resizes `block` to `bytes` (in place when the allocator can), keeping its contents up
   * to the smaller size; a RangeError, with `block` untouched, when memory cannot grow.
   */
  realloc(block: Block, bytes: number): Block {
    const ptr = this.exports.attnkit_realloc(block.ptr, block.bytes, bytes);
    if (ptr === 0) {
      throw new RangeError(`attnkit: WebAssembly memory exhausted growing a block to ${bytes} bytes (in use: ${this.memoryBytes})`);
    }
    return { ptr, bytes };
  }

  free(block: Block): void {
    this.exports.attnkit_free(block.ptr, block.bytes);
  }

  /** A fresh view of `length` floats at `ptr`. */
  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.exports.memory.buffer, ptr, length);
  }

  u32(ptr: number, length: number): Uint32Array {
    return new Uint32Array(this.exports.memory.buffer, ptr, length);
  }

  i32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.exports.memory.buffer, ptr, length);
  }

  u8(ptr: number, length: number): Uint8Array {
    return new Uint8Array(this.exports.memory.buffer, ptr, length);
  }

  /**
   * Runs `fn` with a scope whose blocks are all freed when it returns or throws: the
   * pattern of every stateless call (copy in, run the kernel, copy out, free).
   */
  scoped<T>(fn: (scope: Scope) => T): T {
    const scope = new Scope(this);
    try {
      return fn(scope);
    } finally {
      scope.freeAll();
    }
  }
}

/**
 * A block kept between calls and grown when a call needs more: an op's working memory,
 * freed with the object that owns it.
 */
export class Scratch {
  private block: Block | undefined;

  constructor(private readonly core: WasmCore) {}

  /**
   * The block's pointer, with at least `bytes` bytes (at least 16, so that an empty call
   * still has a block to point at). Grown when smaller; may throw out of memory, with the
   * old block already given back.
   */
  reserve(bytes: number): number {
    if (this.block === undefined || this.block.bytes < bytes) {
      const old = this.block;
      this.block = undefined;
      if (old !== undefined) this.core.free(old);
      this.block = this.core.alloc(Math.max(16, bytes));
    }
    return this.block.ptr;
  }

  free(): void {
    if (this.block !== undefined) this.core.free(this.block);
    this.block = undefined;
  }
}

/** Temporary blocks of one call. */
export class Scope {
  private readonly blocks: Block[] = [];

  constructor(private readonly core: WasmCore) {}

  /** An uninitialised block of `length` 4-byte elements; returns its pointer. */
  empty(length: number): number {
    const block = this.core.alloc(length * 4);
    this.blocks.push(block);
    return block.ptr;
  }

  /** A block holding a copy of `src`; returns its pointer. */
  f32(src: Float32Array): number {
    const ptr = this.empty(src.length);
    this.core.f32(ptr, src.length).set(src);
    return ptr;
  }

  /** A block holding `ids` as u32 (they are checked to be in [0, rows) already). */
  ids(ids: ArrayLike<number>): number {
    const ptr = this.empty(ids.length);
    this.core.u32(ptr, ids.length).set(ids);
    return ptr;
  }

  /** A block holding a copy of `src` bytes; returns its pointer. */
  u8(src: Uint8Array): number {
    const block = this.core.alloc(src.length);
    this.blocks.push(block);
    this.core.u8(block.ptr, src.length).set(src);
    return block.ptr;
  }

  i32(src: Int32Array): number {
    const ptr = this.empty(src.length);
    this.core.i32(ptr, src.length).set(src);
    return ptr;
  }

  freeAll(): void {
    for (const block of this.blocks) this.core.free(block);
    this.blocks.length = 0;
  }
}
