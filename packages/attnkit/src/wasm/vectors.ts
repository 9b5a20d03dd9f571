/**
 * A word-vector table in linear memory, filled row block by row block as a loader parses
 * the file (the table is never held in JS memory).
 *
 * Blocks: table [capacity, E] in the dtype; scales [capacity] (int8 only); invNorms [R]
 * (after `finish`); scratch: staged rows to store, ids and gathered rows, or a query and
 * its results (kept between calls, grown when a call needs more).
 */

import type { EmbeddingHandle, ParsedText, VectorDtype, VectorsHandle } from '../backend.js';
import type { Ids } from '../types.js';
import { elementBytes, lookupThenAdd } from '../ts/vectors.js';
import { Scratch, type Block, type WasmCore } from './core.js';

const DTYPE_CODE: Record<VectorDtype, number> = { f32: 0, f16: 1, int8: 2 };

/** Rows gathered per kernel call before they are copied out (f16/int8 lookups). */
const GATHER_BYTES = 64 * 1024;

/** Rounds up to the allocator's 16-byte alignment. */
const align16 = (bytes: number) => Math.ceil(bytes / 16) * 16;

export class WasmVectors implements VectorsHandle {
  rows = 0;
  private table: Block;
  private scales: Block | undefined;
  private inv: Block | undefined;
  private readonly scratch: Scratch;
  /** Text parsing: the text, the staged rows, their word spans and the stop record (grown on demand). */
  private parse: { block: Block; text: number; values: number; spans: number; stop: number; textBytes: number; rows: number } | undefined;
  private capacity: number;
  private readonly rowBytes: number;
  private readonly code: number;

