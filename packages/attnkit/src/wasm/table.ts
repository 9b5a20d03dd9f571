/**
 * A table kept in linear memory (an embedding table, or the positional table beside it).
 *
 * table [R, E]; ids [N]; out [N, E].
 */

import type { TableHandle } from '../kernels.js';
import type { Ids } from '../types.js';
import type { Block, WasmCore } from './core.js';

export class WasmTable implements TableHandle {
  private readonly block: Block;
  private readonly rows: number;
  /**
   * `lookupAdd`'s working block, kept between calls and grown when more ids arrive:
   * ids [cap] as u32 (padded to 16 bytes), then the sum [cap, E]. Freed with the table.
   */
  private scratch: { block: Block; cap: number } | undefined;

  constructor(private readonly core: WasmCore, table: Float32Array, private readonly dim: number) {
    this.block = core.alloc(table.length * 4);
    core.f32(this.block.ptr, table.length).set(table);
    this.rows = table.length / dim;
  }

  /**
   * The rows are copied straight from linear memory into `out`, one `set` (a memcpy) per
   * row. A wasm kernel would gather into linear memory and then need a second pass to
   * copy its result out: measured 0.69× the speed of this one pass (bench/RESULTS.md).
   */
  lookup(ids: Ids, out: Float32Array): void {
    const { dim } = this;
    const resident = this.core.f32(this.block.ptr, this.rows * dim);
    for (let i = 0; i < ids.length; i++) out.set(resident.subarray(ids[i] * dim, (ids[i] + 1) * dim), i * dim);
  }

  /**
   * out ← table[ids] + positions[0..N): the Rust kernel gathers and adds in one pass
   * (SIMD), reading both tables where they live and writing into the table's scratch,
   * then one copy out. Without `out`, `new Float32Array(view)` makes the fresh result:
   * V8 allocates it uninitialised and copies once, where `new Float32Array(n)` + `set`
   * zeroes 1.5 MiB first (0.10 vs 0.16 ms for [512, 768], /tmp measurement, Node 20).
   */
  lookupAdd(ids: Ids, positions: TableHandle, out?: Float32Array): Float32Array {
    const n = ids.length;
    const length = n * this.dim;
    const { idsPtr, sumPtr } = this.reserve(n);
    this.core.u32(idsPtr, n).set(ids);
    this.core.exports.attnkit_embedding_lookup_add(this.block.ptr, this.rows, this.dim, idsPtr, n, (positions as WasmTable).block.ptr, sumPtr);
    const sum = this.core.f32(sumPtr, length);
    if (out === undefined) return new Float32Array(sum);
    out.set(sum);
    return out;
  }

  /** The scratch for n ids (grown to exactly n when smaller; may throw out of memory). */
  private reserve(n: number): { idsPtr: number; sumPtr: number } {
    const idsBytes = Math.ceil(n / 4) * 16;
    if (this.scratch === undefined || this.scratch.cap < n) {
      const old = this.scratch;
      this.scratch = undefined;
      if (old !== undefined) this.core.free(old.block);
      // At least 16 bytes, so that an empty call still has a block to point at.
      this.scratch = { block: this.core.alloc(Math.max(16, idsBytes + n * this.dim * 4)), cap: n };
    }
    const ptr = this.scratch.block.ptr;
    return { idsPtr: ptr, sumPtr: ptr + idsBytes };
  }

  free(): void {
    if (this.scratch !== undefined) this.core.free(this.scratch.block);
    this.scratch = undefined;
    this.core.free(this.block);
  }
}
