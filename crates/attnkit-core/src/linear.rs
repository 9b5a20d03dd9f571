//! Linear layer: y ← x·Wᵀ + b, with W in PyTorch's [out, in] layout.
//!
//! x [M, K], W [N, K], b [N] (optional), y [M, N].
//!
//! The fast path packs W once into column panels of NR = 8 outputs ("packed weights"),
//! so the micro-kernel reads 8 consecutive floats of W per step of k, and computes an
//! MR × NR = 4 × 8 tile of y in 8 f32x4 accumulators: per k, 2 loads of W, 4 splats of
//! x and 8 multiply-adds. A resident layer packs its weights at creation.

use crate::gelu::gelu;
use crate::half::f16_to_f32;
use crate::simd::F32x4;

/// Rows of y per micro-kernel call (loop 1).
pub const MR: usize = 4;
/// Columns of y per packed panel (loop 2).
pub const NR: usize = 8;
/// Rows of x per block (loop 3, a multiple of MR): each packed panel (k·NR floats, in L1) is
/// used for all the block's rows (k·MC floats, in L2) before the next panel, so W is read
/// once per MC rows instead of once per MR rows — what makes many rows at once (a batch)
/// cheaper per row. The tiles, and so the results, are the same as without blocking.
pub const MC: usize = 64;

/// Floats needed to hold W [n, k] packed: ⌈n / NR⌉ panels of [k, NR].
pub fn packed_len(n: usize, k: usize) -> usize {
    (n + NR - 1) / NR * NR * k
}

/// packed[p][kk][c] ← W[p·NR + c][kk], zero past row n − 1 of W.
pub fn pack_weights(w: &[f32], n: usize, k: usize, packed: &mut [f32]) {
    pack_rows(w, n, k, k, packed);
}

/// Packs the rows of a strided matrix W (row r at `w[r·stride..][..k]`, n rows) into
/// panels: packed[p][kk][c] ← W[p·NR + c][kk], zero past row n − 1. Attention packs K
/// this way (scores = Q·Kᵀ is a linear layer whose weights are K).
pub fn pack_rows<T: Copy + Default>(w: &[T], n: usize, k: usize, stride: usize, packed: &mut [T]) {
    // One element at a time, destination in order: packing runs once per weight, so the
    // loop is kept small rather than unrolled into a transposing kernel.
    let mut at = 0;
    for p in 0..(n + NR - 1) / NR {
        for kk in 0..k {
            for c in 0..NR {
                let row = p * NR + c;
                packed[at] = if row < n { w[row * stride + kk] } else { T::default() };
                at += 1;
            }
        }
    }
}

/// Packs the columns of a strided matrix V ([k rows, n columns], row kk at
/// `v[kk·stride..][..n]`) as the weights of y = x·V: packed[p][kk][c] ← V[kk][p·NR + c],
/// zero past column n − 1. Attention packs V this way (out = P·V).
pub fn pack_columns(v: &[f32], k: usize, n: usize, stride: usize, packed: &mut [f32]) {
    for p in 0..(n + NR - 1) / NR {
        let cols = NR.min(n - p * NR);
        let panel = &mut packed[p * NR * k..(p + 1) * NR * k];
        for kk in 0..k {
            let dst = &mut panel[kk * NR..(kk + 1) * NR];
            dst[..cols].copy_from_slice(&v[kk * stride + p * NR..][..cols]);
            dst[cols..].fill(0.0);
        }
    }
}

/// What the epilogue applies to each output after its bias.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Activation {
    None,
    /// GELU, erf form (see `gelu.rs`).
    Gelu,
    /// GELU, tanh form.
    GeluTanh,
}

impl Activation {
    /// 0 none, 1 GELU (erf), 2 GELU (tanh): the C ABI's code.
    pub fn from_code(code: u32) -> Activation {
        match code {
            1 => Activation::Gelu,
            2 => Activation::GeluTanh,
            _ => Activation::None,
        }
    }
}

