/**
 * The multi-head attention layer on the wasm backend, written once for one thread and for
 * N threads (threads/jobs.ts runs the same phases, each thread on its own share).
 *
 * x [B, S, E], kv [B, T, E] (x for self-attention) → out [B, S, E]:
 *   phase 1: rows of q ← x·Wqᵀ + bq [B·S, E], k ← kv·Wkᵀ + bk, v ← kv·Wvᵀ + bv [B·T, Hkv·D]
 *            (q and k rotated when the call has rope; positions offset + index);
 *   phase 2: units (b, kv head) of a ← attention(q, k, v) [B, S, H, D] (wasm/attention.ts);
 *   phase 3: rows of out ← a·Woᵀ + bo.
 * Thread i of n takes rows `rowRange(·, i, n)` and units `unitRange(B·Hkv, i, n)` of each
 * phase (wasm/share.ts); one thread is i = 0, n = 1. Between phases the tensors live in JS
 * memory (one SharedArrayBuffer when threads share them), and each phase copies its share
 * into linear memory, runs the kernels, and copies the result out.
 *
 * The weights are packed once per core at creation (`packMha`): each projection [n, E] into
 * the 8-wide panels of the linear kernel (crates/attnkit-core/src/linear.rs), biases as given.
 */

import type { AttentionShape, MhaCall, MhaDims, MhaHandle, MhaParams } from '../backend.js';
import { positions } from '../positions.js';
import { attentionUnits, kvHeadsPerCall, type AttentionViews } from './attention.js';
import type { Block, WasmCore } from './core.js';
import { rowRange, unitRange } from './share.js';

/** A weight [n, k] packed for the linear kernel and its bias [n] (absent = zero). */
interface PackedLinear {
  weights: Block;
  bias: Block | undefined;
  n: number;
  k: number;
}

/** A layer's four projections packed in one core. */
export interface PackedMha {
  dims: MhaDims;
  wq: PackedLinear;
  wk: PackedLinear;
  wv: PackedLinear;
  wo: PackedLinear;
}

/** Packs a layer's weights into `core`; on failure (out of memory) nothing is kept. */
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

/** Rope of a projection's rows: row r is position offset + (r mod seq), over `heads` heads. */
interface RowRope {
  seq: number;
  heads: number;
  headDim: number;
  base: number;
  interleaved: boolean;
  offset: number;
}

/** y rows [m0, m1) ← x rows [m0, m1) · Wᵀ + b, then rotated when `rope` is given. */
function linearRows(core: WasmCore, l: PackedLinear, x: Float32Array, y: Float32Array, m0: number, m1: number, rope?: RowRope): void {
  const rows = m1 - m0;
  if (rows <= 0) return;
  core.scoped((scope) => {
    const xPtr = scope.f32(x.subarray(m0 * l.k, m1 * l.k));
    const yPtr = scope.empty(rows * l.n);
    core.exports.attnkit_linear(xPtr, rows, l.k, l.weights.ptr, l.n, l.bias?.ptr ?? 0, yPtr);
    if (rope !== undefined) {
      // One rope call per sequence the rows cross.
      for (let r = m0; r < m1; ) {
        const s0 = r % rope.seq;
        const len = Math.min(rope.seq - s0, m1 - r);
        const pos = scope.i32(positions(rope.offset + s0, len));
        core.exports.attnkit_rope(yPtr + (r - m0) * l.n * 4, 1, len, rope.heads, rope.headDim, pos, rope.base, rope.interleaved ? 1 : 0);
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

/** Thread i of n's three phases of a layer forward (see the file's comment). */
export function mhaPhases(core: WasmCore, layer: PackedMha, t: MhaViews, call: MhaForwardCall, i: number, n: number): (() => void)[] {
  const { numHeads: H, numKvHeads: Hkv, headDim: D } = layer.dims;
  const { batch: B, seqLen: S, seqK: T } = call;
  const [m0, m1] = rowRange(B * S, i, n);
  const [n0, n1] = rowRange(B * T, i, n);
  const [u0, u1] = unitRange(B * Hkv, i, n);
  const rope = (seq: number, heads: number) => (call.rope ? { seq, heads, headDim: D, ...call.rope } : undefined);
  const shape: AttentionShape = { batch: B, seqQ: S, seqK: T, numHeads: H, numKvHeads: Hkv, headDim: D };
  const src = t.src ?? t.x;
  return [
    () => {
      linearRows(core, layer.wq, t.x, t.q, m0, m1, rope(S, H));
      linearRows(core, layer.wk, src, t.k, n0, n1, rope(T, Hkv));
      linearRows(core, layer.wv, src, t.v, n0, n1);
    },
    () => {
      const views: AttentionViews = { q: t.q, k: t.k, v: t.v, mask: t.mask, padding: t.padding, out: t.a, weights: t.weights };
      attentionUnits(core, views, shape, 1 / Math.sqrt(D), call, u0, u1, kvHeadsPerCall(views, shape));
    },
    () => linearRows(core, layer.wo, t.a, t.out, m0, m1),
  ];
}

/** The call's facts as the phases take them. */
export function forwardCall(call: MhaCall): MhaForwardCall {
  const { batch, seqLen, seqK, masks, rope } = call;
  return { batch, seqLen, seqK, maskPerHead: masks.maskPerHead, causal: masks.causal, rope };
}

/** A resident layer on one thread: its phases run one after another with i = 0, n = 1. */
export function createWasmMha(core: WasmCore, params: MhaParams, dims: MhaDims): MhaHandle {
  const layer = packMha(core, params, dims);
  const { embedDim: E, numKvHeads: Hkv, headDim: D } = dims;
  // q, k, v and a, kept between calls and grown to the largest call (a fresh zeroed
  // array per call would page-fault megabytes each time).
  let scratch = new Float32Array(0);
  return {
    forward(x, call, out, weights) {
      const { batch: B, seqLen: S, seqK: T, masks } = call;
      const qa = B * S * E;
      const kv = B * T * Hkv * D;
      if (scratch.length < 2 * qa + 2 * kv) scratch = new Float32Array(2 * qa + 2 * kv);
      const views: MhaViews = {
        x,
        src: call.kv,
        mask: masks.mask,
        padding: masks.keyPaddingMask,
        q: scratch.subarray(0, qa),
        k: scratch.subarray(qa, qa + kv),
        v: scratch.subarray(qa + kv, qa + 2 * kv),
        a: scratch.subarray(qa + 2 * kv, 2 * qa + 2 * kv),
        out,
        weights,
      };
      for (const phase of mhaPhases(core, layer, views, forwardCall(call), 0, 1)) phase();
    },
    free() {
      freeMha(core, layer);
      scratch = new Float32Array(0);
    },
  };
}
