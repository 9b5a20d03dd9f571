/**
 * What each thread of a threaded engine computes: its share of an attention call or of a
 * layer's forward, on its own instance of the core (the module is not built with atomics,
 * so threads share no linear memory). Tensors are exchanged through one SharedArrayBuffer
 * per call whose regions are named in the job; every thread copies its share in, runs the
 * same kernels the single-threaded backend runs (same per-head order, so results are
 * bit-identical), and writes its share of the result back.
 *
 * Letters as in backend.ts: B batch, S query length, T key length, H heads, Hkv kv heads,
 * G = H/Hkv, D head width, E = H·D.
 *
 * Splits:
 * - attention: by units (b, kv head), U = B·Hkv; all G query heads of a kv head stay on one
 *   thread so K and V are packed once. Thread i of N takes units ⌊iU/N⌋ … ⌊(i+1)U/N⌋.
 * - projections: by rows of x (and of kv), in chunks of a multiple of ROW_ALIGN rows.
 *
 * Nothing here imports a Node built-in; pool.ts and worker.ts do.
 */

import type { AttentionShape, MhaDims, MhaParams } from '../backend.js';
import { copyRows } from '../rows.js';
import type { Block, WasmCore } from '../wasm/core.js';

/** A region of the shared buffer: byte offset and element count (f32, or bytes for u8). */
export interface Region {
  at: number;
  length: number;
}

/** Row chunks of a projection split are multiples of this (the linear kernel's MR = 4, ×4). */
const ROW_ALIGN = 16;

/** Barrier slots per job: every job passes all of them, in order (see runPhases). */
export const PHASES = 3;

/** Rows [m0, m1) of M for thread i of n. */
export function rowRange(m: number, i: number, n: number): [number, number] {
  const chunk = Math.ceil(Math.ceil(m / n) / ROW_ALIGN) * ROW_ALIGN;
  const m0 = Math.min(m, i * chunk);
  return [m0, Math.min(m, m0 + chunk)];
}

/** Units [u0, u1) of U for thread i of n. */
export function unitRange(u: number, i: number, n: number): [number, number] {
  return [Math.floor((i * u) / n), Math.floor(((i + 1) * u) / n)];
}

/** Lays regions out one after another in a buffer, 16-byte aligned. */
export class Layout {
  bytes = 0;

  /** A region of `length` elements of `size` bytes. */
  add(length: number, size = 4): Region {
    const region = { at: this.bytes, length };
    this.bytes += Math.ceil((length * size) / 16) * 16;
    return region;
  }
}

export function f32(buffer: ArrayBufferLike, r: Region): Float32Array {
  return new Float32Array(buffer, r.at, r.length);
}

export function u8(buffer: ArrayBufferLike, r: Region): Uint8Array {
  return new Uint8Array(buffer, r.at, r.length);
}

/**
 * The N threads' meeting points, in an Int32Array shared by all: slot p counts arrivals at
 * barrier p over every job ever run, so job j (0, 1, …) waits at slot p until it reaches
 * (j + 1)·N — nothing is reset between jobs, so no thread can miss a wake-up. Slots
 * PHASES + i are thread i's error flags (set to j + 1 when its share of job j failed).
 */
export function arrive(control: Int32Array, slot: number, target: number, stalled?: () => void): void {
  let seen = Atomics.add(control, slot, 1) + 1;
  if (seen >= target) {
    Atomics.notify(control, slot);
    return;
  }
  while (seen < target) {
    // With `stalled` (the main thread), the wait is bounded and `stalled` checks that every
    // thread is still alive, throwing when one died: a dead thread never arrives.
    if (Atomics.wait(control, slot, seen, stalled && STALL_CHECK_MS) === 'timed-out') stalled?.();
    seen = Atomics.load(control, slot);
  }
}

/** How often the main thread, waiting at a barrier, checks that the workers are alive. */
export const STALL_CHECK_MS = 50;

/**
 * Runs this thread's phases of job `jobNo`, with a barrier after each (all PHASES of them,
 * so every thread passes every slot once per job). A failing phase is recorded and the
 * later ones skipped, but the barriers are still passed, so no other thread waits forever.
 * `stalled` (see `arrive`) throws out of here when a thread has died.
 */
export function runPhases(control: Int32Array, jobNo: number, threads: number, index: number, phases: (() => void)[], report?: (err: unknown) => void, stalled?: () => void): unknown {
  let error: unknown;
  for (let p = 0; p < PHASES; p++) {
    if (error === undefined && phases[p] !== undefined) {
      try {
        phases[p]();
      } catch (err) {
        error = err ?? new Error('unknown error');
        report?.(error); // before the flag: whoever sees the flag finds the report
        Atomics.store(control, PHASES + index, jobNo + 1);
      }
    }
    arrive(control, p, (jobNo + 1) * threads, stalled);
  }
  return error;
}

