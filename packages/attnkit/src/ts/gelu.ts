/**
 * GELU, the reference, in f64: exact form x·½·(1 + erf(x/√2)), tanh form
 * x·½·(1 + tanh(√(2/π)(x + 0.044715x³))). JavaScript has no erf: it is the rational
 * function of the Rust core (crates/attnkit-core/src/gelu.rs) evaluated in f64, within
 * 6.5e-8 of erf (measured over 2·10⁵ points of [−6, 6]).
 */

/** Numerator z·(A0 + z²(A1 + … + z²A6)) and denominator B0 + z²(B1 + … + z²B4). */
const A = [-1.60960333262415e-2, -2.95459980854025e-3, -7.34990630326855e-4, -5.69250639462346e-5, -2.10102402082508e-6, 2.77068142495902e-8, -2.72614225801306e-10].map(Math.fround);
const B = [-1.42647390514189e-2, -7.37332916720468e-3, -1.68282697438203e-3, -2.13374055278905e-4, -1.45660718464996e-5].map(Math.fround);

/** erf(z) to within 6.5e-8, clamped to [−1, 1] (exactly ±1 for |z| ≥ 5). */
export function erf(z: number): number {
  const c = Math.max(-5, Math.min(5, z));
  const z2 = c * c;
  let p = A[6];
  for (let i = 5; i >= 0; i--) p = p * z2 + A[i];
  let q = B[4];
  for (let i = 3; i >= 0; i--) q = q * z2 + B[i];
  return Number.isNaN(z) ? z : Math.max(-1, Math.min(1, (c * p) / q));
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** out [N] ← GELU(x); x and out may be the same array. */
export function gelu(x: Float32Array, tanh: boolean, out: Float32Array): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = tanh ? 0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v))) : 0.5 * v * (1 + erf(v * Math.SQRT1_2));
  }
}
