/**
 * Linear layer, the reference: y [M, N] ← x [M, K] · Wᵀ + b, W [N, K] in PyTorch's
 * [out, in] layout, b [N] (absent = zero). Sums in f64, rounded on store.
 *
 * A 4 × 4 register tile: four rows of x against four rows of W at a time, 16 independent
 * sums along contiguous rows, each loaded value used four times (the same sums, in the
 * same order, as one output at a time). Edge rows and columns go one output at a time.
 */

export function linear(x: Float32Array, m: number, k: number, w: Float32Array, n: number, bias: Float32Array | undefined, y: Float32Array): void {
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const x0 = i * k;
    const [x1, x2, x3] = [x0 + k, x0 + 2 * k, x0 + 3 * k];
    for (let j = 0; j < n4; j += 4) {
      const w0 = j * k;
      const [w1, w2, w3] = [w0 + k, w0 + 2 * k, w0 + 3 * k];
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let t = 0; t < k; t++) {
        const a = w[w0 + t];
        const b = w[w1 + t];
        const c = w[w2 + t];
        const d = w[w3 + t];
        let r = x[x0 + t];
        s00 += r * a; s01 += r * b; s02 += r * c; s03 += r * d;
        r = x[x1 + t];
        s10 += r * a; s11 += r * b; s12 += r * c; s13 += r * d;
        r = x[x2 + t];
        s20 += r * a; s21 += r * b; s22 += r * c; s23 += r * d;
        r = x[x3 + t];
        s30 += r * a; s31 += r * b; s32 += r * c; s33 += r * d;
      }
      store4(y, i * n + j, bias, j, s00, s01, s02, s03);
      store4(y, (i + 1) * n + j, bias, j, s10, s11, s12, s13);
      store4(y, (i + 2) * n + j, bias, j, s20, s21, s22, s23);
      store4(y, (i + 3) * n + j, bias, j, s30, s31, s32, s33);
    }
    for (let r = i; r < i + 4; r++) for (let j = n4; j < n; j++) y[r * n + j] = (bias !== undefined ? bias[j] : 0) + dot(x, r * k, w, j * k, k);
  }
  for (let i = m4; i < m; i++) for (let j = 0; j < n; j++) y[i * n + j] = (bias !== undefined ? bias[j] : 0) + dot(x, i * k, w, j * k, k);
}

/** y[at + c] ← b[j + c] + s_c for c < 4 (b absent = zero, added as 0 like the wasm kernel). */
function store4(y: Float32Array, at: number, bias: Float32Array | undefined, j: number, s0: number, s1: number, s2: number, s3: number): void {
  y[at] = (bias !== undefined ? bias[j] : 0) + s0;
  y[at + 1] = (bias !== undefined ? bias[j + 1] : 0) + s1;
  y[at + 2] = (bias !== undefined ? bias[j + 2] : 0) + s2;
  y[at + 3] = (bias !== undefined ? bias[j + 3] : 0) + s3;
}

/** Σ_t x[xOff + t] · w[wOff + t] over k terms, in f64. */
function dot(x: Float32Array, xOff: number, w: Float32Array, wOff: number, k: number): number {
  let s = 0;
  for (let t = 0; t < k; t++) s += x[xOff + t] * w[wOff + t];
  return s;
}
