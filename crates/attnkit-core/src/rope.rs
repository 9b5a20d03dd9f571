//! Rotary position embedding (Su et al., RoFormer), applied in place.
//!
//! x [B, S, H, D], positions [S]. With θ_j = base^(−2j/D) and angle a = pos·θ_j, each pair
//! (x₁, x₂) becomes (x₁·cos a − x₂·sin a, x₂·cos a + x₁·sin a). The pairs are
//! - rotate-half (Llama / NeoX, `interleaved = false`): (j, j + D/2), j < D/2;
//! - interleaved (GPT-J / RoFormer): (2j, 2j + 1).
//! cos and sin are computed in f64 once per (position, j) and rounded to f32; the rotation
//! itself is f32, 4 lanes at a time.

use crate::simd::F32x4;

/// cos and sin of pos·θ_j for every position and pair: two [S, D/2] tables.
fn angle_tables(positions: &[i32], head_dim: usize, base: f64) -> (Vec<f32>, Vec<f32>) {
    let half = head_dim / 2;
    let theta: Vec<f64> = (0..half).map(|j| base.powf(-((2 * j) as f64) / head_dim as f64)).collect();
    let mut cos = Vec::with_capacity(positions.len() * half);
    let mut sin = Vec::with_capacity(positions.len() * half);
    for &pos in positions {
        for &t in &theta {
            let a = pos as f64 * t;
            cos.push(a.cos() as f32);
            sin.push(a.sin() as f32);
        }
    }
    (cos, sin)
}

/// Rotates `x` ([batch, positions.len(), heads, head_dim]) in place. `head_dim` is even.
pub fn rope(x: &mut [f32], batch: usize, heads: usize, head_dim: usize, positions: &[i32], base: f64, interleaved: bool) {
    let seq = positions.len();
    let half = head_dim / 2;
    let (cos, sin) = angle_tables(positions, head_dim, base);
    if interleaved {
        // Expand to [S, D] lanes: c = [c₀, c₀, c₁, c₁, …], s = [−s₀, s₀, −s₁, s₁, …], so
        // out = x·c + swap_pairs(x)·s rotates every (2j, 2j+1) pair at once.
        let c: Vec<f32> = cos.iter().flat_map(|&v| [v, v]).collect();
        let s: Vec<f32> = sin.iter().flat_map(|&v| [-v, v]).collect();
        for b in 0..batch {
            for t in 0..seq {
                let (cr, sr) = (&c[t * head_dim..(t + 1) * head_dim], &s[t * head_dim..(t + 1) * head_dim]);
                for h in 0..heads {
                    let row = ((b * seq + t) * heads + h) * head_dim;
                    rotate_interleaved(&mut x[row..row + head_dim], cr, sr);
                }
            }
        }
    } else {
        for b in 0..batch {
            for t in 0..seq {
                let (cr, sr) = (&cos[t * half..(t + 1) * half], &sin[t * half..(t + 1) * half]);
                for h in 0..heads {
                    let row = ((b * seq + t) * heads + h) * head_dim;
                    rotate_half(&mut x[row..row + head_dim], cr, sr);
                }
            }
        }
    }
}

/// One row [D]: pairs (j, j + D/2) with cos/sin [D/2].
#[inline(always)]
fn rotate_half(row: &mut [f32], cos: &[f32], sin: &[f32]) {
    let half = cos.len();
    let (lo, hi) = row.split_at_mut(half);
    let mut j = 0;
    // SAFETY: j + 4 ≤ half bounds every lane access of lo, hi, cos and sin.
    unsafe {
        while j + 4 <= half {
            let (x1, x2) = (F32x4::load(lo.as_ptr().add(j)), F32x4::load(hi.as_ptr().add(j)));
            let (c, s) = (F32x4::load(cos.as_ptr().add(j)), F32x4::load(sin.as_ptr().add(j)));
            x1.mul(c).sub(x2.mul(s)).store(lo.as_mut_ptr().add(j));
            x2.mul(c).add(x1.mul(s)).store(hi.as_mut_ptr().add(j));
            j += 4;
        }
    }
    for j in j..half {
        let (x1, x2) = (lo[j], hi[j]);
        lo[j] = x1 * cos[j] - x2 * sin[j];
        hi[j] = x2 * cos[j] + x1 * sin[j];
    }
}

