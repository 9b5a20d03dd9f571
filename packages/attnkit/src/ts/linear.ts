/**
 * Linear layer, the reference: y [M, N] ← x [M, K] · Wᵀ + b, W [N, K] in PyTorch's
 * [out, in] layout, b [N] (absent = zero). Sums in f64, rounded on store.
 *
 * Four rows of x at a time against every row of W through the 4 × 3 register tile of
 * tiles.ts (the same sums, in the same order, as one output at a time), both read as f64
 * copies: W once per call, x four rows at a time. The last M mod 4 rows go one output at
 * a time.
 */

import { dotTiles } from './tiles.js';

/**
 * W's f64 copy, kept between calls and grown to the largest N·K seen (a call runs to its
 * end before the next starts). A fresh 4.5 MiB array per call for E = 768 cost 13 ms of
 * page faults on the benchmark machine; the copy into a kept one costs 0.3 ms.
 */
let wScratch = new Float64Array(0);

export function linear(x: Float32Array, m: number, k: number, w: Float32Array, n: number, bias: Float32Array | undefined, y: Float32Array): void {
  const tile = new Float64Array(4 * n); // x rows i … i + 3 · Wᵀ
  const xb = new Float64Array(4 * k); // x rows i … i + 3 in f64
  if (wScratch.length < n * k) wScratch = new Float64Array(n * k);
  const wd = wScratch; // W [N, K] in f64: the tile reads f64 only (tiles.ts)
  wd.set(w.subarray(0, n * k));
  const m4 = m - (m % 4);
  for (let i = 0; i < m4; i += 4) {
    for (let t = 0; t < 4 * k; t++) xb[t] = x[i * k + t];
    dotTiles(xb, 0, k, wd, k, n, k, tile, n);
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