/** The tensors of one attention call, as views of whatever buffer holds them. */
export interface AttentionViews {
  q: Float32Array;
  k: Float32Array;
  v: Float32Array;
  mask?: Float32Array;
  padding?: Uint8Array;
  out: Float32Array;
  weights?: Float32Array;
}

/**
 * out (and weights) for units [u0, u1) of attention: one call of the core per batch,
 * on q [1, S, hs, D] and k, v [1, T, gs, D] gathered from the full tensors; the kernel
 * computes each head exactly as on the whole call (heads are independent, and a kv head
 * keeps all its query heads).
 */
export function attentionUnits(core: WasmCore, t: AttentionViews, shape: AttentionShape, scale: number, maskPerHead: boolean, causal: boolean, u0: number, u1: number): void {
  const { seqQ: S, seqK: T, numHeads: H, numKvHeads: Hkv, headDim: D } = shape;
  const G = H / Hkv;
  for (let u = u0; u < u1; ) {
    const b = Math.floor(u / Hkv);
    const g0 = u - b * Hkv;
    const g1 = Math.min(Hkv, g0 + (u1 - u));
    u += g1 - g0;
    const gs = g1 - g0;
    const h0 = g0 * G;
    const hs = gs * G;
    core.scoped((scope) => {
      const q = scope.empty(S * hs * D);
      const k = scope.empty(T * gs * D);
      const v = scope.empty(T * gs * D);
      const mask = t.mask === undefined ? 0 : maskPerHead ? scope.f32(t.mask.subarray((b * H + h0) * S * T, (b * H + h0 + hs) * S * T)) : scope.f32(t.mask);
      const padding = t.padding === undefined ? 0 : scope.u8(t.padding.subarray(b * T, (b + 1) * T));
      const out = scope.empty(S * hs * D);
      const weights = t.weights === undefined ? 0 : scope.empty(hs * S * T);
      // Views only after the last allocation: growing memory detaches older ones.
      copyRows(t.q, (b * S * H + h0) * D, H * D, core.f32(q, S * hs * D), 0, hs * D, S, hs * D);
      copyRows(t.k, (b * T * Hkv + g0) * D, Hkv * D, core.f32(k, T * gs * D), 0, gs * D, T, gs * D);
      copyRows(t.v, (b * T * Hkv + g0) * D, Hkv * D, core.f32(v, T * gs * D), 0, gs * D, T, gs * D);
      core.exports.attnkit_attention(q, k, v, 1, S, T, hs, gs, D, scale, mask, maskPerHead ? 1 : 0, padding, causal ? 1 : 0, out, weights);
      copyRows(core.f32(out, S * hs * D), 0, hs * D, t.out, (b * S * H + h0) * D, H * D, S, hs * D);
      if (t.weights !== undefined) t.weights.set(core.f32(weights, hs * S * T), (b * H + h0) * S * T);
    });
  }
}

/** A weight [n, k] packed for the linear kernel and its bias [n] (absent = zero). */
interface PackedLinear {
  weights: Block;
  bias: Block | undefined;
  n: number;
  k: number;
}

/** A layer's four projections packed in one core, as wasm/mha.ts packs them. */
export interface PackedMha {
  dims: MhaDims;
  wq: PackedLinear;
  wk: PackedLinear;
  wv: PackedLinear;
  wo: PackedLinear;
}

export function packMha(core: WasmCore, params: MhaParams, dims: MhaDims): PackedMha {
  const { embedDim: E, numKvHeads: Hkv, headDim: D } = dims;
  const taken: PackedLinear[] = [];
  const pack = (w: Float32Array, n: number, bias: Float32Array | undefined): PackedLinear => {
    const weights = core.alloc(core.exports.attnkit_packed_len(n, E) * 4);
    const linear: PackedLinear = { weights, bias: undefined, n, k: E };
    taken.push(linear);
    core.scoped((scope) => core.exports.attnkit_pack_weights(scope.f32(w), n, E, weights.ptr));
    if (bias !== undefined) {
      linear.bias = core.alloc(n * 4);
      core.f32(linear.bias.ptr, n).set(bias);
    }
    return linear;
  };
  try {
    return { dims, wq: pack(params.wq, E, params.bq), wk: pack(params.wk, Hkv * D, params.bk), wv: pack(params.wv, Hkv * D, params.bv), wo: pack(params.wo, E, params.bo) };
  } catch (err) {
    freeLinears(core, taken);
    throw err;
  }
}

