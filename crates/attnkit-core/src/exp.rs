//! A SIMD exponential for softmax, 4 lanes at a time.
//!
//! exp(x) = 2ⁿ · e^r with n = round(x / ln 2) and r = x − n·ln 2 ∈ [−ln 2 / 2, ln 2 / 2]
//! (Cody–Waite: ln 2 split in a high part exact in f32 and a low correction), e^r by a
//! degree-6 polynomial (Cephes' expf coefficients), 2ⁿ written straight into the exponent
//! bits. Error: ≤ 2 ulp of f32::exp on [−87.3, 88.7] (tested over 2²⁰ points below).
//! Below −87.336 (ln of the smallest normal f32) the result is 0, so exp(−∞) = 0 exactly, as
//! softmax needs for removed keys; NaN stays NaN. Softmax only calls it with x ≤ 0.

use crate::simd::F32x4;

const LOG2_E: f32 = std::f32::consts::LOG2_E;
const LN2_HI: f32 = 0.693_359_4;
const LN2_LO: f32 = -2.121_944_4e-4;
/// 1.5·2²³: adding it rounds a float in (−2²², 2²²) to an integer (ties to even).
const ROUNDER: f32 = 12_582_912.0;
const LOWEST: f32 = -87.336_55;
const HIGHEST: f32 = 88.722_83;
const P: [f32; 6] = [1.987_569_1e-4, 1.398_199_9e-3, 8.333_452e-3, 4.166_579_6e-2, 0.166_666_65, 0.5];

/// e^x in each lane.
#[inline(always)]
pub fn exp4(x: F32x4) -> F32x4 {
    let lowest = F32x4::splat(LOWEST);
    let clamped = x.max(lowest);
    // min(clamped, HIGHEST) as −max(−clamped, −HIGHEST): F32x4 has no min.
    let clamped = F32x4::splat(0.0).sub(F32x4::splat(0.0).sub(clamped).max(F32x4::splat(-HIGHEST)));
    let rounder = F32x4::splat(ROUNDER);
    let n = clamped.mul(F32x4::splat(LOG2_E)).add(rounder).sub(rounder);
    let r = clamped.sub(n.mul(F32x4::splat(LN2_HI))).sub(n.mul(F32x4::splat(LN2_LO)));
    let mut p = F32x4::splat(P[0]);
    for &c in &P[1..] {
        p = p.mul(r).add(F32x4::splat(c));
    }
    let r2 = r.mul(r);
    let e_r = p.mul(r2).add(r).add(F32x4::splat(1.0));
    // n ∈ [−126, 128]: at 128 (x near HIGHEST) split 2ⁿ in two factors to stay finite.
    let half = n.mul(F32x4::splat(0.5));
    let n1 = half.add(rounder).sub(rounder);
    let n2 = n.sub(n1);
    e_r.mul(F32x4::pow2i(n1)).mul(F32x4::pow2i(n2)).zero_where_below(x, lowest)
}

/// e^x in each lane for x ≤ 0 (softmax's s − max): [`exp4`] without the clamp at the top
/// of the range and the two-factor 2ⁿ it needs there (n ∈ [−126, 0] here), so about a
/// quarter fewer instructions; identical results for x ≤ 0.
#[inline(always)]
pub fn exp4_nonpositive(x: F32x4) -> F32x4 {
    let lowest = F32x4::splat(LOWEST);
    let clamped = x.pmax(lowest); // NaN stays NaN
    let rounder = F32x4::splat(ROUNDER);
    let t = clamped.mul(F32x4::splat(LOG2_E)).add(rounder);
    let n = t.sub(rounder);
    let r = clamped.sub(n.mul(F32x4::splat(LN2_HI))).sub(n.mul(F32x4::splat(LN2_LO)));
    let mut p = F32x4::splat(P[0]);
    for &c in &P[1..] {
        p = p.mul(r).add(F32x4::splat(c));
    }
    let e_r = p.mul(r.mul(r)).add(r).add(F32x4::splat(1.0));
    e_r.mul(F32x4::pow2_from_rounded(t)).zero_where_below(x, lowest)
}

/// e^x for one float, by the same algorithm as [`exp4`] (for tails).
#[inline(always)]
pub fn exp1(x: f32) -> f32 {
    exp4(F32x4::splat(x)).first()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Distance in units in the last place between two finite positive floats.
    fn ulps(a: f32, b: f32) -> u32 {
        (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs() as u32
    }

    #[test]
    fn within_2_ulp_of_exp_on_minus_87_3_to_88_7() {
        let n = 1 << 20;
        let mut worst = (0, 0.0f32);
        for i in 0..=n {
            let x = -87.3 + (88.7 - -87.3) * i as f32 / n as f32;
            let reference = ((x as f64).exp()) as f32; // correctly rounded for these inputs
            if reference < f32::MIN_POSITIVE {
                continue;
            }
            let u = ulps(exp1(x), reference);
            if u > worst.0 {
                worst = (u, x);
            }
        }
        assert!(worst.0 <= 2, "{} ulp at x = {}", worst.0, worst.1);
    }

    #[test]
    fn nonpositive_variant_equals_exp4_below_zero() {
        for i in 0..=100_000 {
            let x = -90.0 * i as f32 / 100_000.0;
            let (a, b) = (exp4_nonpositive(F32x4::splat(x)).first(), exp1(x));
            assert_eq!(a.to_bits(), b.to_bits(), "x = {}", x);
        }
        assert_eq!(exp4_nonpositive(F32x4::splat(f32::NEG_INFINITY)).first(), 0.0);
        assert!(exp4_nonpositive(F32x4::splat(f32::NAN)).first().is_nan());
    }

    #[test]
    fn edges_minus_infinity_zero_nan_and_large() {
        assert_eq!(exp1(f32::NEG_INFINITY), 0.0);
        assert_eq!(exp1(-100.0), 0.0);
        assert_eq!(exp1(0.0), 1.0);
        assert!(exp1(f32::NAN).is_nan());
        assert!(exp1(88.7).is_finite());
    }
}
