//! GELU, elementwise, in place: x [N] ← GELU(x), PyTorch's two forms.
//!
//! - exact (`approximate='none'`): GELU(x) = x · ½ · (1 + erf(x / √2))
//! - tanh (`approximate='tanh'`):  GELU(x) = x · ½ · (1 + tanh(√(2/π) · (x + 0.044715 x³)))
//!
//! erf is a rational function of f32 arithmetic, erf(z) ≈ z · P(z²) / Q(z²) with P of
//! degree 6 and Q of degree 4 in z² (the coefficients of Eigen's `generic_fast_erf_float`),
//! on z clamped to [−5, 5] and the result clamped to [−1, 1] (it reaches ±1 from |z| ≈ 4.05
//! on, where erf rounds to ±1 in f32). Error, measured over 2·10⁵
//! evenly spaced f32 points of [−6, 6] against f64 erf: ≤ 4.2e-7 absolute and relative
//! (≤ 8 ulp); in f64 arithmetic the same function is within 6.5e-8 of erf. Hence
//! |GELU − exact| ≤ ½·|x|·4.2e-7 + rounding ≤ 2e-6 for every x (the result is x
//! itself for x ≥ 5.8 and 0 for x ≤ −5.8). The tests enforce [`ERF_MAX_ABS_ERROR`].
//!
//! The tanh form is x · σ(2u) with u = √(2/π)(x + 0.044715x³), σ(t) = 1 / (1 + e^(−t)),
//! e^(−2u) = 2^(−2u·log₂e) by the softmax's 2ˣ (≤ 3 ulp), its argument clamped to
//! [−126, 126]: no cancellation for negative x, and x · σ → x (or −0) in the tails.

use crate::exp::{exp2_4, LOG2_E};
use crate::simd::F32x4;

/// The largest |erf_f32(z) − erf(z)| the tests accept over f32 z (measured 4.19e-7).
pub const ERF_MAX_ABS_ERROR: f32 = 5e-7;

/// Odd numerator: z · (A[0] + z²·(A[1] + … + z²·A[6])).
const A: [f32; 7] = [
    -1.609_603_3e-2,
    -2.954_599_8e-3,
    -7.349_906_3e-4,
    -5.692_506_4e-5,
    -2.101_024e-6,
    2.770_681_4e-8,
    -2.726_142_3e-10,
];
/// Even denominator: B[0] + z²·(B[1] + … + z²·B[4]).
const B: [f32; 5] = [-1.426_473_9e-2, -7.373_329e-3, -1.682_827e-3, -2.133_740_6e-4, -1.456_607_2e-5];
/// 1/√2.
const FRAC_1_SQRT_2: f32 = std::f32::consts::FRAC_1_SQRT_2;
/// √(2/π).
const SQRT_2_OVER_PI: f32 = 0.797_884_6;

/// erf(z) in each lane (NaN stays NaN).
#[inline(always)]
pub fn erf4(z: F32x4) -> F32x4 {
    let z = z.pmax(F32x4::splat(-5.0)).pmin(F32x4::splat(5.0));
    let z2 = z.mul(z);
    let mut p = F32x4::splat(A[6]);
    for &c in A[..6].iter().rev() {
        p = p.mul(z2).add(F32x4::splat(c));
    }
    let mut q = F32x4::splat(B[4]);
    for &c in B[..4].iter().rev() {
        q = q.mul(z2).add(F32x4::splat(c));
    }
    // z·P/Q passes ±1 near |z| = 4.05 (by 5e-8 in exact arithmetic at 4): clamped to
    // [−1, 1], erf(±5) = ±1 exactly and GELU(x) = 0 for x ≤ −5√2, as PyTorch's f32 gives.
    z.mul(p).div(q).pmax(F32x4::splat(-1.0)).pmin(F32x4::splat(1.0))
}

/// GELU(x), erf form, in each lane.
#[inline(always)]
pub fn gelu4(x: F32x4) -> F32x4 {
    let half = F32x4::splat(0.5);
    x.mul(half).mul(F32x4::splat(1.0).add(erf4(x.mul(F32x4::splat(FRAC_1_SQRT_2)))))
}

/// GELU(x), tanh form, in each lane: x · 1/(1 + e^(−2u)). The exponent is clamped to
/// [−126, 128]: 2¹²⁸ is +∞, so σ = 0 for u ≪ 0 and GELU(−∞) = −∞ · 0 = NaN, as in PyTorch.
#[inline(always)]
pub fn gelu_tanh4(x: F32x4) -> F32x4 {
    let one = F32x4::splat(1.0);
    let u = x.add(F32x4::splat(0.044_715).mul(x).mul(x).mul(x)).mul(F32x4::splat(SQRT_2_OVER_PI));
    let t = u.mul(F32x4::splat(-2.0 * LOG2_E)).pmax(F32x4::splat(-126.0)).pmin(F32x4::splat(128.0));
    x.mul(one.div(one.add(exp2_4(t))))
}

