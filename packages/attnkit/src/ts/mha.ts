/**
 * Multi-head attention layer on the TypeScript backend (the fallback where WebAssembly SIMD is missing).
 *
 * x [B, S, E], kv [B, T, E] (x for self-attention) → out [B, S, E]:
 *   q ← x·Wqᵀ + bq  [B, S, H, D]      k ← kv·Wkᵀ + bk, v ← kv·Wvᵀ + bv  [B, T, Hkv, D]
 *   q, k ← rope(q), rope(k)           (when asked; positions offset + index)
 *   a ← attention(q, k, v)            [B, S, H, D] = [B, S, E]
 *   out ← a·Woᵀ + bo
 */

import type { MhaCall, MhaDims, MhaHandle, MhaParams } from '../backend.js';
import { attention } from './attention.js';
import { linear } from './linear.js';
import { rope } from './rope.js';

function positions(offset: number, length: number): Int32Array {
  return Int32Array.from({ length }, (_, i) => offset + i);
}

/** A layer's copies of its parameters: weights [out, in] in f64, biases in f32. */
interface Weights {
  wq: Float64Array;
  wk: Float64Array;
  wv: Float64Array;
  wo: Float64Array;
  bq?: Float32Array;
  bk?: Float32Array;
  bv?: Float32Array;
  bo?: Float32Array;
}

export function createTsMha(params: MhaParams, dims: MhaDims): MhaHandle {
  const { embedDim: E, numHeads: H, numKvHeads: Hkv, headDim: D } = dims;
  const copy = (a: Float32Array | undefined) => a?.slice();
  // The weights in f64, converted once (the linear kernel's tile reads f64 only); biases as given.
  let w: Weights | undefined = { wq: Float64Array.from(params.wq), wk: Float64Array.from(params.wk), wv: Float64Array.from(params.wv), wo: Float64Array.from(params.wo), bq: copy(params.bq), bk: copy(params.bk), bv: copy(params.bv), bo: copy(params.bo) };
  return {
    forward(x, call: MhaCall, out, weights) {
      const p = w!;
      const { batch: B, seqLen: S, seqK: T } = call;
      const src = call.kv ?? x;
      const q = new Float32Array(B * S * E);
      const k = new Float32Array(B * T * Hkv * D);
      const v = new Float32Array(B * T * Hkv * D);
      linear(x, B * S, E, p.wq, E, p.bq, q);
      linear(src, B * T, E, p.wk, Hkv * D, p.bk, k);
      linear(src, B * T, E, p.wv, Hkv * D, p.bv, v);
      if (call.rope) {
        const { base, interleaved, offset } = call.rope;
        rope(q, { batch: B, seqLen: S, numHeads: H, headDim: D }, positions(offset, S), base, interleaved, q);
        rope(k, { batch: B, seqLen: T, numHeads: Hkv, headDim: D }, positions(offset, T), base, interleaved, k);
      }
      const a = new Float32Array(B * S * E);
      attention(q, k, v, { batch: B, seqQ: S, seqK: T, numHeads: H, numKvHeads: Hkv, headDim: D }, 1 / Math.sqrt(D), call.masks, a, weights);
      linear(a, B * S, E, p.wo, E, p.bo, out);
    },
    free() {
      w = undefined;
    },
  };
}
