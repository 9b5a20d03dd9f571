//! Embedding lookup fused with a positional add (the plain gather of a resident table is a
//! `set` per row on the JS side: packages/attnkit/src/wasm/embedding.ts).
//!
//! table [R, E], ids [N] with 0 ≤ ids[i] < R (checked by the caller), out [N, E].

use crate::simd;

/// out[i, :] ← table[ids[i], :] + addend[i, :]      addend [N, E]
///
/// The embedding step and the positional step of the worked example's pipeline in one pass over
/// `out`: each gathered row is added to its positional row on the way through registers
/// (`simd::add`, 16 floats a step) and never round-trips through memory before the add.
/// Faster than building the row in place with `memory.copy` and then adding the positional
/// row into it, though slower than the bare `memory.copy` gather (bench/RESULTS.md,
/// embedding section): the add pass reads a second stream (the positional rows) and wasm's
/// vectors are 16 bytes wide, where the engine's memcpy moves 32 at a time.
pub fn embedding_lookup_add(table: &[f32], dim: usize, ids: &[u32], addend: &[f32], out: &mut [f32]) {
    for ((row_out, row_add), &id) in out.chunks_exact_mut(dim).zip(addend.chunks_exact(dim)).zip(ids) {
        let start = id as usize * dim;
        simd::add(&table[start..start + dim], row_add, row_out);
    }
}

/// Reference for [`embedding_lookup_add`]: one element at a time.
pub fn embedding_lookup_add_naive(table: &[f32], dim: usize, ids: &[u32], addend: &[f32], out: &mut [f32]) {
    for (i, &id) in ids.iter().enumerate() {
        for e in 0..dim {
            out[i * dim + e] = table[id as usize * dim + e] + addend[i * dim + e];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: usize, dim: usize) -> Vec<f32> {
        (0..rows * dim).map(|i| i as f32 * 0.01 - 1.0).collect()
    }

    /// out[i, :] ← table[ids[i], :], one element at a time.
    fn embedding_lookup_naive(table: &[f32], dim: usize, ids: &[u32], out: &mut [f32]) {
        for (i, &id) in ids.iter().enumerate() {
            for e in 0..dim {
                out[i * dim + e] = table[id as usize * dim + e];
            }
        }
    }

    #[test]
    fn lookup_add_equals_lookup_then_add() {
        for dim in [1, 4, 6, 16, 19] {
            let t = table(5, dim);
            let ids = [4u32, 1, 1, 0];
            let addend: Vec<f32> = (0..ids.len() * dim).map(|i| (i as f32).sin()).collect();
            let mut gathered = vec![0.0; ids.len() * dim];
            embedding_lookup_naive(&t, dim, &ids, &mut gathered);
            let mut fused = vec![0.0; ids.len() * dim];
            embedding_lookup_add(&t, dim, &ids, &addend, &mut fused);
            for i in 0..fused.len() {
                assert_eq!(fused[i], gathered[i] + addend[i]);
            }
        }
    }

    #[test]
    fn fast_lookup_add_equals_naive_for_widths_around_the_16_float_step() {
        // 1, 3, 4, 5 (the 4-float loop and its tail), 15, 16, 17, 31, 33 (the 16-float step), 768.
        for dim in [1, 3, 4, 5, 15, 16, 17, 31, 33, 768] {
            let t = table(6, dim);
            let ids = [5u32, 0, 5, 2];
            let addend: Vec<f32> = (0..ids.len() * dim).map(|i| (i as f32 * 0.37).cos()).collect();
            let (mut fast, mut naive) = (vec![f32::NAN; ids.len() * dim], vec![0.0; ids.len() * dim]);
            embedding_lookup_add(&t, dim, &ids, &addend, &mut fast);
            embedding_lookup_add_naive(&t, dim, &ids, &addend, &mut naive);
            assert_eq!(fast, naive, "dim={}", dim);
        }
        let mut empty: Vec<f32> = vec![];
        embedding_lookup_add(&table(2, 8), 8, &[], &[], &mut empty);
    }
}
