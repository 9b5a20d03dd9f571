//! A SIMD 2ˣ for softmax, 4 lanes at a time.
//!
//! Softmax needs e^(s − max). Attention folds log₂e into its scale (its scores are
//! s·log₂e), so the exponential it needs is 2ˣ, which has no range reduction by ln 2 to
//! make: 2ˣ = 2ⁿ · 2ᶠ with n = round(x) and f = x − n ∈ [−½, ½] (both exact), 2ᶠ by a
//! degree-5 polynomial (minimax relative error on [−½, ½], 1.1e-7 in exact arithmetic;
//! coefficients from `scripts/fit-exp2.py`), 2ⁿ written straight into the exponent bits.
//!
//! Error: ≤ 3 ulp of 2ˣ for x in [−126, 0] (tested over 2²⁰ points below); 2⁰ = 1 exactly.
//! Below −126 the result would be subnormal and is 0 instead, so 2^−∞ = 0 exactly, as
//! softmax needs for removed keys; NaN stays NaN. Softmax only calls it with x ≤ 0
//! (s − max), which keeps n within the exponent field.

use crate::simd::F32x4;

/// log₂e: e^x = 2^(x·log₂e).
pub const LOG2_E: f32 = std::f32::consts::LOG2_E;
/// The smallest exponent with a normal result: 2^−126.
const LOWEST: f32 = -126.0;
/// 1.5·2²³: adding it rounds a float in (−2²², 2²²) to an integer (ties to even).
const ROUNDER: f32 = 12_582_912.0;
/// c1 … c5 of 2ᶠ ≈ 1 + f·(c1 + f·(c2 + f·(c3 + f·(c4 + f·c5)))).
const C: [f32; 5] = [0.693_147_06, 0.240_222_17, 0.055_506_15, 0.009_672_929, 0.001_330_220_8];

/// 2ˣ in each lane, for x ≤ 0 (see the module's comment for the error bound).
///
/// x is not clamped before the reduction: below −126 (−∞ included) n and f are
/// meaningless and 2ⁿ's bits wrap, but the last step zeroes those lanes by comparing x
/// itself, so every lane comes out as if x had been clamped — and a clamp would cost
/// ~8 instructions per call, since LLVM turns `pmax` with a constant into wasm's
/// NaN-propagating `f32x4.max`. NaN flows through every step and stays NaN.
#[inline(always)]
pub fn exp2_4(x: F32x4) -> F32x4 {
    let lowest = F32x4::splat(LOWEST);
    let rounder = F32x4::splat(ROUNDER);
    let t = x.add(rounder); // n + 1.5·2²³
    let f = x.sub(t.sub(rounder)); // x − n, exact for x in [−2²², 0]
    let mut p = F32x4::splat(C[4]);
    for &c in C[..4].iter().rev() {
        p = p.mul(f).add(F32x4::splat(c));
    }
    let two_f = p.mul(f).add(F32x4::splat(1.0));
    two_f.mul(F32x4::pow2_from_rounded(t)).zero_where_below(x, lowest)
}

/// 2ˣ for one float, x ≤ 0, by the same algorithm as [`exp2_4`] (for tails).
#[inline(always)]
pub fn exp2_1(x: f32) -> f32 {
    exp2_4(F32x4::splat(x)).first()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Distance in units in the last place between two finite positive floats.
    fn ulps(a: f32, b: f32) -> u32 {
        (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs() as u32
    }

    #[test]
    fn within_3_ulp_of_exp2_on_minus_126_to_0() {
        let n = 1 << 20;
        let mut worst = (0, 0.0f32);
        for i in 0..=n {
            let x = -126.0 * i as f32 / n as f32;
            let reference = 2f64.powf(x as f64) as f32; // correctly rounded for these inputs
            let u = ulps(exp2_1(x), reference);
            if u > worst.0 {
                worst = (u, x);
            }
        }
        assert!(worst.0 <= 3, "{} ulp at x = {}", worst.0, worst.1);
    }

    #[test]
    fn lanes_are_independent() {
        let x = [-0.25f32, -3.75, -100.5, 0.0];
        let mut y = [0.0f32; 4];
        // SAFETY: 4 floats each.
        unsafe { exp2_4(F32x4::load(x.as_ptr())).store(y.as_mut_ptr()) };
        for i in 0..4 {
            assert_eq!(y[i].to_bits(), exp2_1(x[i]).to_bits(), "lane {}", i);
        }
    }

    #[test]
    fn edges_zero_minus_infinity_underflow_and_nan() {
        assert_eq!(exp2_1(0.0), 1.0);
        assert_eq!(exp2_1(-1.0), 0.5);
        assert_eq!(exp2_1(-126.0), f32::MIN_POSITIVE);
        assert_eq!(exp2_1(-126.5), 0.0);
        assert_eq!(exp2_1(f32::NEG_INFINITY), 0.0);
        assert!(exp2_1(f32::NAN).is_nan());
    }
}
