/**
 * Linear layer on the TypeScript backend: y [M, N] ← x [M, K] · Wᵀ + b, W [N, K] in PyTorch's
 * [out, in] layout, b [N] (absent = zero). Sums in f64, rounded on store.
 *
 * Four rows of x at a time against every row of W through the 4 × 3 register tile of
 * tiles.ts (the same sums, in the same order, as one output at a time), both read as f64:
 * W is given in f64 (a resident layer converts its weights once), x is converted four rows
 * at a time. The last M mod 4 rows go one output at a time.
 */

import { dotTiles } from './tiles.js';

export function linear(x: Float32Array, m: number, k: number, w: Float64Array, n: number, bias: Float32Array | undefined, y: Float32Array): void {
  const tile = new Float64Array(4 * n); // x rows i … i + 3 · Wᵀ
  const xb = new Float64Array(4 * k); // x rows i … i + 3 in f64
  const m4 = m - (m % 4);
  for (let i = 0; i < m4; i += 4) {
    for (let t = 0; t < 4 * k; t++) xb[t] = x[i * k + t];
    dotTiles(xb, 0, k, w, k, n, k, tile, n);
    for (let r = 0; r < 4; r++) for (let j = 0; j < n; j++) y[(i + r) * n + j] = (bias !== undefined ? bias[j] : 0) + tile[r * n + j];
  }
  for (let i = m4; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += x[i * k + t] * w[j * k + t];
      y[i * n + j] = (bias !== undefined ? bias[j] : 0) + s;
    }
  }
}
