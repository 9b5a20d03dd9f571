/**
 * The naive JS baseline of the benchmarks: the float64 reference of the tests
 * (test/helpers/reference.ts) — plain nested loops, sums in f64, Math.exp — at the
 * benchmarks' shape, 12 heads × 64, E = 768.
 */

import * as reference from '../test/helpers/reference.js';

export const H = 12;
export const D = 64;
export const E = H * D;

/** softmax(q·kᵀ/√D)·v per head; q, k, v, out [S, H, D]. */
export function naiveAttention(q: Float32Array, k: Float32Array, v: Float32Array, S: number, causal: boolean): Float64Array {
  return reference.attention(q, k, v, { seqQ: S, seqK: S, numHeads: H, headDim: D }, 1 / Math.sqrt(D), { causal }, false).output;
}

export interface Params { wq: Float32Array; wk: Float32Array; wv: Float32Array; wo: Float32Array; bq: Float32Array; bk: Float32Array; bv: Float32Array; bo: Float32Array }

/** The layer x [S, E] → [S, E] of nn.MultiheadAttention(E, H). */
export function naiveSelfAttention(x: Float32Array, p: Params, S: number): Float64Array {
  return reference.multiHeadAttention(x, p, { seqLen: S, embedDim: E, numHeads: H }, false).output;
}

/** table[ids] + pe: the embedding rows plus the positional rows, [N, E]. */
export function naiveEncode(table: Float32Array, ids: Int32Array, pe: Float32Array): Float64Array {
  const out = reference.embeddingLookup(table, E, ids);
  for (let i = 0; i < out.length; i++) out[i] += pe[i];
  return out;
}
