/**
 * Sinusoidal positional encoding on the TypeScript backend (the fallback where WebAssembly SIMD is missing).
 * out [S, E]: PE[p, 2i] = sin(p / base^(2i/E)), PE[p, 2i+1] = cos(p / base^(2i/E)),
 * p = offset + row. Computed in double precision and rounded once to f32 (as the Rust
 * core does), so both backends agree to within 1 ulp.
 */

export function sinusoidalEncoding(seqLen: number, dim: number, base: number, offset: number, out: Float32Array): void {
  for (let row = 0; row < seqLen; row++) {
    const p = offset + row;
    for (let col = 0; col < dim; col += 2) {
      const angle = p / Math.pow(base, col / dim);
      out[row * dim + col] = Math.sin(angle);
      if (col + 1 < dim) out[row * dim + col + 1] = Math.cos(angle);
    }
  }
}
