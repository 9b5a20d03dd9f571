/**
 * Word-vector tables in pure TypeScript: the twin of crates/attnkit-core/src/vectors.rs.
 *
 * table [R, E] in its dtype (Float32Array, Uint16Array of f16 bits, or Int8Array with
 * scales [R]); invNorms [R] = 1 / ‖row‖ of the stored row (0 for a zero row); q [E].
 * Conversions give the same bits as the Rust core; norms and scores are summed in f64
 * here and in f32 lanes there: the two agree within 1e-6.
 */

import type { EmbeddingHandle, VectorDtype, VectorsHandle } from '../backend.js';
import type { Ids } from '../types.js';
import { f16ToF32, f32ToF16 } from './half.js';

const f32 = Math.fround;

/** Round half to even (|v| < 2²³). */
function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** dst [n, E], scales [n] ← src [n, E] quantised per row (scale = max|x| / 127, in f32). */
export function storeInt8(src: Float32Array, n: number, dim: number, dst: Int8Array, scales: Float32Array): void {
  for (let r = 0; r < n; r++) {
    const at = r * dim;
    let max = 0;
    for (let e = 0; e < dim; e++) max = Math.max(max, Math.abs(src[at + e]));
    const s = f32(max / 127);
    scales[r] = s;
    for (let e = 0; e < dim; e++) dst[at + e] = s === 0 ? 0 : Math.max(-127, Math.min(127, roundHalfEven(f32(src[at + e] / s))));
  }
}

/** The stored rows of one table. */
export interface TsTable {
  dtype: VectorDtype;
  data: Float32Array | Uint16Array | Int8Array;
  /** int8 only. */
  scales: Float32Array;
}

/** out [E] ← row r as f32. */
export function readRow(t: TsTable, r: number, dim: number, out: Float32Array, at = 0): void {
  const base = r * dim;
  if (t.dtype === 'f32') {
    out.set((t.data as Float32Array).subarray(base, base + dim), at);
  } else if (t.dtype === 'f16') {
    const d = t.data as Uint16Array;
    for (let e = 0; e < dim; e++) out[at + e] = f16ToF32(d[base + e]);
  } else {
    const d = t.data as Int8Array;
    const s = t.scales[r];
    for (let e = 0; e < dim; e++) out[at + e] = d[base + e] * s;
  }
}

/** out [N, E] ← table[ids] as f32. */
export function gather(t: TsTable, dim: number, ids: Ids, out: Float32Array): void {
  for (let i = 0; i < ids.length; i++) readRow(t, ids[i], dim, out, i * dim);
}

/** inv [R] ← 1 / ‖row‖, the squares summed in f64 in order (the core's `inv_norms_naive`); 0 for a zero row. */
export function invNorms(t: TsTable, rows: number, dim: number, inv: Float32Array): void {
  const row = new Float32Array(dim);
  for (let r = 0; r < rows; r++) {
    readRow(t, r, dim, row);
    let s = 0;
    for (let e = 0; e < dim; e++) s += row[e] * row[e];
    inv[r] = s > 0 ? 1 / Math.sqrt(s) : 0;
  }
}

/** Whether (score a, id a) ranks before (score b, id b): higher score, then lower id. */
function better(sa: number, ia: number, sb: number, ib: number): boolean {
  return sa > sb || (sa === sb && ia < ib);
}

/**
 * The k rows with the highest q·row/‖row‖, best first, ties by lower id, skipping the
 * ids in `exclude`: one pass over the rows with a k-heap whose root is the worst kept.
 */
export function nearest(t: TsTable, rows: number, dim: number, q: Float32Array, inv: Float32Array, k: number, exclude: ArrayLike<number>): { ids: Int32Array; scores: Float32Array } {
  const skip = new Set(Array.from(exclude));
  const hs: number[] = [];
  const hi: number[] = [];
  const row = new Float32Array(dim);
  const swap = (a: number, b: number) => {
    [hs[a], hs[b]] = [hs[b], hs[a]];
    [hi[a], hi[b]] = [hi[b], hi[a]];
  };
  for (let r = 0; r < rows && k > 0; r++) {
    if (skip.has(r)) continue;
    let dot = 0;
    if (t.dtype === 'int8') {
      const d = t.data as Int8Array;
      for (let e = 0, at = r * dim; e < dim; e++) dot += d[at + e] * q[e];
      dot *= f32(t.scales[r] * inv[r]);
    } else {
      readRow(t, r, dim, row);
      for (let e = 0; e < dim; e++) dot += row[e] * q[e];
      dot *= inv[r];
    }
    const score = f32(dot);
    if (Number.isNaN(score)) continue;
    if (hs.length < k) {
      hs.push(score);
      hi.push(r);
      for (let i = hs.length - 1; i > 0; ) {
        const p = (i - 1) >> 1;
        if (!better(hs[p], hi[p], hs[i], hi[i])) break;
        swap(p, i);
        i = p;
      }
    } else if (better(score, r, hs[0], hi[0])) {
      hs[0] = score;
      hi[0] = r;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const rr = l + 1;
        let worst = i;
        if (l < hs.length && better(hs[worst], hi[worst], hs[l], hi[l])) worst = l;
        if (rr < hs.length && better(hs[worst], hi[worst], hs[rr], hi[rr])) worst = rr;
        if (worst === i) break;
        swap(i, worst);
        i = worst;
      }
    }
  }
  const order = hs.map((_, i) => i).sort((a, b) => (better(hs[a], hi[a], hs[b], hi[b]) ? -1 : 1));
  return { ids: Int32Array.from(order, (i) => hi[i]), scores: Float32Array.from(order, (i) => hs[i]) };
}