function freeLinears(core: WasmCore, linears: PackedLinear[]): void {
  for (const l of linears) {
    core.free(l.weights);
    if (l.bias) core.free(l.bias);
  }
}

export function freeMha(core: WasmCore, layer: PackedMha): void {
  freeLinears(core, [layer.wq, layer.wk, layer.wv, layer.wo]);
}

/** y rows [m0, m1) ← x rows [m0, m1) · Wᵀ + b, optionally rotated (rope over `heads`). */
function linearRows(
  core: WasmCore,
  l: PackedLinear,
  x: Float32Array,
  y: Float32Array,
  m0: number,
  m1: number,
  rope?: { seq: number; heads: number; headDim: number; base: number; interleaved: boolean; offset: number },
): void {
  const rows = m1 - m0;
  if (rows <= 0) return;
  core.scoped((scope) => {
    const xPtr = scope.f32(x.subarray(m0 * l.k, m1 * l.k));
    const yPtr = scope.empty(rows * l.n);
    core.exports.attnkit_linear(xPtr, rows, l.k, l.weights.ptr, l.n, l.bias?.ptr ?? 0, yPtr);
    if (rope !== undefined) {
      // Row r is position offset + (r mod seq): one rope call per batch the rows cross.
      for (let r = m0; r < m1; ) {
        const s0 = r % rope.seq;
        const len = Math.min(rope.seq - s0, m1 - r);
        const positions = scope.i32(Int32Array.from({ length: len }, (_, i) => rope.offset + s0 + i));
        core.exports.attnkit_rope(yPtr + (r - m0) * l.n * 4, 1, len, rope.heads, rope.headDim, positions, rope.base, rope.interleaved ? 1 : 0);
        r += len;
      }
    }
    y.set(core.f32(yPtr, rows * l.n), m0 * l.n);
  });
}

/** The tensors of one layer forward: inputs, intermediates and outputs. */
export interface MhaViews {
  x: Float32Array;
  /** The key/value source; x when absent. */
  src?: Float32Array;
  mask?: Float32Array;
  padding?: Uint8Array;
  q: Float32Array;
  k: Float32Array;
  v: Float32Array;
  a: Float32Array;
  out: Float32Array;
  weights?: Float32Array;
}

/** The per-call facts of a layer forward (MhaCall without its arrays). */
export interface MhaForwardCall {
  batch: number;
  seqLen: number;
  seqK: number;
  maskPerHead: boolean;
  causal: boolean;
  rope?: { base: number; interleaved: boolean; offset: number };
}

/**
 * Thread i of n's three phases of a layer forward (the steps of wasm/mha.ts):
 * 1. its rows of q ← x·Wqᵀ + bq, k ← src·Wkᵀ + bk, v ← src·Wvᵀ + bv (rope on q and k);
 * 2. its units of a ← attention(q, k, v);
 * 3. its rows of out ← a·Woᵀ + bo.
 */
export function mhaPhases(core: WasmCore, layer: PackedMha, t: MhaViews, call: MhaForwardCall, i: number, n: number): (() => void)[] {
  const { embedDim: E, numHeads: H, numKvHeads: Hkv, headDim: D } = layer.dims;
  const { batch: B, seqLen: S, seqK: T } = call;
  const [m0, m1] = rowRange(B * S, i, n);
  const [n0, n1] = rowRange(B * T, i, n);
  const [u0, u1] = unitRange(B * Hkv, i, n);
  const rope = (seq: number, heads: number) => (call.rope ? { seq, heads, headDim: D, ...call.rope } : undefined);
  const shape: AttentionShape = { batch: B, seqQ: S, seqK: T, numHeads: H, numKvHeads: Hkv, headDim: D };
  return [
    () => {
      linearRows(core, layer.wq, t.x, t.q, m0, m1, rope(S, H));
      linearRows(core, layer.wk, t.src ?? t.x, t.k, n0, n1, rope(T, Hkv));
      linearRows(core, layer.wv, t.src ?? t.x, t.v, n0, n1);
    },
    () => {
      const views: AttentionViews = { q: t.q, k: t.k, v: t.v, mask: t.mask, padding: t.padding, out: t.a, weights: t.weights };
      attentionUnits(core, views, shape, 1 / Math.sqrt(D), call.maskPerHead, call.causal, u0, u1);
    },
    () => linearRows(core, layer.wo, t.a, t.out, m0, m1),
  ];
}