/// y [m, n] ← x [m, k] · Wᵀ + b, W given packed by [`pack_weights`]; `bias` may be empty.
pub fn linear_packed(x: &[f32], m: usize, k: usize, packed: &[f32], n: usize, bias: &[f32], y: &mut [f32]) {
    linear_packed_act(x, m, k, packed, n, bias, Activation::None, y);
}

/// y [m, n] ← act(x [m, k] · Wᵀ + b): [`linear_packed`] with the activation applied in
/// the epilogue, on the registers, before the tile is stored (no second pass over y).
pub fn linear_packed_act(x: &[f32], m: usize, k: usize, packed: &[f32], n: usize, bias: &[f32], act: Activation, y: &mut [f32]) {
    assert!(x.len() >= m * k && packed.len() >= packed_len(n, k) && y.len() >= m * n && (bias.is_empty() || bias.len() >= n));
    let panels = (n + NR - 1) / NR;
    let mut block = 0;
    while block < m {
        let block_end = m.min(block + MC);
        for p in 0..panels {
            let mut row = block;
            while row < block_end {
                let rows = MR.min(block_end - row);
                // SAFETY: rows ≤ MR rows of k floats from x[row·k], and a whole panel, are in bounds (asserted above).
                let acc = unsafe { micro_kernel_regs(x.as_ptr().add(row * k), k, rows, k, packed.as_ptr().add(p * NR * k)) };
                store_tile(acc, rows, p, n, bias, act, &mut y[row * n..]);
                row += MR;
            }
        }
        block = block_end;
    }
}

/// The epilogue: y[r, p·NR + c] ← act(acc[r][c] + b[p·NR + c]) for r < rows, c < the
/// panel's columns (y given from its first row of the tile, row stride n). Not inlined:
/// one call per tile of 4·8·k multiply-adds costs nothing, and three inlined activations
/// per GEMM would cost kilobytes of the module.
#[inline(never)]
fn store_tile(acc: [[F32x4; 2]; MR], rows: usize, p: usize, n: usize, bias: &[f32], act: Activation, y: &mut [f32]) {
    let cols = NR.min(n - p * NR);
    let mut b = [0.0f32; NR];
    if !bias.is_empty() {
        b[..cols].copy_from_slice(&bias[p * NR..p * NR + cols]);
    }
    // SAFETY: b holds NR floats.
    let (b0, b1) = unsafe { (F32x4::load(b.as_ptr()), F32x4::load(b.as_ptr().add(4))) };
    let mut tile = [0.0f32; MR * NR];
    for r in 0..rows {
        // SAFETY: row r of the tile holds NR = 8 floats.
        unsafe {
            acc[r][0].add(b0).store(tile.as_mut_ptr().add(r * NR));
            acc[r][1].add(b1).store(tile.as_mut_ptr().add(r * NR + 4));
        }
    }
    if act != Activation::None {
        // The tile is in L1: the activation's loop over it is the epilogue (one loop, not
        // 2·MR inlined copies per activation, which the module's size would pay for).
        gelu(&mut tile[..rows * NR], act == Activation::GeluTanh);
    }
    for r in 0..rows {
        y[r * n + p * NR..][..cols].copy_from_slice(&tile[r * NR..][..cols]);
    }
}

/// packed16[p][kk][c] ← W16[p·NR + c][kk]: f16 weights [n, k] in the panel layout of
/// [`pack_weights`], still f16 (half the bytes).
pub fn pack_weights_f16(w: &[u16], n: usize, k: usize, packed: &mut [u16]) {
    pack_rows(w, n, k, k, packed);
}