  constructor(private readonly core: WasmCore, readonly dim: number, readonly dtype: VectorDtype, capacity: number) {
    this.rowBytes = dim * elementBytes(dtype);
    this.code = DTYPE_CODE[dtype];
    this.capacity = capacity;
    this.scratch = new Scratch(core);
    this.table = core.alloc(capacity * this.rowBytes);
    try {
      if (dtype === 'int8') this.scales = core.alloc(capacity * 4);
    } catch (err) {
      core.free(this.table);
      throw err;
    }
  }

  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    this.table = this.core.realloc(this.table, rows * this.rowBytes);
    if (this.scales !== undefined) {
      // The table has grown already; if the scales cannot, the table keeps its new room.
      this.scales = this.core.realloc(this.scales, rows * 4);
    }
    this.capacity = rows;
  }

  append(values: Float32Array, n: number): void {
    this.reserve(this.rows + n);
    const { core, dim } = this;
    const dst = this.table.ptr + this.rows * this.rowBytes;
    if (this.dtype === 'f32') {
      core.f32(dst, n * dim).set(values.subarray(0, n * dim));
    } else {
      const src = this.scratch.reserve(n * dim * 4);
      core.f32(src, n * dim).set(values.subarray(0, n * dim));
      const scales = this.scales === undefined ? 0 : this.scales.ptr + this.rows * 4;
      core.exports.attnkit_vectors_store(src, n, dim, this.code, dst, scales);
    }
    this.rows += n;
  }

  finish(): void {
    const { core, rows } = this;
    if (this.parse !== undefined) {
      core.free(this.parse.block);
      this.parse = undefined;
    }
    if (this.capacity - rows > this.capacity / 8) {
      // Much unused room (a table grown for a stream of unknown size): shrink it. The
      // allocator moves a large block even to shrink it (a copy: table bytes more at the
      // peak), so the few percent of slack an estimate leaves are kept instead.
      this.table = core.realloc(this.table, rows * this.rowBytes);
      if (this.scales !== undefined) this.scales = core.realloc(this.scales, rows * 4);
      this.capacity = rows;
    }
    this.inv = core.alloc(rows * 4);
    core.exports.attnkit_vectors_inv_norms(this.table.ptr, this.code, this.scalesPtr, rows, this.dim, this.inv.ptr);
  }

  private get scalesPtr(): number {
    return this.scales?.ptr ?? 0;
  }

  /**
   * f32 rows are copied straight from linear memory into `out` (one memcpy per row);
   * f16 and int8 rows are gathered and dequantised by the core (SIMD), a block of rows at
   * a time, and each block copied out.
   */
  lookup(ids: Ids, out: Float32Array): void {
    const { core, dim, rows } = this;
    if (this.dtype === 'f32') {
      const resident = core.f32(this.table.ptr, rows * dim);
      for (let i = 0; i < ids.length; i++) out.set(resident.subarray(ids[i] * dim, (ids[i] + 1) * dim), i * dim);
      return;
    }
    const n = ids.length;
    const chunk = Math.min(n, Math.max(1, Math.floor(GATHER_BYTES / (dim * 4))));
    const idsBytes = align16(chunk * 4);
    const idsPtr = this.scratch.reserve(idsBytes + chunk * dim * 4);
    const outPtr = idsPtr + idsBytes;
    for (let i = 0; i < n; i += chunk) {
      const m = Math.min(chunk, n - i);
      const view = core.u32(idsPtr, m);
      for (let j = 0; j < m; j++) view[j] = ids[i + j];
      core.exports.attnkit_vectors_gather(this.table.ptr, this.code, this.scalesPtr, rows, dim, idsPtr, m, outPtr);
      out.set(core.f32(outPtr, m * dim), i * dim);
    }
  }

  lookupAdd(ids: Ids, positions: EmbeddingHandle, out = new Float32Array(ids.length * this.dim)): Float32Array {
    return lookupThenAdd(this, ids, positions, out, this.dim);
  }

  nearest(q: Float32Array, k: number, exclude: Uint32Array): { ids: Int32Array; scores: Float32Array } {
    const { core, dim, rows } = this;
    const kept = Math.min(k, rows);
    const qBytes = align16(dim * 4);
    const exBytes = align16(exclude.length * 4);
    const idBytes = align16(kept * 4);
    const qPtr = this.scratch.reserve(qBytes + exBytes + 2 * idBytes);
    const exPtr = qPtr + qBytes;
    const idsPtr = exPtr + exBytes;
    const scoresPtr = idsPtr + idBytes;
    core.f32(qPtr, dim).set(q);
    core.u32(exPtr, exclude.length).set(exclude);
    const count = core.exports.attnkit_vectors_nearest(this.table.ptr, this.code, this.scalesPtr, this.inv!.ptr, rows, dim, qPtr, kept, exPtr, exclude.length, idsPtr, scoresPtr);
    return { ids: new Int32Array(core.i32(idsPtr, count)), scores: new Float32Array(core.f32(scoresPtr, count)) };
  }

  parseText(buf: Uint8Array, start: number, end: number, last: boolean, maxRows: number): ParsedText {
    const { core, dim } = this;
    const p = this.parseBlock(end - start, maxRows);
    core.u8(p.text, end - start).set(buf.subarray(start, end));
    core.exports.attnkit_vectors_parse_text(p.text, end - start, last ? 1 : 0, dim, maxRows, p.values, p.spans, p.stop);
    const [rows, consumed, lines, error] = core.u32(p.stop, 4);
    return { rows, consumed, lines, error: error !== 0, spans: core.u32(p.spans, rows * 3).slice() };
  }

  parsedValues(n: number): Float32Array {
    return this.core.f32(this.parse!.values, n * this.dim);
  }

  appendParsed(n: number, keep?: number[]): void {
    const { core, dim } = this;
    const p = this.parse!;
    let count = n;
    if (keep !== undefined) {
      // Duplicates dropped: the kept rows moved together, in order.
      const staged = core.f32(p.values, n * dim);
      keep.forEach((r, i) => {
        if (r !== i) staged.copyWithin(i * dim, r * dim, (r + 1) * dim);
      });
      count = keep.length;
    }
    if (count === 0) return;
    this.reserve(this.rows + count);
    const dst = this.table.ptr + this.rows * this.rowBytes;
    const scales = this.scales === undefined ? 0 : this.scales.ptr + this.rows * 4;
    core.exports.attnkit_vectors_store(p.values, count, dim, this.code, dst, scales);
    this.rows += count;
  }

  /** The parsing block, with room for `textBytes` of text and `rows` staged rows. */
  private parseBlock(textBytes: number, rows: number) {
    const p = this.parse;
    if (p !== undefined && p.textBytes >= textBytes && p.rows >= rows) return p;
    // A quarter more than asked, in 64 KB steps: chunks joined with a line's tail differ by
    // a few bytes each time, and should not each need a new block.
    const text = Math.ceil(Math.max(textBytes * 1.25, p?.textBytes ?? 0, 1 << 16) / 65536) * 65536;
    const r = Math.max(rows, p?.rows ?? 0);
    const values = align16(r * this.dim * 4);
    const spans = align16(r * 12);
    const block = this.core.alloc(text + values + spans + 16);
    if (p !== undefined) this.core.free(p.block);
    this.parse = { block, text: block.ptr, values: block.ptr + text, spans: block.ptr + text + values, stop: block.ptr + text + values + spans, textBytes: text, rows: r };
    return this.parse;
  }

  free(): void {
    const { core } = this;
    this.scratch.free();
    for (const block of [this.parse?.block, this.inv, this.scales, this.table]) if (block !== undefined) core.free(block);
    this.inv = this.scales = undefined;
    this.parse = undefined;
  }
}