/** Bytes of one stored element. */
export function elementBytes(dtype: VectorDtype): number {
  return dtype === 'f32' ? 4 : dtype === 'f16' ? 2 : 1;
}

function allocate(dtype: VectorDtype, length: number): Float32Array | Uint16Array | Int8Array {
  return dtype === 'f32' ? new Float32Array(length) : dtype === 'f16' ? new Uint16Array(length) : new Int8Array(length);
}

/** A word-vector table in JS memory, filled by a loader and grown as rows arrive. */
export class TsVectors implements VectorsHandle {
  rows = 0;
  private table: TsTable | undefined;
  private inv = new Float32Array(0);
  private capacity: number;

  constructor(readonly dim: number, readonly dtype: VectorDtype, capacity: number) {
    this.capacity = capacity;
    this.table = { dtype, data: allocate(dtype, capacity * dim), scales: new Float32Array(dtype === 'int8' ? capacity : 0) };
  }

  private get t(): TsTable {
    return this.table!;
  }

  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    const t = this.t;
    const data = allocate(this.dtype, rows * this.dim);
    data.set(t.data.subarray(0, this.rows * this.dim) as never);
    const scales = new Float32Array(this.dtype === 'int8' ? rows : 0);
    scales.set(t.scales.subarray(0, this.dtype === 'int8' ? this.rows : 0));
    this.table = { dtype: this.dtype, data, scales };
    this.capacity = rows;
  }

  append(values: Float32Array, n: number): void {
    this.reserve(this.rows + n);
    const { dim, dtype } = this;
    const t = this.t;
    const at = this.rows * dim;
    if (dtype === 'f32') {
      (t.data as Float32Array).set(values.subarray(0, n * dim), at);
    } else if (dtype === 'f16') {
      const d = t.data as Uint16Array;
      for (let i = 0; i < n * dim; i++) d[at + i] = f32ToF16(values[i]);
    } else {
      storeInt8(values, n, dim, (t.data as Int8Array).subarray(at), t.scales.subarray(this.rows));
    }
    this.rows += n;
  }

  finish(): void {
    const t = this.t;
    if (this.capacity > this.rows) {
      this.table = { dtype: this.dtype, data: t.data.slice(0, this.rows * this.dim), scales: t.scales.slice(0, this.dtype === 'int8' ? this.rows : 0) };
      this.capacity = this.rows;
    }
    this.inv = new Float32Array(this.rows);
    invNorms(this.t, this.rows, this.dim, this.inv);
  }

  get invNorms(): Float32Array {
    return this.inv;
  }

  lookup(ids: Ids, out: Float32Array): void {
    gather(this.t, this.dim, ids, out);
  }

  lookupAdd(ids: Ids, positions: EmbeddingHandle, out = new Float32Array(ids.length * this.dim)): Float32Array {
    return lookupThenAdd(this, ids, positions, out, this.dim);
  }

  nearest(q: Float32Array, k: number, exclude: Uint32Array): { ids: Int32Array; scores: Float32Array } {
    return nearest(this.t, this.rows, this.dim, q, this.inv, k, exclude);
  }

  free(): void {
    this.table = undefined;
  }
}

/**
 * out ← rows[ids] + positions[0 .. N): the gather, then the positional rows read through
 * the positional table's own lookup, added in f32 (the same bits as a fused kernel).
 */
export function lookupThenAdd(table: EmbeddingHandle, ids: Ids, positions: EmbeddingHandle, out: Float32Array, dim: number): Float32Array {
  table.lookup(ids, out);
  const add = new Float32Array(ids.length * dim);
  positions.lookup(Int32Array.from({ length: ids.length }, (_, i) => i), add);
  for (let i = 0; i < out.length; i++) out[i] += add[i];
  return out;
}
