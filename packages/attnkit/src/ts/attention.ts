/**
 * Scaled dot-product attention on the TypeScript backend (the fallback where WebAssembly SIMD is missing).
 *
 * q, out [B, S, H, D]; k, v [B, T, Hkv, D]; weights [B, H, S, T].
 * O ← softmax(Q·Kᵀ·scale + M)·V per batch and head; query head h reads kv head
 * ⌊h / (H/Hkv)⌋. Keys are removed by −∞ in the mask, by `causal` (query i sees keys
 * j ≤ i + T − S) and by the key padding mask; a row with every key removed is zeros.
 * Dot products and sums run in f64 (JS numbers) and are rounded once on store.
 *
 * `attention` computes the sums in blocks of BQ = 4 query rows; `attentionRowwise`, one
 * query row at a time, is its path for values that are not finite. Per kv head, K [T, D] and Vᵀ [D, T] are
 * copied once into contiguous f64 arrays; per block, both products are 4 × 3 register
 * tiles of dot products along contiguous rows (`dotTiles`):
 *   pass 1: S_blk [4, T] ← Q_blk [4, D] · Kᵀ   (rows of Q against rows of K),
 *   pass 3: O_blk [4, D] ← P_blk [4, T] · V    (rows of P against rows of Vᵀ),
 * so each loaded value feeds three or four of twelve independent sums. It falls back to
 * the row-wise form for a kv head whose V holds NaN or ±∞, where a removed key's 0·NaN
 * must not leak.
 */

import type { AttentionMasks, AttentionShape } from '../backend.js';
import { dotTiles } from './tiles.js';

/** Query rows per block in `attention`. */
const BQ = 4;

export function attention(q: Float32Array, k: Float32Array, v: Float32Array, shape: AttentionShape, scale: number, masks: AttentionMasks, out: Float32Array, weights?: Float32Array): void {
  const { batch, seqQ, seqK, numHeads, numKvHeads, headDim: D } = shape;
  const group = numHeads / numKvHeads;
  const kvStride = numKvHeads * D;
  const p = new Float64Array(BQ * seqK); // the block's scores, then probabilities [4, T]
  const o = new Float64Array(BQ * D); // the block's unnormalised output [4, D]
  const invSum = new Float64Array(BQ);
  const kh = new Float64Array(seqK * D); // K [T, D] of one kv head
  const vt = new Float64Array(D * seqK); // Vᵀ [D, T] of one kv head
  const qb = new Float64Array(BQ * D); // the block's query rows [4, D]
  for (let b = 0; b < batch; b++) {
    for (let kvh = 0; kvh < numKvHeads; kvh++) {
      if (!valuesFinite(v, b, seqK, kvStride, kvh * D, D)) {
        attentionRowwise(q, k, v, shape, scale, masks, out, weights, b, kvh * group, (kvh + 1) * group);
        continue;
      }
      for (let j = 0; j < seqK; j++) {
        const row = (b * seqK + j) * kvStride + kvh * D;
        for (let d = 0; d < D; d++) {
          kh[j * D + d] = k[row + d];
          vt[d * seqK + j] = v[row + d];
        }
      }
      for (let h = kvh * group; h < (kvh + 1) * group; h++) {
        for (let i0 = 0; i0 < seqQ; i0 += BQ) {
          const rows = Math.min(BQ, seqQ - i0);
          // Keys j < seen(r) are visible to row r; the block's last row sees the most.
          const seen = (r: number) => (masks.causal ? Math.max(0, Math.min(seqK, i0 + r + seqK - seqQ + 1)) : seqK);
          const keys = seen(rows - 1);
          // Query rows of the block (rows past `rows` repeat the last one; dropped).
          for (let r = 0; r < BQ; r++) {
            const row = ((b * seqQ + i0 + Math.min(r, rows - 1)) * numHeads + h) * D;
            for (let d = 0; d < D; d++) qb[r * D + d] = q[row + d];
          }

          // pass 1: raw scores q_r·k_j, three keys at a time.
          dotTiles(qb, 0, D, kh, D, keys, D, p, seqK);

          // pass 2: scale, mask, remove keys; softmax numerators and 1/Σ per row.
          for (let r = 0; r < rows; r++) {
            const i = i0 + r;
            const row = r * seqK;
            const maskOff = masks.maskPerHead ? ((b * numHeads + h) * seqQ + i) * seqK : i * seqK;
            const visible = seen(r);
            let max = -Infinity;
            let anyNaN = false;
            for (let j = 0; j < keys; j++) {
              const padded = masks.keyPaddingMask !== undefined && masks.keyPaddingMask[b * seqK + j] !== 0;
              const s = j >= visible || padded ? -Infinity : p[row + j] * scale + (masks.mask !== undefined ? masks.mask[maskOff + j] : 0);
              p[row + j] = s;
              if (s > max) max = s;
              else if (Number.isNaN(s)) anyNaN = true;
            }
            if (max === -Infinity && !anyNaN) {
              p.fill(0, row, row + keys); // every key removed: the row stays zero
              invSum[r] = 0;
              continue;
            }
            let sum = 0;
            for (let j = 0; j < keys; j++) {
              const e = Math.exp(p[row + j] - max);
              p[row + j] = e;
              sum += e;
            }
            invSum[r] = 1 / sum;
          }
          // Rows past `rows` hold stale values: their results are dropped.

          // pass 3: out_r ← Σ_j p_rj · v_j / Σ_r, three output columns at a time.
          dotTiles(p, 0, seqK, vt, seqK, D, keys, o, D);
          for (let r = 0; r < rows; r++) {
            const off = ((b * seqQ + i0 + r) * numHeads + h) * D;
            for (let d = 0; d < D; d++) out[off + d] = o[r * D + d] * invSum[r];
            if (weights !== undefined) {
              const w = ((b * numHeads + h) * seqQ + i0 + r) * seqK;
              for (let j = 0; j < keys; j++) weights[w + j] = p[r * seqK + j] * invSum[r];
              weights.fill(0, w + keys, w + seqK);
            }
          }
        }
      }
    }
  }
}