/// One row [D]: pairs (2j, 2j + 1) with the expanded lanes c, s [D] (see `rope`).
#[inline(always)]
fn rotate_interleaved(row: &mut [f32], c: &[f32], s: &[f32]) {
    let d = row.len();
    let mut i = 0;
    // SAFETY: i + 4 ≤ d bounds every lane access of row, c and s.
    unsafe {
        while i + 4 <= d {
            let x = F32x4::load(row.as_ptr().add(i));
            let (cv, sv) = (F32x4::load(c.as_ptr().add(i)), F32x4::load(s.as_ptr().add(i)));
            x.mul(cv).add(x.swap_pairs().mul(sv)).store(row.as_mut_ptr().add(i));
            i += 4;
        }
    }
    // D is even, so a tail is one or more whole pairs.
    while i < d {
        let (x1, x2) = (row[i], row[i + 1]);
        row[i] = x1 * c[i] + x2 * s[i];
        row[i + 1] = x2 * c[i + 1] + x1 * s[i + 1];
        i += 2;
    }
}

/// Reference for [`rope`]: every pair rotated in f64 straight from the definition.
pub fn rope_naive(x: &mut [f32], batch: usize, heads: usize, head_dim: usize, positions: &[i32], base: f64, interleaved: bool) {
    let half = head_dim / 2;
    for b in 0..batch {
        for (t, &pos) in positions.iter().enumerate() {
            for h in 0..heads {
                let row = ((b * positions.len() + t) * heads + h) * head_dim;
                for j in 0..half {
                    let a = pos as f64 * base.powf(-((2 * j) as f64) / head_dim as f64);
                    let (i1, i2) = if interleaved { (row + 2 * j, row + 2 * j + 1) } else { (row + j, row + j + half) };
                    let (x1, x2) = (x[i1] as f64, x[i2] as f64);
                    x[i1] = (x1 * a.cos() - x2 * a.sin()) as f32;
                    x[i2] = (x2 * a.cos() + x1 * a.sin()) as f32;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(n: usize) -> Vec<f32> {
        (0..n).map(|i| ((i * 7919) % 97) as f32 / 48.5 - 1.0).collect()
    }

    #[test]
    fn fast_equals_naive_within_f32_rounding() {
        // Two f32 roundings (product, then sum) on unit-scale data: ≤ 4e-7 apart.
        for &interleaved in &[false, true] {
            for &d in &[2usize, 4, 6, 8, 10, 64] {
                let (b, h) = (2, 3);
                let positions: Vec<i32> = vec![0, 1, 5, 17, 1000];
                let mut fast = input(b * positions.len() * h * d);
                let mut naive = fast.clone();
                rope(&mut fast, b, h, d, &positions, 10000.0, interleaved);
                rope_naive(&mut naive, b, h, d, &positions, 10000.0, interleaved);
                for i in 0..fast.len() {
                    assert!((fast[i] - naive[i]).abs() <= 4e-7, "d={} i={} {} vs {}", d, i, fast[i], naive[i]);
                }
            }
        }
    }

    #[test]
    fn position_zero_is_identity() {
        let mut x = input(2 * 8);
        let before = x.clone();
        rope(&mut x, 1, 2, 8, &[0], 10000.0, false);
        assert_eq!(x, before);
    }

    #[test]
    fn rotation_preserves_pair_norms() {
        let mut x = input(16);
        let before = x.clone();
        rope(&mut x, 1, 1, 16, &[123], 500.0, true);
        for j in 0..8 {
            let n0 = before[2 * j].hypot(before[2 * j + 1]);
            let n1 = x[2 * j].hypot(x[2 * j + 1]);
            assert!((n0 - n1).abs() < 1e-6);
        }
    }
}