/// y [m, n] ← act(x [m, k] · Wᵀ + b) with W packed in f16 by [`pack_weights_f16`]:
/// otherwise identical to [`linear_packed_act`]. Each panel is converted to f32 once,
/// into `panel` (k·NR floats, it stays in L1), then every row block runs against it:
/// panels outer, rows inner. Compute is f32.
pub fn linear_packed_f16(x: &[f32], m: usize, k: usize, packed: &[u16], n: usize, bias: &[f32], act: Activation, y: &mut [f32], panel: &mut [f32]) {
    assert!(x.len() >= m * k && packed.len() >= packed_len(n, k) && y.len() >= m * n && (bias.is_empty() || bias.len() >= n) && panel.len() >= k * NR);
    for p in 0..(n + NR - 1) / NR {
        for (dst, &h) in panel[..k * NR].iter_mut().zip(&packed[p * NR * k..(p + 1) * NR * k]) {
            *dst = f16_to_f32(h);
        }
        let mut row = 0;
        while row < m {
            let rows = MR.min(m - row);
            // SAFETY: rows ≤ MR rows of k floats from x[row·k], and k·NR floats of panel (asserted above).
            let acc = unsafe { micro_kernel_regs(x.as_ptr().add(row * k), k, rows, k, panel.as_ptr()) };
            store_tile(acc, rows, p, n, bias, act, &mut y[row * n..]);
            row += MR;
        }
    }
}

/// tile[r][c] = Σ_kk x[r·x_stride + kk] · panel[kk·NR + c] for r < rows (≤ MR), c < NR:
/// [`micro_kernel_regs`] stored to memory.
///
/// # Safety
/// As for [`micro_kernel_regs`].
#[inline(always)]
pub unsafe fn micro_kernel(x: *const f32, x_stride: usize, rows: usize, k: usize, panel: *const f32) -> [[f32; NR]; MR] {
    let acc = micro_kernel_regs(x, x_stride, rows, k, panel);
    let mut tile = [[0.0; NR]; MR];
    for r in 0..MR {
        acc[r][0].store(tile[r].as_mut_ptr());
        acc[r][1].store(tile[r].as_mut_ptr().add(4));
    }
    tile
}

/// The MR × NR = 4 × 8 register tile: acc[r] = [columns 0..4, columns 4..8] of
/// Σ_kk x[r·x_stride + kk] · panel[kk·NR + c]. Per step of kk, 2 loads of the panel,
/// `rows` broadcasts of x, 8 multiply-adds into 8 f32x4 accumulators. Rows past `rows`
/// repeat row 0 (their lanes are to be dropped).
///
/// # Safety
/// x holds `rows` rows of k floats at stride x_stride; panel holds k·NR floats.
#[inline(always)]
pub unsafe fn micro_kernel_regs(x: *const f32, x_stride: usize, rows: usize, k: usize, panel: *const f32) -> [[F32x4; 2]; MR] {
    let zero = F32x4::splat(0.0);
    let mut acc = [[zero; 2]; MR];
    // Rows past `rows` read row 0 again: the loop stays branch-free.
    let row = |r: usize| x.add(if r < rows { r * x_stride } else { 0 });
    let (x0, x1, x2, x3) = (row(0), row(1), row(2), row(3));
    for kk in 0..k {
        let w0 = F32x4::load(panel.add(kk * NR));
        let w1 = F32x4::load(panel.add(kk * NR + 4));
        let xs = [*x0.add(kk), *x1.add(kk), *x2.add(kk), *x3.add(kk)];
        for r in 0..MR {
            let xr = F32x4::splat(xs[r]);
            acc[r][0] = acc[r][0].add(xr.mul(w0));
            acc[r][1] = acc[r][1].add(xr.mul(w1));
        }
    }
    acc
}

