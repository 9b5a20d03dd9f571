/**
 * The float64 reference of every op: the definitions, one loop nest per step, one element
 * at a time, results in Float64Array. It is the oracle of the differential tests and the
 * naive baseline of the benchmarks (bench/naive.ts); the backends are checked against it
 * within ACCURACY. Letters: N ids, R rows, E width, B batch, S query length, T key length,
 * H heads, Hkv kv heads, D head width.
 */

/** out [N, E] ← table [R, E] at ids [N]. */
export function embeddingLookup(table: ArrayLike<number>, dim: number, ids: ArrayLike<number>): Float64Array {
  const out = new Float64Array(ids.length * dim);
  for (let i = 0; i < ids.length; i++) for (let c = 0; c < dim; c++) out[i * dim + c] = table[ids[i] * dim + c];
  return out;
}

/** PE [S, E]: PE[p, 2i] = sin(p / base^(2i/E)), PE[p, 2i+1] = cos(…), p = offset + row. */
export function sinusoidalEncoding(seqLen: number, dim: number, base = 10000, offset = 0): Float64Array {
  const out = new Float64Array(seqLen * dim);
  for (let s = 0; s < seqLen; s++) {
    for (let c = 0; c < dim; c++) {
      const angle = (offset + s) / base ** ((2 * Math.floor(c / 2)) / dim);
      out[s * dim + c] = c % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return out;
}

/**
 * x [B, S, H, D] rotated at positions [S]: θ_j = base^(−2j/D), pairs (j, j + D/2) or, when
 * interleaved, (2j, 2j + 1).
 */
export function rope(x: ArrayLike<number>, shape: { batch: number; seqLen: number; numHeads: number; headDim: number }, positions: ArrayLike<number>, base = 10000, interleaved = false): Float64Array {
  const { batch, seqLen, numHeads, headDim: D } = shape;
  const out = Float64Array.from(x);
  for (let b = 0; b < batch; b++) {
    for (let s = 0; s < seqLen; s++) {
      for (let h = 0; h < numHeads; h++) {
        const row = ((b * seqLen + s) * numHeads + h) * D;
        for (let j = 0; j < D / 2; j++) {
          const angle = positions[s] * base ** ((-2 * j) / D);
          const [i0, i1] = interleaved ? [row + 2 * j, row + 2 * j + 1] : [row + j, row + j + D / 2];
          const [a, c] = [x[i0], x[i1]];
          out[i0] = a * Math.cos(angle) - c * Math.sin(angle);
          out[i1] = a * Math.sin(angle) + c * Math.cos(angle);
        }
      }
    }
  }
  return out;
}

/** What one attention call removes or adds. */
export interface ReferenceMasks {
  causal?: boolean;
  /** Additive, [S, T] or [B, H, S, T]. */
  mask?: ArrayLike<number>;
  /** [B, T], non-zero = padding. */
  keyPaddingMask?: ArrayLike<number>;
}

/**
 * softmax(q·kᵀ·scale + mask)·v per batch and head: q [B, S, H, D], k and v [B, T, Hkv, D]
 * → output [B, S, H, D], weights [B, H, S, T]. Query head h reads kv head ⌊h / (H/Hkv)⌋;
 * causal keeps keys j ≤ i + T − S; a row with every key removed is zeros. Without
 * `withWeights`, `weights` is empty (a benchmark's long sequence need not hold them).
 */
export function attention(
  q: ArrayLike<number>,
  k: ArrayLike<number>,
  v: ArrayLike<number>,
  shape: { batch?: number; seqQ: number; seqK: number; numHeads: number; numKvHeads?: number; headDim: number },
  scale = 1 / Math.sqrt(shape.headDim),
  masks: ReferenceMasks = {},
  withWeights = true,
): { output: Float64Array; weights: Float64Array } {
  const { batch = 1, seqQ: S, seqK: T, numHeads: H, numKvHeads: Hkv = H, headDim: D } = shape;
  const output = new Float64Array(batch * S * H * D);
  const weights = new Float64Array(withWeights ? batch * H * S * T : 0);
  const perHead = masks.mask !== undefined && masks.mask.length !== S * T;
  const scores = new Float64Array(T);
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < H; h++) {
      const g = Math.floor(h / (H / Hkv));
      for (let i = 0; i < S; i++) {
        // pass 1: scores of the visible keys and their maximum (NaN makes the row NaN).
        let max = -Infinity;
        let nan = false;
        for (let j = 0; j < T; j++) {
          const removed = (masks.causal && j > i + T - S) || (masks.keyPaddingMask !== undefined && masks.keyPaddingMask[b * T + j] !== 0);
          let s = -Infinity;
          if (!removed) {
            s = 0;
            for (let d = 0; d < D; d++) s += q[((b * S + i) * H + h) * D + d] * k[((b * T + j) * Hkv + g) * D + d];
            s *= scale;
            if (masks.mask !== undefined) s += masks.mask[perHead ? ((b * H + h) * S + i) * T + j : i * T + j];
          }
          scores[j] = s;
          if (Number.isNaN(s)) nan = true;
          else if (s > max) max = s;
        }
        if (nan) max = NaN;
        else if (max === -Infinity) continue; // every key removed: zeros
        // pass 2: softmax numerators and their sum.
        let sum = 0;
        for (let j = 0; j < T; j++) {
          scores[j] = Math.exp(scores[j] - max);
          sum += scores[j];
        }
        // pass 3: the probabilities, and the weighted sum of the value rows.
        for (let j = 0; j < T; j++) {
          const p = scores[j] / sum;
          if (withWeights) weights[((b * H + h) * S + i) * T + j] = p;
          if (p === 0) continue;
          for (let d = 0; d < D; d++) output[((b * S + i) * H + h) * D + d] += p * v[((b * T + j) * Hkv + g) * D + d];
        }
      }
    }
  }
  return { output, weights };
}

