/**
 * Linear layer, the readable reference: y [M, N] ← x [M, K] · Wᵀ + b, W [N, K] in
 * PyTorch's [out, in] layout, b [N] (absent = zero). Sums in f64, rounded on store.
 */

export function linear(x: Float32Array, m: number, k: number, w: Float32Array, n: number, bias: Float32Array | undefined, y: Float32Array): void {
  for (let i = 0; i < m; i++) {
    const xOff = i * k;
    for (let j = 0; j < n; j++) {
      const wOff = j * k;
      // Four partial sums: independent dependency chains, same value as one.
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let kk = 0;
      for (; kk + 4 <= k; kk += 4) {
        s0 += x[xOff + kk] * w[wOff + kk];
        s1 += x[xOff + kk + 1] * w[wOff + kk + 1];
        s2 += x[xOff + kk + 2] * w[wOff + kk + 2];
        s3 += x[xOff + kk + 3] * w[wOff + kk + 3];
      }
      for (; kk < k; kk++) s0 += x[xOff + kk] * w[wOff + kk];
      y[i * n + j] = (bias !== undefined ? bias[j] : 0) + (s0 + s1 + (s2 + s3));
    }
  }
}
