/**
 * The register tile of the TS backend's products (the linear layer, both attention
 * products): MR × NR = 4 × 3, four rows of A against three rows of B, dot products along
 * contiguous rows.
 *
 * Why 4 × 3: its 12 sums, 3 loaded B values and 1 A value fit x64's 16 float registers;
 * 4 × 4 (16 sums + 5) does not, and measured slower, as did 8 × 1; 5 × 2, 3 × 4 and 6 × 2
 * were no faster (4 × 3 keeps attention's blocks of 4 query rows).
 * Callers pass f64 operands only: with f32 operands from one caller and f64 from another
 * the element loads are polymorphic, and the tile loses its advantage.
 */

/**
 * C [4, n] ← A [4, len] · Bᵀ, B [n, len]: C[r·cStride + j] = Σ_t A[aOff + r·aStride + t] · B[j·bStride + t],
 * summed in f64 in order of t.
 * Three rows of B at a time against the four rows of A: 12 independent sums, each loaded
 * A value used three times and each B value four times. The last n mod 3 rows of B go one
 * at a time.
 */
export function dotTiles(a: Float64Array, aOff: number, aStride: number, bMat: Float64Array, bStride: number, n: number, len: number, c: Float64Array, cStride: number): void {
  const [a0, a1, a2, a3] = [aOff, aOff + aStride, aOff + 2 * aStride, aOff + 3 * aStride];
  const [c1, c2, c3] = [cStride, 2 * cStride, 3 * cStride];
  const n3 = n - (n % 3);
  for (let j = 0; j < n3; j += 3) {
    const [b0, b1, b2] = [j * bStride, (j + 1) * bStride, (j + 2) * bStride];
    let s00 = 0, s01 = 0, s02 = 0, s10 = 0, s11 = 0, s12 = 0;
    let s20 = 0, s21 = 0, s22 = 0, s30 = 0, s31 = 0, s32 = 0;
    for (let t = 0; t < len; t++) {
      const x0 = bMat[b0 + t];
      const x1 = bMat[b1 + t];
      const x2 = bMat[b2 + t];
      let y = a[a0 + t];
      s00 += y * x0; s01 += y * x1; s02 += y * x2;
      y = a[a1 + t];
      s10 += y * x0; s11 += y * x1; s12 += y * x2;
      y = a[a2 + t];
      s20 += y * x0; s21 += y * x1; s22 += y * x2;
      y = a[a3 + t];
      s30 += y * x0; s31 += y * x1; s32 += y * x2;
    }
    c[j] = s00; c[j + 1] = s01; c[j + 2] = s02;
    c[c1 + j] = s10; c[c1 + j + 1] = s11; c[c1 + j + 2] = s12;
    c[c2 + j] = s20; c[c2 + j + 1] = s21; c[c2 + j + 2] = s22;
    c[c3 + j] = s30; c[c3 + j + 1] = s31; c[c3 + j + 2] = s32;
  }
  for (let j = n3; j < n; j++) {
    const b0 = j * bStride;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let t = 0; t < len; t++) {
      const x0 = bMat[b0 + t];
      s0 += a[a0 + t] * x0;
      s1 += a[a1 + t] * x0;
      s2 += a[a2 + t] * x0;
      s3 += a[a3 + t] * x0;
    }
    c[j] = s0;
    c[c1 + j] = s1;
    c[c2 + j] = s2;
    c[c3 + j] = s3;
  }
}
