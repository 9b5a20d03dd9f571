//! 16-bit floats: IEEE binary16 (f16) and bfloat16 (bf16), as stored by checkpoints.
//!
//! f16 → f32 and bf16 → f32 are exact. f32 → f16 rounds to nearest, ties to even; values
//! beyond f16's range (|x| ≥ 65520) become ±∞, NaN stays NaN (quiet).

/// f16 bits → f32, exact. The exponent and mantissa move up into f32's fields and the
/// value is rescaled by 2¹¹² (the exponent-bias difference), which also turns f16
/// subnormals into the right f32 normals; ∞ and NaN get f32's all-ones exponent.
#[inline(always)]
pub fn f16_to_f32(h: u16) -> f32 {
    let h = h as u32;
    let sign = (h & 0x8000) << 16;
    let rest = (h & 0x7fff) << 13;
    let magnitude = if rest >= 0x7c00 << 13 {
        f32::from_bits(rest | 0x7f80_0000) // ∞ or NaN (payload kept)
    } else {
        f32::from_bits(rest) * f32::from_bits(0x7780_0000) // × 2¹¹²
    };
    f32::from_bits(magnitude.to_bits() | sign)
}

/// bf16 bits → f32, exact: the upper half of the f32.
#[inline(always)]
pub fn bf16_to_f32(h: u16) -> f32 {
    f32::from_bits((h as u32) << 16)
}

/// f32 → f16 bits, round to nearest even.
pub fn f32_to_f16(x: f32) -> u16 {
    let bits = x.to_bits();
    let sign = ((bits >> 16) & 0x8000) as u16;
    let abs = bits & 0x7fff_ffff;
    if abs > 0x7f80_0000 {
        return sign | 0x7e00; // NaN
    }
    if abs >= 0x4780_0000 {
        // |x| ≥ 65536: ∞ (65520 ≤ |x| < 65536 rounds to ∞ below as well)
        return sign | 0x7c00;
    }
    if abs < 0x3880_0000 {
        // |x| < 2⁻¹⁴: f16 subnormal or zero; 0.5·2⁻²⁴ units, rounded by the FPU's addition
        // of 2⁻¹ (exact: the sum's ulp is 2⁻²⁴ there).
        let v = f32::from_bits(abs) + 0.5;
        return sign | (v.to_bits() - 0x3f00_0000) as u16;
    }
    // normal: rebias the exponent (−112 · 2²³), round the 13 dropped bits to even
    let odd = (abs >> 13) & 1;
    let rounded = abs.wrapping_sub(0x3800_0000).wrapping_add(0x0fff + odd);
    sign | (rounded >> 13).min(0x7c00) as u16
}

/// out [n] ← f16 [n] as f32.
pub fn f16_to_f32_slice(src: &[u16], out: &mut [f32]) {
    for (o, &h) in out.iter_mut().zip(src) {
        *o = f16_to_f32(h);
    }
}

/// out [n] ← bf16 [n] as f32.
pub fn bf16_to_f32_slice(src: &[u16], out: &mut [f32]) {
    for (o, &h) in out.iter_mut().zip(src) {
        *o = bf16_to_f32(h);
    }
}

/// out [n] ← f32 [n] rounded to f16.
pub fn f32_to_f16_slice(src: &[f32], out: &mut [u16]) {
    for (o, &x) in out.iter_mut().zip(src) {
        *o = f32_to_f16(x);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// f16 → f64 from the definition: (−1)^s · 2^(e−15) · (1 + m/1024), subnormals 2⁻¹⁴ · m/1024.
    fn f16_value(h: u16) -> f64 {
        let (s, e, m) = ((h >> 15) as i32, ((h >> 10) & 31) as i32, (h & 1023) as f64);
        let sign = if s == 1 { -1.0 } else { 1.0 };
        match e {
            0 => sign * m / 1024.0 * 2f64.powi(-14),
            31 => {
                if m == 0.0 {
                    sign * f64::INFINITY
                } else {
                    f64::NAN
                }
            }
            _ => sign * (1.0 + m / 1024.0) * 2f64.powi(e - 15),
        }
    }

    #[test]
    fn every_f16_converts_exactly_and_back() {
        for h in 0..=u16::MAX {
            let want = f16_value(h);
            let got = f16_to_f32(h) as f64;
            if want.is_nan() {
                assert!(got.is_nan(), "{:#x}", h);
                assert!(f32_to_f16(got as f32) & 0x7fff > 0x7c00);
            } else {
                assert_eq!(got, want, "{:#x}", h);
                assert_eq!(f32_to_f16(got as f32), h, "{:#x} round trip", h);
            }
        }
    }

    #[test]
    fn f32_to_f16_rounds_to_nearest_even() {
        // Midpoints between consecutive f16 values go to the even one; just off them, to the nearer.
        for h in 0..0x7bffu16 {
            let (a, b) = (f16_value(h), f16_value(h + 1));
            let mid = ((a + b) / 2.0) as f32;
            let even = if h & 1 == 0 { h } else { h + 1 };
            assert_eq!(f32_to_f16(mid), even, "mid of {:#x}", h);
            assert_eq!(f32_to_f16(f32::from_bits(mid.to_bits() - 1)), h, "below mid of {:#x}", h);
            assert_eq!(f32_to_f16(f32::from_bits(mid.to_bits() + 1)), h + 1, "above mid of {:#x}", h);
        }
        assert_eq!(f32_to_f16(65519.0), 0x7bff);
        assert_eq!(f32_to_f16(65520.0), 0x7c00);
        assert_eq!(f32_to_f16(-1e10), 0xfc00);
        assert_eq!(f32_to_f16(1e-10), 0);
    }

    #[test]
    fn bf16_is_the_upper_half() {
        for &x in &[1.0f32, -2.5, 3.140625, 1e-38, f32::INFINITY] {
            assert_eq!(bf16_to_f32((x.to_bits() >> 16) as u16), f32::from_bits(x.to_bits() & 0xffff_0000));
        }
    }
}
