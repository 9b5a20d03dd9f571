/**
 * Linear layer, the reference: y [M, N] ← x [M, K] · Wᵀ + b, W [N, K] in PyTorch's
 * [out, in] layout, b [N] (absent = zero). Sums in f64, rounded on store.
 *
 * Four outputs at a time: each x value is read once for four rows of W, and the four
 * running sums are independent chains (the same sums as one output at a time).
 */

export function linear(x: Float32Array, m: number, k: number, w: Float32Array, n: number, bias: Float32Array | undefined, y: Float32Array): void {
  for (let i = 0; i < m; i++) {
    const xOff = i * k;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const w0 = j * k;
      const w1 = w0 + k;
      const w2 = w1 + k;
      const w3 = w2 + k;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let kk = 0; kk < k; kk++) {
        const xv = x[xOff + kk];
        s0 += xv * w[w0 + kk];
        s1 += xv * w[w1 + kk];
        s2 += xv * w[w2 + kk];
        s3 += xv * w[w3 + kk];
      }
      y[i * n + j] = (bias !== undefined ? bias[j] : 0) + s0;
      y[i * n + j + 1] = (bias !== undefined ? bias[j + 1] : 0) + s1;
      y[i * n + j + 2] = (bias !== undefined ? bias[j + 2] : 0) + s2;
      y[i * n + j + 3] = (bias !== undefined ? bias[j + 3] : 0) + s3;
    }
    for (; j < n; j++) {
      let s = 0;
      for (let kk = 0; kk < k; kk++) s += x[xOff + kk] * w[j * k + kk];
      y[i * n + j] = (bias !== undefined ? bias[j] : 0) + s;
    }
  }
}