/** Whether v's rows [T] of kv head offset `off`, width D, in batch b are all finite. */
function valuesFinite(v: Float32Array, b: number, seqK: number, stride: number, off: number, D: number): boolean {
  for (let j = 0; j < seqK; j++) {
    const row = (b * seqK + j) * stride + off;
    for (let d = 0; d < D; d++) if (!Number.isFinite(v[row + d])) return false;
  }
  return true;
}

/** One query row at a time, for batch b and query heads [hFrom, hTo): no 0·NaN of a removed key reaches the output. */
export function attentionRowwise(q: Float32Array, k: Float32Array, v: Float32Array, shape: AttentionShape, scale: number, masks: AttentionMasks, out: Float32Array, weights: Float32Array | undefined, b: number, hFrom: number, hTo: number): void {
  const { seqQ, seqK, numHeads, numKvHeads, headDim: D } = shape;
  const group = numHeads / numKvHeads;
  const scores = new Float64Array(seqK);
  const acc = new Float64Array(D);
  for (let h = hFrom; h < hTo; h++) {
    const kvh = Math.floor(h / group);
    for (let i = 0; i < seqQ; i++) {
      const qOff = ((b * seqQ + i) * numHeads + h) * D;
      const maskOff = masks.maskPerHead ? ((b * numHeads + h) * seqQ + i) * seqK : i * seqK;
      const lastVisible = masks.causal ? i + seqK - seqQ : seqK - 1;

      // pass 1: scores and their maximum.
      let max = -Infinity;
      let anyNaN = false;
      for (let j = 0; j < seqK; j++) {
        const padded = masks.keyPaddingMask !== undefined && masks.keyPaddingMask[b * seqK + j] !== 0;
        if (j > lastVisible || padded) {
          scores[j] = -Infinity;
          continue;
        }
        const kOff = ((b * seqK + j) * numKvHeads + kvh) * D;
        let dot = 0;
        for (let d = 0; d < D; d++) dot += q[qOff + d] * k[kOff + d];
        const s = dot * scale + (masks.mask !== undefined ? masks.mask[maskOff + j] : 0);
        scores[j] = s;
        if (s > max) max = s;
        else if (Number.isNaN(s)) anyNaN = true;
      }
      const oOff = qOff;
      const wOff = ((b * numHeads + h) * seqQ + i) * seqK;
      if (max === -Infinity && !anyNaN) {
        out.fill(0, oOff, oOff + D);
        weights?.fill(0, wOff, wOff + seqK);
        continue;
      }

      // pass 2: exp(s − max) and their sum.
      let sum = 0;
      for (let j = 0; j < seqK; j++) {
        scores[j] = Math.exp(scores[j] - max);
        sum += scores[j];
      }

      // pass 3: out_i ← Σ_j p_j · v_j / sum.
      acc.fill(0);
      for (let j = 0; j < seqK; j++) {
        const p = scores[j] / sum;
        if (weights !== undefined) weights[wOff + j] = p;
        if (p === 0) continue;
        const vOff = ((b * seqK + j) * numKvHeads + kvh) * D;
        for (let d = 0; d < D; d++) acc[d] += p * v[vOff + d];
      }
      for (let d = 0; d < D; d++) out[oOff + d] = acc[d];
    }
  }
}
