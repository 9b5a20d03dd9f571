//! Scaled dot-product attention: O ← softmax(Q·Kᵀ·scale + M)·V, per batch and head.
//!
//! - q, out [B, S, H, D]; k, v [B, T, Hkv, D] (BSHD; a projection's [B, S, H·D] as is).
//! - Query head h reads kv head h / (H / Hkv) (grouped-query attention).
//! - M, the additive mask, is [S, T] (shared) or [B, H, S, T]; keys may also be removed
//!   by `causal` (query i sees keys j ≤ i + T − S, bottom-right aligned) and by the key
//!   padding mask [B, T] (non-zero = padding).
//! - weights, when asked, [B, H, S, T]: the softmax probabilities.
//! A query row whose every key is removed gets zeros (output and weights), not NaN.

use crate::simd::F32x4;

/// The sizes of one attention call.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    pub batch: usize,
    pub seq_q: usize,
    pub seq_k: usize,
    pub heads: usize,
    pub kv_heads: usize,
    pub head_dim: usize,
}

/// Which keys each query may see, and the additive mask.
#[derive(Clone, Copy, Default)]
pub struct Masks<'a> {
    /// [S, T], or [B, H, S, T] when `mask_per_head`.
    pub mask: Option<&'a [f32]>,
    pub mask_per_head: bool,
    /// [B, T], non-zero = padding.
    pub key_padding: Option<&'a [u8]>,
    pub causal: bool,
}

/// out (and weights) ← attention(q, k, v). `scores` is scratch of at least T floats.
#[allow(clippy::too_many_arguments)]
pub fn attention(q: &[f32], k: &[f32], v: &[f32], shape: Shape, scale: f32, masks: Masks, out: &mut [f32], mut weights: Option<&mut [f32]>, scores: &mut [f32]) {
    let Shape { batch, seq_q, seq_k, heads, kv_heads, head_dim: d } = shape;
    let group = heads / kv_heads;
    let (q_stride, kv_stride) = (heads * d, kv_heads * d);
    let scores = &mut scores[..seq_k];
    for b in 0..batch {
        for h in 0..heads {
            let kvh = h / group;
            for i in 0..seq_q {
                let qi = &q[(b * seq_q + i) * q_stride + h * d..][..d];
                let mask_row = masks.mask.map(|m| {
                    let row = if masks.mask_per_head { ((b * heads + h) * seq_q + i) * seq_k } else { i * seq_k };
                    &m[row..row + seq_k]
                });
                let padding = masks.key_padding.map(|p| &p[b * seq_k..(b + 1) * seq_k]);
                // Keys j < visible may be seen; causal hides j > i + T − S.
                let visible = if masks.causal { (i + seq_k + 1).saturating_sub(seq_q).min(seq_k) } else { seq_k };

                // pass 1: scores and their maximum.
                let mut max = f32::NEG_INFINITY;
                let mut any_nan = false;
                for j in 0..seq_k {
                    let hidden = j >= visible || padding.map_or(false, |p| p[j] != 0);
                    let s = if hidden {
                        f32::NEG_INFINITY
                    } else {
                        let kj = &k[(b * seq_k + j) * kv_stride + kvh * d..][..d];
                        dot(qi, kj) * scale + mask_row.map_or(0.0, |m| m[j])
                    };
                    scores[j] = s;
                    if s > max {
                        max = s;
                    } else if s.is_nan() {
                        any_nan = true;
                    }
                }
                let oi = &mut out[(b * seq_q + i) * q_stride + h * d..][..d];
                let wrow = weights.as_deref_mut().map(|w| &mut w[((b * heads + h) * seq_q + i) * seq_k..][..seq_k]);
                if max == f32::NEG_INFINITY && !any_nan {
                    // Every key removed: zeros, not 0/0.
                    oi.fill(0.0);
                    if let Some(w) = wrow {
                        w.fill(0.0);
                    }
                    continue;
                }

                // pass 2: exp(s − max) and their sum.
                let mut sum = 0.0f32;
                for s in scores.iter_mut() {
                    *s = (*s - max).exp();
                    sum += *s;
                }
                let inv = 1.0 / sum;

                // pass 3: out_i ← Σ_j p_j · v_j / sum.
                oi.fill(0.0);
                for (j, &p) in scores.iter().enumerate() {
                    if p != 0.0 {
                        let vj = &v[(b * seq_k + j) * kv_stride + kvh * d..][..d];
                        axpy(p * inv, vj, oi);
                    }
                }
                if let Some(w) = wrow {
                    for (wj, &p) in w.iter_mut().zip(scores.iter()) {
                        *wj = p * inv;
                    }
                }
            }
        }
    }
}

