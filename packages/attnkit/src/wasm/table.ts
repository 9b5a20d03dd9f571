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
   * (SIMD), reading both tables where they live, then one copy out.
   */
  lookupAdd(ids: Ids, positions: TableHandle, out: Float32Array): void {
    const addend = (positions as WasmTable).block.ptr;
    this.core.scoped((scope) => {
      const idsPtr = scope.ids(ids);
      const sum = scope.empty(out.length);
      this.core.exports.attnkit_embedding_lookup_add(this.block.ptr, this.rows, this.dim, idsPtr, ids.length, addend, sum);
      out.set(this.core.f32(sum, out.length));
    });
  }

  free(): void {
    this.core.free(this.block);
  }
}
