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
} as const;
