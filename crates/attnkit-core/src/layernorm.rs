//! Layer normalisation over the last dimension, PyTorch's `F.layer_norm`:
//!
//! y[r, :] = (x[r, :] − μ_r) / √(σ²_r + eps) · w + b, μ and σ² (biased) over the E
//! entries of row r.
//!
//! x, y [R, E], w [E], b [E] (optional). The fast kernel works in place on h [R, E] and can
//! add a residual first, h ← LayerNorm(h + a), the post-norm transformer's
//! "residual + LayerNorm" in one walk over each row while it sits in L1:
//! pass 1 h + a and its sum, pass 2 Σ(h − μ)² (two-pass variance: no cancellation),
//! pass 3 normalise, scale and shift. Sums run in four f32 lanes.

use crate::simd::F32x4;

/// h [R, E] ← LayerNorm(h + a) with weight w [E] and bias b [E]; `a` empty = no residual,
/// `b` empty = no bias.
pub fn add_layer_norm(h: &mut [f32], a: &[f32], rows: usize, e: usize, w: &[f32], b: &[f32], eps: f32) {
    assert!(h.len() >= rows * e && (a.is_empty() || a.len() >= rows * e) && w.len() >= e && (b.is_empty() || b.len() >= e));
    let e4 = e & !3;
    for r in 0..rows {
        let row = &mut h[r * e..(r + 1) * e];
        let p = row.as_mut_ptr();
        // SAFETY: every index below is < e on row (length e), a's row r, w and b (length ≥ e).
        unsafe {
            // pass 1: h ← h + a, and Σh
            let mut s4 = F32x4::splat(0.0);
            let mut i = 0;
            if a.is_empty() {
                while i < e4 {
                    s4 = s4.add(F32x4::load(p.add(i)));
                    i += 4;
                }
            } else {
                let pa = a.as_ptr().add(r * e);
                while i < e4 {
                    let v = F32x4::load(p.add(i)).add(F32x4::load(pa.add(i)));
                    v.store(p.add(i));
                    s4 = s4.add(v);
                    i += 4;
                }
                for j in e4..e {
                    *p.add(j) += *pa.add(j);
                }
            }
            let mut sum = s4.sum();
            for j in e4..e {
                sum += *p.add(j);
            }
            let mean = sum / e as f32;
            // pass 2: Σ (h − μ)²
            let m4 = F32x4::splat(mean);
            let mut q4 = F32x4::splat(0.0);
            i = 0;
            while i < e4 {
                let d = F32x4::load(p.add(i)).sub(m4);
                q4 = q4.add(d.mul(d));
                i += 4;
            }
            let mut sq = q4.sum();
            for j in e4..e {
                let d = *p.add(j) - mean;
                sq += d * d;
            }
            let inv = 1.0 / (sq / e as f32 + eps).sqrt();
            // pass 3: h ← (h − μ)·inv·w + b
            let inv4 = F32x4::splat(inv);
            let (pw, pb) = (w.as_ptr(), b.as_ptr());
            i = 0;
            while i < e4 {
                let mut v = F32x4::load(p.add(i)).sub(m4).mul(inv4).mul(F32x4::load(pw.add(i)));
                if !b.is_empty() {
                    v = v.add(F32x4::load(pb.add(i)));
                }
                v.store(p.add(i));
                i += 4;
            }
            for j in e4..e {
                let v = (*p.add(j) - mean) * inv * *pw.add(j);
                *p.add(j) = if b.is_empty() { v } else { v + *pb.add(j) };
            }
        }
    }
}

/// Reference for [`add_layer_norm`]: y [R, E] ← LayerNorm(x + a), sums in f64.
pub fn layer_norm_naive(x: &[f32], a: &[f32], rows: usize, e: usize, w: &[f32], b: &[f32], eps: f32, y: &mut [f32]) {
    for r in 0..rows {
        let v: Vec<f64> = (0..e).map(|j| x[r * e + j] as f64 + if a.is_empty() { 0.0 } else { a[r * e + j] as f64 }).collect();
        let mean = v.iter().sum::<f64>() / e as f64;
        let var = v.iter().map(|t| (t - mean) * (t - mean)).sum::<f64>() / e as f64;
        let inv = 1.0 / (var + eps as f64).sqrt();
        for j in 0..e {
            let t = (v[j] - mean) * inv * w[j] as f64 + if b.is_empty() { 0.0 } else { b[j] as f64 };
            y[r * e + j] = t as f32;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(len: usize, seed: usize) -> Vec<f32> {
        (0..len).map(|i| (((i + seed) * 7919) % 199) as f32 / 49.75 - 2.0).collect()
    }

    #[test]
    fn fast_equals_naive_across_widths_with_and_without_residual_and_bias() {
        for &e in &[1usize, 2, 3, 4, 5, 7, 8, 17, 64, 384] {
            for &rows in &[0usize, 1, 3] {
                let (x, a, w, b) = (data(rows * e, 1), data(rows * e, 2), data(e, 3), data(e, 4));
                for (res, bias) in [(&a[..], &b[..]), (&[][..], &b[..]), (&a[..], &[][..])] {
                    let mut fast = x.clone();
                    add_layer_norm(&mut fast, res, rows, e, &w, bias, 1e-5);
                    let mut naive = vec![0.0; rows * e];
                    layer_norm_naive(&x, res, rows, e, &w, bias, 1e-5, &mut naive);
                    for i in 0..rows * e {
                        // Normalised values are O(√E) at most; f32 sums of E terms: 1e-6 · E relative.
                        assert!((fast[i] - naive[i]).abs() <= 2e-6 * (e as f32).sqrt() * 4.0 + 1e-6, "e={} rows={} i={} {} vs {}", e, rows, i, fast[i], naive[i]);
                    }
                }
            }
        }
    }
}
