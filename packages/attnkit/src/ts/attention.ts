/**
 * Scaled dot-product attention, the readable reference.
 *
 * q, out [B, S, H, D]; k, v [B, T, Hkv, D]; weights [B, H, S, T].
 * O ← softmax(Q·Kᵀ·scale + M)·V per batch and head; query head h reads kv head
 * ⌊h / (H/Hkv)⌋. Keys are removed by −∞ in the mask, by `causal` (query i sees keys
 * j ≤ i + T − S) and by the key padding mask; a row with every key removed is zeros.
 * Dot products and sums run in f64 (JS numbers) and are rounded once on store.
 */

import type { AttentionMasks, AttentionShape } from '../kernels.js';

export function attention(q: Float32Array, k: Float32Array, v: Float32Array, shape: AttentionShape, scale: number, masks: AttentionMasks, out: Float32Array, weights?: Float32Array): void {
  const { batch, seqQ, seqK, numHeads, numKvHeads, headDim: D } = shape;
  const group = numHeads / numKvHeads;
  const scores = new Float64Array(seqK);
  const acc = new Float64Array(D);
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < numHeads; h++) {
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
}