/// Reference for [`linear_packed`]: y[i, j] = b[j] + Σ_kk x[i, kk] · W[j, kk], in f64.
pub fn linear_naive(x: &[f32], m: usize, k: usize, w: &[f32], n: usize, bias: &[f32], y: &mut [f32]) {
    for i in 0..m {
        for j in 0..n {
            let mut s = if bias.is_empty() { 0.0 } else { bias[j] as f64 };
            for kk in 0..k {
                s += x[i * k + kk] as f64 * w[j * k + kk] as f64;
            }
            y[i * n + j] = s as f32;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::half::{f16_to_f32, f32_to_f16};

    fn data(len: usize, seed: usize) -> Vec<f32> {
        (0..len).map(|i| (((i + seed) * 7919) % 199) as f32 / 99.5 - 1.0).collect()
    }

    #[test]
    fn each_row_is_computed_alone_bit_for_bit() {
        // Row r of y is the same bits whether x has 1 row or m rows around it (what lets a
        // pool batch many calls into one): every tile sums over k in the same order.
        let (m, n, k) = (131usize, 17usize, 70usize);
        let (x, w, b) = (data(m * k, 4), data(n * k, 5), data(n, 6));
        let mut packed = vec![0.0; packed_len(n, k)];
        pack_weights(&w, n, k, &mut packed);
        let mut all = vec![0.0; m * n];
        linear_packed(&x, m, k, &packed, n, &b, &mut all);
        for r in 0..m {
            let mut one = vec![0.0; n];
            linear_packed(&x[r * k..(r + 1) * k], 1, k, &packed, n, &b, &mut one);
            for c in 0..n {
                assert_eq!(one[c].to_bits(), all[r * n + c].to_bits(), "row {} column {}", r, c);
            }
        }
    }

    #[test]
    fn packed_equals_naive_across_tile_edges() {
        // Sizes around MR = 4, NR = 8 and MC = 64: 0, 1, tile − 1, tile, tile + 1, and odd.
        for &m in &[0usize, 1, 3, 4, 5, 9, 17, 63, 64, 65, 131] {
            for &n in &[1usize, 7, 8, 9, 16, 17] {
                for &k in &[1usize, 3, 4, 13, 64] {
                    let (x, w, b) = (data(m * k, 1), data(n * k, 2), data(n, 3));
                    let mut packed = vec![f32::NAN; packed_len(n, k)];
                    pack_weights(&w, n, k, &mut packed);
                    for bias in [&b[..], &[][..]] {
                        let (mut fast, mut naive) = (vec![0.0; m * n], vec![0.0; m * n]);
                        linear_packed(&x, m, k, &packed, n, bias, &mut fast);
                        linear_naive(&x, m, k, &w, n, bias, &mut naive);
                        for i in 0..m * n {
                            // k f32 products summed in f32: ≤ k · 2⁻²⁴ relative to Σ|x·w| ≤ k.
                            assert!((fast[i] - naive[i]).abs() <= 1e-6 * (k * k) as f32 + 1e-6, "m={} n={} k={} i={}", m, n, k, i);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn gelu_epilogue_and_f16_panels_equal_naive_then_gelu() {
        use crate::gelu::gelu_naive;
        for &(m, n, k) in &[(1usize, 1usize, 1usize), (5, 9, 13), (4, 16, 32), (17, 7, 3), (0, 8, 4)] {
            let (x, b) = (data(m * k, 5), data(n, 6));
            let w16: Vec<u16> = data(n * k, 7).iter().map(|&v| f32_to_f16(v)).collect();
            let w: Vec<f32> = w16.iter().map(|&h| f16_to_f32(h)).collect();
            for act in [Activation::None, Activation::Gelu, Activation::GeluTanh] {
                let mut naive = vec![0.0; m * n];
                linear_naive(&x, m, k, &w, n, &b, &mut naive);
                if act != Activation::None {
                    gelu_naive(&mut naive, act == Activation::GeluTanh);
                }
                let mut packed = vec![0.0; packed_len(n, k)];
                pack_weights(&w, n, k, &mut packed);
                let mut fast = vec![f32::NAN; m * n];
                linear_packed_act(&x, m, k, &packed, n, &b, act, &mut fast);
                let mut packed16 = vec![0u16; packed_len(n, k)];
                pack_weights_f16(&w16, n, k, &mut packed16);
                let mut half = vec![f32::NAN; m * n];
                let mut panel = vec![0.0; k * NR];
                linear_packed_f16(&x, m, k, &packed16, n, &b, act, &mut half, &mut panel);
                for i in 0..m * n {
                    let tol = 1e-6 * (k * k) as f32 + 2e-6;
                    assert!((fast[i] - naive[i]).abs() <= tol, "{:?} m={} n={} k={} i={}", act, m, n, k, i);
                    assert_eq!(half[i].to_bits(), fast[i].to_bits(), "f16 panels {:?} m={} n={} k={} i={}", act, m, n, k, i);
                }
            }
        }
    }
}
