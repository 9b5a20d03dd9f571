/**
 * The naive JS baseline of issue 4's benchmarks: plain nested loops over Float32Arrays,
 * sums in f64 (JS numbers), Math.exp — what one writes without thinking about speed. The
 * workloads' shape: 12 heads × 64, E = 768.
 */

export const H = 12;
export const D = 64;
export const E = H * D;

/** y[s, o] = b[o] + Σ_i x[s, i]·w[o, i]; x [S, In], w [Out, In]. */
export function naiveLinear(x: Float32Array, w: Float32Array, b: Float32Array, S: number, In: number, Out: number): Float32Array {
  const y = new Float32Array(S * Out);
  for (let s = 0; s < S; s++) {
    for (let o = 0; o < Out; o++) {
      let sum = b[o];
      for (let i = 0; i < In; i++) sum += x[s * In + i] * w[o * In + i];
      y[s * Out + o] = sum;
    }
  }
  return y;
}

/** softmax(q·kᵀ/√D)·v per head; q, k, v, out [S, H, D]. */
export function naiveAttention(q: Float32Array, k: Float32Array, v: Float32Array, S: number, causal: boolean): Float32Array {
  const out = new Float32Array(S * H * D);
  const p = new Float64Array(S);
  const scale = 1 / Math.sqrt(D);
  for (let h = 0; h < H; h++) {
    for (let i = 0; i < S; i++) {
      const last = causal ? i : S - 1;
      let max = -Infinity;
      for (let j = 0; j <= last; j++) {
        let dot = 0;
        for (let d = 0; d < D; d++) dot += q[(i * H + h) * D + d] * k[(j * H + h) * D + d];
        p[j] = dot * scale;
        if (p[j] > max) max = p[j];
      }
      let sum = 0;
      for (let j = 0; j <= last; j++) {
        p[j] = Math.exp(p[j] - max);
        sum += p[j];
      }
      for (let d = 0; d < D; d++) {
        let acc = 0;
        for (let j = 0; j <= last; j++) acc += p[j] * v[(j * H + h) * D + d];
        out[(i * H + h) * D + d] = acc / sum;
      }
    }
  }
  return out;
}

export interface Params { wq: Float32Array; wk: Float32Array; wv: Float32Array; wo: Float32Array; bq: Float32Array; bk: Float32Array; bv: Float32Array; bo: Float32Array }

export function naiveSelfAttention(x: Float32Array, p: Params, S: number): Float32Array {
  const q = naiveLinear(x, p.wq, p.bq, S, E, E);
  const k = naiveLinear(x, p.wk, p.bk, S, E, E);
  const v = naiveLinear(x, p.wv, p.bv, S, E, E);
  return naiveLinear(naiveAttention(q, k, v, S, false), p.wo, p.bo, S, E, E);
}

export function naiveEncode(table: Float32Array, ids: Int32Array, pe: Float32Array): Float32Array {
  const out = new Float32Array(ids.length * E);
  for (let i = 0; i < ids.length; i++) for (let c = 0; c < E; c++) out[i * E + c] = table[ids[i] * E + c] + pe[i * E + c];
  return out;
}
