/**
 * Rotary position embedding on the TypeScript backend (the fallback where WebAssembly SIMD is missing).
 * x, out [B, S, H, D]; positions [S]. θ_j = base^(−2j/D), a = pos·θ_j; each pair
 * (x₁, x₂) → (x₁·cos a − x₂·sin a, x₂·cos a + x₁·sin a). The pairs are (j, j + D/2)
 * ("rotate half", Llama / NeoX) or, interleaved, (2j, 2j + 1) (GPT-J / RoFormer).
 */

import type { BshdShape } from '../backend.js';

export function rope(x: Float32Array, shape: BshdShape, positions: Int32Array, base: number, interleaved: boolean, out: Float32Array): void {
  const { batch, seqLen, numHeads, headDim } = shape;
  const half = headDim / 2;
  // cos, sin [S, D/2], rounded to f32 like the Rust core's tables.
  const cos = new Float32Array(seqLen * half);
  const sin = new Float32Array(seqLen * half);
  for (let s = 0; s < seqLen; s++) {
    for (let j = 0; j < half; j++) {
      const angle = positions[s] * Math.pow(base, (-2 * j) / headDim);
      cos[s * half + j] = Math.cos(angle);
      sin[s * half + j] = Math.sin(angle);
    }
  }
  for (let b = 0; b < batch; b++) {
    for (let s = 0; s < seqLen; s++) {
      for (let h = 0; h < numHeads; h++) {
        const row = ((b * seqLen + s) * numHeads + h) * headDim;
        for (let j = 0; j < half; j++) {
          const i1 = interleaved ? row + 2 * j : row + j;
          const i2 = interleaved ? i1 + 1 : i1 + half;
          const c = cos[s * half + j];
          const sn = sin[s * half + j];
          const x1 = x[i1];
          const x2 = x[i2];
          out[i1] = x1 * c - x2 * sn;
          out[i2] = x2 * c + x1 * sn;
        }
      }
    }
  }
}
