//! Sinusoidal positional encoding (Vaswani et al. 2017, §3.5).
//!
//! out [S, E]:  PE[p, 2i] = sin(p / base^(2i/E)),  PE[p, 2i+1] = cos(p / base^(2i/E)),
//! p = offset + row. An odd E ends with a sine column. Angles and sin/cos are computed in
//! f64 and rounded once to f32, so every entry is within 1 ulp (f32) of the exact value
//! even at positions in the tens of thousands, where an f32 angle would already be off.

/// Fills `out` ([seq_len, dim]) with the encoding of positions offset .. offset + seq_len.
pub fn sinusoidal_encoding(seq_len: usize, dim: usize, base: f64, offset: f64, out: &mut [f32]) {
    // base^(2i/E) depends only on the column pair: compute it once per pair.
    let denominators: Vec<f64> = (0..(dim + 1) / 2).map(|i| base.powf((2 * i) as f64 / dim as f64)).collect();
    for (row, pe) in out.chunks_exact_mut(dim).take(seq_len).enumerate() {
        let p = offset + row as f64;
        for (i, &den) in denominators.iter().enumerate() {
            let angle = p / den;
            pe[2 * i] = angle.sin() as f32;
            if 2 * i + 1 < dim {
                pe[2 * i + 1] = angle.cos() as f32;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_zero_is_sin_0_cos_0_alternating() {
        let mut out = vec![f32::NAN; 5];
        sinusoidal_encoding(1, 5, 10000.0, 0.0, &mut out);
        assert_eq!(out, [0.0, 1.0, 0.0, 1.0, 0.0]);
    }

    #[test]
    fn offset_shifts_rows() {
        let (dim, base) = (6, 10000.0);
        let mut long = vec![0.0; 10 * dim];
        sinusoidal_encoding(10, dim, base, 0.0, &mut long);
        let mut tail = vec![0.0; 4 * dim];
        sinusoidal_encoding(4, dim, base, 6.0, &mut tail);
        assert_eq!(&long[6 * dim..], &tail[..]);
    }

    #[test]
    fn first_column_pair_is_sin_cos_of_position() {
        let mut out = vec![0.0; 3 * 4];
        sinusoidal_encoding(3, 4, 10000.0, 0.0, &mut out);
        for p in 0..3 {
            assert_eq!(out[p * 4], (p as f64).sin() as f32);
            assert_eq!(out[p * 4 + 1], (p as f64).cos() as f32);
        }
    }
}
