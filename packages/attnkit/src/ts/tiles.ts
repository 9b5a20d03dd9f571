/**
 * The register tile of the TS twin's products (the linear layer, both attention products):
 * four rows of A against four rows of B, dot products along contiguous rows.
 */

/** f32 inputs (tensors as given) or f64 ones (the twin's own copies). */
export type Floats = Float32Array | Float64Array;

/**
 * C [4, n] ← A [4, len] · Bᵀ, B [n, len]: C[r·cStride + j] = Σ_t A[aOff + r·aStride + t] · B[j·bStride + t],
 * summed in f64.
 * Four rows of B at a time against the four rows of A: 16 independent sums, each loaded
 * value used four times. Edge rows of B go one at a time.
 */
export function dotTiles(a: Floats, aOff: number, aStride: number, bMat: Floats, bStride: number, n: number, len: number, c: Float64Array, cStride: number): void {
  const [a0, a1, a2, a3] = [aOff, aOff + aStride, aOff + 2 * aStride, aOff + 3 * aStride];
  const n4 = n - (n % 4);
  for (let j = 0; j < n4; j += 4) {
    const b0 = j * bStride;
    const [b1, b2, b3] = [b0 + bStride, b0 + 2 * bStride, b0 + 3 * bStride];
    let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
    let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
    for (let t = 0; t < len; t++) {
      const x0 = bMat[b0 + t];
      const x1 = bMat[b1 + t];
      const x2 = bMat[b2 + t];
      const x3 = bMat[b3 + t];
      let y = a[a0 + t];
      s00 += y * x0; s01 += y * x1; s02 += y * x2; s03 += y * x3;
      y = a[a1 + t];
      s10 += y * x0; s11 += y * x1; s12 += y * x2; s13 += y * x3;
      y = a[a2 + t];
      s20 += y * x0; s21 += y * x1; s22 += y * x2; s23 += y * x3;
      y = a[a3 + t];
      s30 += y * x0; s31 += y * x1; s32 += y * x2; s33 += y * x3;
    }
    c[j] = s00; c[j + 1] = s01; c[j + 2] = s02; c[j + 3] = s03;
    c[cStride + j] = s10; c[cStride + j + 1] = s11; c[cStride + j + 2] = s12; c[cStride + j + 3] = s13;
    c[2 * cStride + j] = s20; c[2 * cStride + j + 1] = s21; c[2 * cStride + j + 2] = s22; c[2 * cStride + j + 3] = s23;
    c[3 * cStride + j] = s30; c[3 * cStride + j + 1] = s31; c[3 * cStride + j + 2] = s32; c[3 * cStride + j + 3] = s33;
  }
  for (let j = n4; j < n; j++) {
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
    c[cStride + j] = s1;
    c[2 * cStride + j] = s2;
    c[3 * cStride + j] = s3;
  }
}