/// Σ a[i]·b[i] over a.len() floats: four f32x4 accumulators, then a scalar tail.
#[inline(always)]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len();
    let b = &b[..n];
    let (pa, pb) = (a.as_ptr(), b.as_ptr());
    let zero = F32x4::splat(0.0);
    let mut acc = [zero; 4];
    let mut i = 0;
    // SAFETY: i + 16 ≤ n (then i + 4 ≤ n) bounds every load.
    unsafe {
        while i + 16 <= n {
            for (u, a_u) in acc.iter_mut().enumerate() {
                *a_u = a_u.add(F32x4::load(pa.add(i + 4 * u)).mul(F32x4::load(pb.add(i + 4 * u))));
            }
            i += 16;
        }
        while i + 4 <= n {
            acc[0] = acc[0].add(F32x4::load(pa.add(i)).mul(F32x4::load(pb.add(i))));
            i += 4;
        }
    }
    let mut s = acc[0].add(acc[1]).add(acc[2].add(acc[3])).sum();
    while i < n {
        s += a[i] * b[i];
        i += 1;
    }
    s
}

/// y ← y + alpha·x over y.len() floats.
#[inline(always)]
pub fn axpy(alpha: f32, x: &[f32], y: &mut [f32]) {
    let n = y.len();
    let x = &x[..n];
    let a = F32x4::splat(alpha);
    let mut i = 0;
    // SAFETY: i + 4 ≤ n bounds every load and store.
    unsafe {
        while i + 4 <= n {
            let yp = y.as_mut_ptr().add(i);
            F32x4::load(yp).add(a.mul(F32x4::load(x.as_ptr().add(i)))).store(yp);
            i += 4;
        }
    }
    while i < n {
        y[i] += alpha * x[i];
        i += 1;
    }
}

