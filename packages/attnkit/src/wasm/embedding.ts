/**
 * A table kept in linear memory (an embedding table, or the positional table beside it).
 *
 * table [R, E]; ids [N]; out [N, E].
 */

import type { EmbeddingHandle } from '../backend.js';
import type { Ids } from '../types.js';
import { Scratch, type Block, type WasmCore } from './core.js';

/** Bytes of summed rows `lookupAdd` writes before copying them into a given `out`: 32 rows of 768. */
const CHUNK_BYTES = 96 * 1024;

export class WasmEmbedding implements EmbeddingHandle {
  private readonly block: Block;
  private readonly rows: number;
  /**
   * `lookupAdd`'s working block, kept between calls and grown when a call needs more:
   * ids [N] as u32 (padded to 16 bytes), then the sum of as many rows as the call writes
   * at once. Freed with the table.
   */
  private readonly scratch: Scratch;

  constructor(private readonly core: WasmCore, table: Float32Array, private readonly dim: number) {
    this.block = core.alloc(table.length * 4);
    core.f32(this.block.ptr, table.length).set(table);
    this.rows = table.length / dim;
    this.scratch = new Scratch(core);
  }

  /**
   * The rows are copied straight from linear memory into `out`, one `set` (a memcpy) per
   * row. A wasm kernel would gather into linear memory and then need a second pass to
   * copy its result out, which is slower (bench/RESULTS.md, superseded kernel versions).
   */
  lookup(ids: Ids, out: Float32Array): void {
    const { dim } = this;
    const resident = this.core.f32(this.block.ptr, this.rows * dim);
    for (let i = 0; i < ids.length; i++) out.set(resident.subarray(ids[i] * dim, (ids[i] + 1) * dim), i * dim);
  }

  /**
   * out ← table[ids] + positions[0..N): the Rust kernel gathers and adds in one pass
   * (SIMD), reading both tables where they live and writing into the table's scratch,
   * from which the sum is copied out. Two forms, each the faster for its case (bench/RESULTS.md,
   * embedding section):
   * - into `out`: CHUNK_BYTES of rows at a time, each copied out while it is still in the
   *   core's own cache, rather than the whole sum first and one copy;
   * - fresh: the whole sum, then `new Float32Array(view)`, which V8 allocates
   *   uninitialised and fills with one copy (a zeroed `new Float32Array(n)` filled
   *   afterwards writes the result twice).
   */
  lookupAdd(ids: Ids, positions: EmbeddingHandle, out?: Float32Array): Float32Array {
    const { dim, rows } = this;
    const n = ids.length;
    const chunk = out === undefined ? n : Math.min(n, Math.max(1, Math.floor(CHUNK_BYTES / (dim * 4))));
    const idsBytes = Math.ceil(n / 4) * 16;
    const idsPtr = this.scratch.reserve(idsBytes + chunk * dim * 4);
    const sumPtr = idsPtr + idsBytes;
    this.core.u32(idsPtr, n).set(ids);
    const lookupAdd = this.core.exports.attnkit_embedding_lookup_add;
    const addend = (positions as WasmEmbedding).block.ptr;
    if (out === undefined) {
      lookupAdd(this.block.ptr, rows, dim, idsPtr, n, addend, sumPtr);
      return new Float32Array(this.core.f32(sumPtr, n * dim));
    }
    for (let i = 0; i < n; i += chunk) {
      const m = Math.min(chunk, n - i);
      lookupAdd(this.block.ptr, rows, dim, idsPtr + 4 * i, m, addend + 4 * i * dim, sumPtr);
      out.set(this.core.f32(sumPtr, m * dim), i * dim);
    }
    return out;
  }

  free(): void {
    this.scratch.free();
    this.core.free(this.block);
  }
}