/** y [M, N] ← x [M, K] · Wᵀ + b with W [N, K] (PyTorch's [out, in]); a missing b is zero. */
export function linear(x: ArrayLike<number>, m: number, k: number, w: ArrayLike<number>, n: number, b?: ArrayLike<number>): Float64Array {
  const y = new Float64Array(m * n);
  for (let r = 0; r < m; r++) {
    for (let o = 0; o < n; o++) {
      let sum = b === undefined ? 0 : b[o];
      for (let i = 0; i < k; i++) sum += x[r * k + i] * w[o * k + i];
      y[r * n + o] = sum;
    }
  }
  return y;
}

/** A layer's weights [out, in] and biases, as `multiHeadAttention` takes them. */
export interface ReferenceParams {
  wq: ArrayLike<number>;
  wk: ArrayLike<number>;
  wv: ArrayLike<number>;
  wo: ArrayLike<number>;
  bq?: ArrayLike<number>;
  bk?: ArrayLike<number>;
  bv?: ArrayLike<number>;
  bo?: ArrayLike<number>;
}

/**
 * nn.MultiheadAttention(E, H, batch_first=True), with grouped kv heads and rope:
 * x [B, S, E], kv [B, T, E] → q, k, v projections → rope (positions offset + index) →
 * attention → output projection. weights [B, H, S, T], or [B, S, T] averaged over heads.
 */
export function multiHeadAttention(
  x: ArrayLike<number>,
  p: ReferenceParams,
  o: ReferenceMasks & { batch?: number; seqLen: number; embedDim: number; numHeads: number; numKvHeads?: number; kv?: ArrayLike<number>; seqK?: number; rope?: { base?: number; interleaved?: boolean; offset?: number }; averageWeights?: boolean },
  withWeights = true,
): { output: Float64Array; weights: Float64Array } {
  const { batch = 1, seqLen: S, embedDim: E, numHeads: H, numKvHeads: Hkv = H } = o;
  const D = E / H;
  const src = o.kv ?? x;
  const T = o.seqK ?? S;
  let q = linear(x, batch * S, E, p.wq, E, p.bq);
  let k = linear(src, batch * T, E, p.wk, Hkv * D, p.bk);
  const v = linear(src, batch * T, E, p.wv, Hkv * D, p.bv);
  if (o.rope !== undefined) {
    const { base = 10000, interleaved = false, offset = 0 } = o.rope;
    const at = (n: number) => Array.from({ length: n }, (_, i) => offset + i);
    q = rope(q, { batch, seqLen: S, numHeads: H, headDim: D }, at(S), base, interleaved);
    k = rope(k, { batch, seqLen: T, numHeads: Hkv, headDim: D }, at(T), base, interleaved);
  }
  const a = attention(q, k, v, { batch, seqQ: S, seqK: T, numHeads: H, numKvHeads: Hkv, headDim: D }, 1 / Math.sqrt(D), o, withWeights);
  const output = linear(a.output, batch * S, E, p.wo, E, p.bo);
  return { output, weights: o.averageWeights && withWeights ? averageOverHeads(a.weights, batch, H, S * T) : a.weights };
}

/** weights [B, H, S, T] → their mean over heads [B, S, T]. */
export function averageOverHeads(weights: ArrayLike<number>, batch: number, heads: number, rows: number): Float64Array {
  const mean = new Float64Array(batch * rows);
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < rows; r++) {
      let sum = 0;
      for (let h = 0; h < heads; h++) sum += weights[(b * heads + h) * rows + r];
      mean[b * rows + r] = sum / heads;
    }
  }
  return mean;
}