/// Reference for [`attention`]: the definition in f64, one (b, h, i) row at a time.
#[allow(clippy::too_many_arguments)]
pub fn attention_naive(q: &[f32], k: &[f32], v: &[f32], shape: Shape, scale: f32, masks: Masks, out: &mut [f32], mut weights: Option<&mut [f32]>) {
    let Shape { batch, seq_q, seq_k, heads, kv_heads, head_dim: d } = shape;
    let group = heads / kv_heads;
    for b in 0..batch {
        for h in 0..heads {
            for i in 0..seq_q {
                let mut s = vec![f64::NEG_INFINITY; seq_k];
                for (j, sj) in s.iter_mut().enumerate() {
                    let causal_hidden = masks.causal && j + seq_q > i + seq_k;
                    let padded = masks.key_padding.map_or(false, |p| p[b * seq_k + j] != 0);
                    if causal_hidden || padded {
                        continue;
                    }
                    let mut acc = 0.0f64;
                    for e in 0..d {
                        acc += q[((b * seq_q + i) * heads + h) * d + e] as f64 * k[((b * seq_k + j) * kv_heads + h / group) * d + e] as f64;
                    }
                    let m = masks.mask.map_or(0.0, |m| {
                        let idx = if masks.mask_per_head { ((b * heads + h) * seq_q + i) * seq_k + j } else { i * seq_k + j };
                        m[idx] as f64
                    });
                    *sj = acc * scale as f64 + m;
                }
                let max = s.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                let p: Vec<f64> = if max == f64::NEG_INFINITY { vec![0.0; seq_k] } else { s.iter().map(|&x| (x - max).exp()).collect() };
                let sum: f64 = p.iter().sum();
                for e in 0..d {
                    let mut acc = 0.0f64;
                    for j in 0..seq_k {
                        if p[j] != 0.0 {
                            acc += p[j] / sum * v[((b * seq_k + j) * kv_heads + h / group) * d + e] as f64;
                        }
                    }
                    out[((b * seq_q + i) * heads + h) * d + e] = acc as f32;
                }
                if let Some(w) = weights.as_deref_mut() {
                    for j in 0..seq_k {
                        w[((b * heads + h) * seq_q + i) * seq_k + j] = if p[j] == 0.0 { 0.0 } else { (p[j] / sum) as f32 };
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(len: usize, seed: usize) -> Vec<f32> {
        (0..len).map(|i| (((i + seed) * 7919) % 211) as f32 / 105.5 - 1.0).collect()
    }

    fn run(shape: Shape, masks: Masks) {
        let Shape { batch, seq_q, seq_k, heads, kv_heads, head_dim } = shape;
        let q = data(batch * seq_q * heads * head_dim, 1);
        let k = data(batch * seq_k * kv_heads * head_dim, 2);
        let v = data(batch * seq_k * kv_heads * head_dim, 3);
        let n_out = batch * seq_q * heads * head_dim;
        let n_w = batch * heads * seq_q * seq_k;
        let (mut out, mut w) = (vec![f32::NAN; n_out], vec![f32::NAN; n_w]);
        let (mut out_ref, mut w_ref) = (vec![f32::NAN; n_out], vec![f32::NAN; n_w]);
        let mut scratch = vec![0.0; seq_k];
        let scale = 1.0 / (head_dim as f32).sqrt();
        attention(&q, &k, &v, shape, scale, masks, &mut out, Some(&mut w), &mut scratch);
        attention_naive(&q, &k, &v, shape, scale, masks, &mut out_ref, Some(&mut w_ref));
        for i in 0..n_out {
            // f32 scores, exp and sums over ≤ 20 keys against f64: 1e-5 on unit-scale data.
            assert!((out[i] - out_ref[i]).abs() <= 1e-5, "{:?} out[{}] {} vs {}", shape, i, out[i], out_ref[i]);
        }
        for i in 0..n_w {
            assert!((w[i] - w_ref[i]).abs() <= 1e-5, "{:?} w[{}] {} vs {}", shape, i, w[i], w_ref[i]);
        }
    }

    #[test]
    fn fast_equals_naive_over_shapes_gqa_and_masks() {
        for &(batch, seq_q, seq_k) in &[(1, 1, 1), (1, 3, 5), (2, 5, 3), (1, 7, 7), (2, 4, 20)] {
            for &(heads, kv_heads) in &[(1, 1), (2, 1), (4, 2), (8, 1), (4, 4)] {
                for &head_dim in &[1, 3, 4, 5, 17] {
                    let shape = Shape { batch, seq_q, seq_k, heads, kv_heads, head_dim };
                    let mask = data(seq_q * seq_k, 9);
                    let mask_ph: Vec<f32> = data(batch * heads * seq_q * seq_k, 4).iter().map(|&x| if x > 0.6 { f32::NEG_INFINITY } else { x }).collect();
                    let padding: Vec<u8> = (0..batch * seq_k).map(|i| (i % 3 == 1) as u8).collect();
                    run(shape, Masks::default());
                    run(shape, Masks { causal: true, ..Masks::default() });
                    run(shape, Masks { mask: Some(&mask), ..Masks::default() });
                    run(shape, Masks { mask: Some(&mask_ph), mask_per_head: true, key_padding: Some(&padding), causal: true });
                }
            }
        }
    }

    #[test]
    fn all_masked_rows_are_zero() {
        let shape = Shape { batch: 1, seq_q: 3, seq_k: 2, heads: 1, kv_heads: 1, head_dim: 4 };
        let (q, k, v) = (data(12, 1), data(8, 2), data(8, 3));
        // causal with S > T: query 0 sees key j ≤ 0 + 2 − 3 = −1, i.e. none.
        let (mut out, mut w, mut scratch) = (vec![f32::NAN; 12], vec![f32::NAN; 6], vec![0.0; 2]);
        attention(&q, &k, &v, shape, 0.5, Masks { causal: true, ..Masks::default() }, &mut out, Some(&mut w), &mut scratch);
        assert_eq!(&out[..4], &[0.0; 4]);
        assert_eq!(&w[..2], &[0.0; 2]);
        assert!((w[2] - 1.0).abs() < 1e-7 && w[3] == 0.0, "query 1 sees key 0 only");
    }
}