/// x [N] ← GELU(x) in place; `tanh` selects the tanh form.
pub fn gelu(x: &mut [f32], tanh: bool) {
    let n = x.len();
    let n4 = n & !3;
    let p = x.as_mut_ptr();
    // SAFETY: every access is at an offset below n (n4 ≤ n, and the tail pads to 4 lanes in a local).
    unsafe {
        let mut i = 0;
        while i < n4 {
            let v = F32x4::load(p.add(i));
            (if tanh { gelu_tanh4(v) } else { gelu4(v) }).store(p.add(i));
            i += 4;
        }
        if i < n {
            let mut tail = [0.0f32; 4];
            tail[..n - i].copy_from_slice(&x[i..]);
            let v = F32x4::load(tail.as_ptr());
            let r = (if tanh { gelu_tanh4(v) } else { gelu4(v) }).to_array();
            x[i..].copy_from_slice(&r[..n - i]);
        }
    }
}

/// Reference for [`gelu`]: the same formulas in f64 (erf by the same rational function,
/// within 6.5e-8 of erf in f64; tanh from std).
pub fn gelu_naive(x: &mut [f32], tanh: bool) {
    for v in x.iter_mut() {
        let x = *v as f64;
        let y = if tanh {
            let u = (2.0 / std::f64::consts::PI).sqrt() * (x + 0.044715 * x * x * x);
            0.5 * x * (1.0 + u.tanh())
        } else {
            0.5 * x * (1.0 + erf_f64(x * std::f64::consts::FRAC_1_SQRT_2))
        };
        *v = y as f32;
    }
}

/// The rational erf of [`erf4`] evaluated in f64.
fn erf_f64(z: f64) -> f64 {
    if z.is_nan() {
        return z;
    }
    let z = z.max(-5.0).min(5.0);
    let z2 = z * z;
    let p = A.iter().rev().fold(0.0f64, |acc, &c| acc * z2 + c as f64);
    let q = B.iter().rev().fold(0.0f64, |acc, &c| acc * z2 + c as f64);
    (z * p / q).max(-1.0).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// erf by its Maclaurin series (|z| ≤ 3, ≤ 1e-12 off in f64 there) and by the
    /// continued fraction of erfc beyond: an independent reference.
    fn erf_reference(z: f64) -> f64 {
        let a = z.abs();
        let r = if a <= 3.0 {
            let (mut term, mut sum, mut n) = (a, a, 0.0);
            while term.abs() > 1e-17 * sum.abs() {
                n += 1.0;
                term *= -a * a / n;
                sum += term / (2.0 * n + 1.0);
            }
            sum * 2.0 / std::f64::consts::PI.sqrt()
        } else {
            // erfc(a) = e^(−a²)/√π · 1/(a + ½/(a + 1/(a + 3/2/(a + …))))
            let mut f = a;
            for k in (1..60).rev() {
                f = a + (k as f64 / 2.0) / f;
            }
            1.0 - (-a * a).exp() / std::f64::consts::PI.sqrt() / f
        };
        r.copysign(z)
    }

    #[test]
    fn erf_within_its_stated_bound() {
        let mut worst = 0.0f64;
        for i in 0..=240_000 {
            let z = (-6.0 + i as f64 * 12.0 / 240_000.0) as f32;
            let got = erf4(F32x4::splat(z)).first() as f64;
            worst = worst.max((got - erf_reference(z as f64)).abs());
        }
        assert!(worst <= ERF_MAX_ABS_ERROR as f64, "max |erf error| = {}", worst);
        assert!(erf4(F32x4::splat(f32::NAN)).first().is_nan());
        assert_eq!(erf4(F32x4::splat(0.0)).first(), 0.0);
        assert_eq!(erf4(F32x4::splat(5.0)).first(), 1.0);
        assert_eq!(erf4(F32x4::splat(-5.0)).first(), -1.0);
        assert_eq!(gelu4(F32x4::splat(-1e30)).first(), 0.0);
        assert!(gelu4(F32x4::splat(f32::NEG_INFINITY)).first().is_nan());
        assert!(gelu_tanh4(F32x4::splat(f32::NEG_INFINITY)).first().is_nan());
        assert_eq!(gelu_tanh4(F32x4::splat(f32::INFINITY)).first(), f32::INFINITY);
    }

    #[test]
    fn simd_equals_naive_for_every_tail_and_extreme() {
        let specials = [0.0f32, -0.0, 1e-30, -1e-30, 5.0, -5.0, 6.0, -6.0, 50.0, -50.0, 1e30, -1e30, f32::INFINITY, f32::NEG_INFINITY];
        for &tanh in &[false, true] {
            for n in 0..23 {
                let x: Vec<f32> = (0..n).map(|i| (i as f32 - 11.0) * 0.61).chain(specials.iter().copied()).collect();
                let (mut fast, mut naive) = (x.clone(), x.clone());
                gelu(&mut fast, tanh);
                gelu_naive(&mut naive, tanh);
                for i in 0..x.len() {
                    let tol = 1.5e-6f32.max(x[i].abs() * 1e-6);
                    assert!((fast[i] - naive[i]).abs() <= tol || fast[i] == naive[i] || (fast[i].is_nan() && naive[i].is_nan()), "tanh={} x={} {} vs {}", tanh, x[i], fast[i], naive[i]);
                }
            }
            let mut nan = [f32::NAN];
            gelu(&mut nan, tanh);
            assert!(nan[0].is_nan());
        }
    }
}
