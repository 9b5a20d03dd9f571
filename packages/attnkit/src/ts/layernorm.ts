/**
 * Layer normalisation, the reference: y [R, E] ← (x − μ) / √(σ² + eps) · w + b per row,
 * μ and the biased σ² over the row's E entries, summed in f64 (two passes: no
 * cancellation), rounded on store. `residual` [R, E], when given, is added to x first
 * (the post-norm layer's residual + LayerNorm).
 */

export function layerNorm(x: Float32Array, rows: number, e: number, w: Float32Array, b: Float32Array | undefined, eps: number, out: Float32Array, residual?: Float32Array): void {
  const v = new Float64Array(e);
  for (let r = 0; r < rows; r++) {
    const o = r * e;
    let sum = 0;
    for (let j = 0; j < e; j++) {
      v[j] = residual !== undefined ? x[o + j] + residual[o + j] : x[o + j];
      sum += v[j];
    }
    const mean = sum / e;
    let sq = 0;
    for (let j = 0; j < e; j++) sq += (v[j] - mean) * (v[j] - mean);
    const inv = 1 / Math.sqrt(sq / e + Math.fround(eps));
    for (let j = 0; j < e; j++) out[o + j] = (v[j] - mean) * inv * w[j] + (b !== undefined ? b[j] : 0);
  }
}
