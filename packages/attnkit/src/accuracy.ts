/**
 * How far each op's float32 results may be from the exact result (computed in float64),
 * as the largest absolute difference of any element, at the sizes and input scales stated.
 * The test suites enforce exactly these numbers on both backends (against PyTorch float64
 * golden files, a float64 reference and each other).
 */
export const ACCURACY = {
  /** embeddingLookup, embedding.lookup: rows are copied, so results are exact. */
  embedding: 0,
  /**
   * sinusoidalEncoding: the angle and its sine and cosine are computed in float64 and
   * rounded once, so values in [−1, 1] are within 1 ulp at 1: 2⁻²³ ≈ 1.2e-7 (tested at
   * positions up to about 100 000).
   */
  sinusoidal: 2 ** -23,
  /**
   * rope, per unit of the input's scale: within 4 ulp of max |x| (each product and the sum
   * of a rotation round once in float32): the bound is `ACCURACY.rope × max |x|`.
   */
  rope: 4 * 2 ** -23,
  /**
   * attention, for q, k, v of unit scale (uniform in [−1, 1] or standard normal), additive
   * masks with |m| ≤ 2 and head widths up to 70: float32 sums over fewer than 256 keys stay within 5e-6; over more keys (tested up to
   * 65 536) within 1e-5.
   */
  attention: { fewKeys: 5e-6, manyKeys: 1e-5 },
  /**
   * multiHeadAttention, selfAttention.forward: four float32 projections around attention,
   * for x of unit scale, weights with |w| ≤ 1/√E, E ≤ 96 and up to 16 positions: 2e-5.
   */
  mha: 2e-5,
  /**
   * encoder.encode at the worked example's sizes (dim ≤ 8, one or two heads): inputs,
   * output and weights within 2e-6; wider layers are bounded as `mha`.
   */
  encoder: 2e-6,
  /**
   * layerNorm: rows of up to 1024 values of unit scale (or offset by up to 100), weight and
   * bias of unit scale, any eps: 1e-5 ('wasm' sums in float32 lanes, 'ts' in float64).
   */
  layerNorm: 1e-5,
  /**
   * gelu, both forms, for every x: 2e-6. The erf form's erf is a rational function within
   * 5e-7 of erf in float32 (6.5e-8 in the float64 of 'ts'), times ½|x| ≤ 4 where it is not
   * exactly ±1; beyond |x| ≈ 5.8 the result is x or 0 exactly.
   */
  gelu: 2e-6,
  /**
   * linear, x of unit scale and W of scale 1/√K, K ≤ 384 inputs: 2e-5 (float32 sums of K
   * products in 'wasm', float64 in 'ts').
   */
  linear: 2e-5,
  /**
   * A loaded model (1 and 3 layers, hidden ≤ 16, weights of BERT's scales): `forward`
   * within 5e-6 of float64 PyTorch, `embed` (unit vectors) within 1e-6, with the weights
   * as stored (f16 storage rounds them once, at load).
   */
  model: { forward: 5e-6, embed: 1e-6 },
} as const;
