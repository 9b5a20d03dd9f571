//! Scaled dot-product attention: O ← softmax(Q·Kᵀ·scale + M)·V, per batch and head.
//!
//! - q, out [B, S, H, D]; k, v [B, T, Hkv, D] (BSHD; a projection's [B, S, H·D] as is).
//! - Query head h reads kv head h / (H / Hkv) (grouped-query attention).
//! - M, the additive mask, is [S, T] (shared) or [B, H, S, T]; keys may also be removed
//!   by `causal` (query i sees keys j ≤ i + T − S, bottom-right aligned) and by the key
//!   padding mask [B, T] (non-zero = padding).
//! - weights, when asked, [B, H, S, T]: the softmax probabilities.
//!
//! A query row whose every key is removed gets zeros (output and weights), not NaN.

use crate::exp::{exp2_1, exp2_4, LOG2_E};
use crate::linear::{micro_kernel, micro_kernel_regs, pack_columns, pack_rows, packed_len, MR, NR};
use crate::profile::{self, Phase};
use crate::simd::{axpy, dot, F32x4};

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

/// Query rows per block of the blocked kernel: 8 micro-blocks of the micro-kernel's MR.
const BQ: usize = 8 * MR;
/// Keys per chunk of the blocked kernel: a BQ × BK block of scores is 32 KiB, which stays
/// in L1 between the passes over it.
const BK: usize = 256;

/// Floats of scratch [`attention`] needs: packed K and V of one kv head, a block of
/// scores (BQ rows of a chunk: all T keys when `weights` are asked, else ≤ BK), the block's
/// scaled queries and output sums, and one row for the row-wise path. Linear in T: the
/// S×T score matrix is never materialised (only `weights`, when asked, is S×T).
pub fn scratch_len(shape: Shape, with_weights: bool) -> usize {
    let (t, d) = (shape.seq_k, shape.head_dim);
    packed_len(t, d) + packed_len(d, t) + BQ * chunk_len(t, with_weights) + 2 * BQ * d + t
}

/// Keys per chunk of the blocked kernel, also the row stride of its score block.
fn chunk_len(seq_k: usize, with_weights: bool) -> usize {
    if with_weights {
        seq_k
    } else {
        BK.min(seq_k)
    }
}

/// out (and weights) ← attention(q, k, v); `scratch` holds [`scratch_len`] floats
/// (`with_weights` = whether `weights` is given).
///
/// Scores are kept in base 2: s·log₂e, with log₂e folded into the scale, so that softmax's
/// e^(s − max) is 2^(s·log₂e − max) ([`exp2_4`], no range reduction by ln 2 to do).
///
/// Per (batch, kv head), K and V are packed once into the linear kernel's panels and
/// shared by the kv head's query heads. Each block of BQ = 32 query rows then walks the
/// keys it can see (causal blocks stop early) in chunks of BK = 256, with an online
/// softmax (running maximum m and sum l per row, as in FlashAttention):
/// 1. S_c ← (Q_blk·scale·log₂e)·K_cᵀ — the packed micro-kernel of `linear.rs` — hiding
///    the keys past each row's causal limit, each row's maximum kept as the tiles leave
///    the registers;
/// 2. per row: the additive mask and key padding, if any; m' ← max(m, max S_c);
///    α ← 2^(m − m'); P_c ← 2^(S_c − m') (SIMD); l ← α·l + ΣP_c;
/// 3. O_blk ← α·O_blk + P_c·V_c (the same micro-kernel);
/// and finally out ← O_blk / l. When `weights` are asked, a block takes all its keys as
/// one chunk, so that its probabilities are final when they are written.
/// A kv head whose V holds NaN or ±∞ takes the row-wise path ([`head_rowwise`]) instead,
/// so that removed keys never contribute (0·NaN would) — otherwise identical.
#[allow(clippy::too_many_arguments)]
pub fn attention(q: &[f32], k: &[f32], v: &[f32], shape: Shape, scale: f32, masks: Masks, out: &mut [f32], mut weights: Option<&mut [f32]>, scratch: &mut [f32]) {
    let Shape { batch, seq_k, heads, kv_heads, head_dim: d, .. } = shape;
    let group = heads / kv_heads;
    let kv_stride = kv_heads * d;
    let (packed_k, rest) = scratch.split_at_mut(packed_len(seq_k, d));
    let (packed_v, rest) = rest.split_at_mut(packed_len(d, seq_k));
    let (scores, rest) = rest.split_at_mut(BQ * chunk_len(seq_k, weights.is_some()));
    let (q_blk, rest) = rest.split_at_mut(BQ * d);
    let (o_blk, row) = rest.split_at_mut(BQ * d);
    if seq_k == 0 {
        out.fill(0.0); // no keys: every row is removed (weights are empty)
        return;
    }
    for b in 0..batch {
        let kb = &k[b * seq_k * kv_stride..(b + 1) * seq_k * kv_stride];
        let vb = &v[b * seq_k * kv_stride..(b + 1) * seq_k * kv_stride];
        for kvh in 0..kv_heads {
            let t = profile::now();
            let finite = vb.chunks_exact(kv_stride).all(|r| all_finite(&r[kvh * d..][..d]));
            let t = profile::add(Phase::Finite, t);
            if finite {
                pack_rows(&kb[kvh * d..], seq_k, d, kv_stride, packed_k);
                pack_columns(&vb[kvh * d..], seq_k, d, kv_stride, packed_v);
            }
            profile::add(Phase::Pack, t);
            for h in kvh * group..(kvh + 1) * group {
                let w = weights.as_deref_mut();
                if finite {
                    let kv = PackedHead { k: packed_k, v: packed_v };
                    let blk = Block { scores: &mut *scores, q: &mut *q_blk, o: &mut *o_blk };
                    head_blocked(q, &kv, shape, scale, masks, b, h, out, w, blk);
                } else {
                    let kv = KvHead { k: kb, v: vb, offset: kvh * d, stride: kv_stride, d };
                    head_rowwise(q, &kv, shape, scale, masks, b, h, out, w, &mut row[..seq_k]);
                }
            }
        }
    }
}

/// Whether every float is finite: a NaN or ±∞ makes the running x·0 sum NaN.
fn all_finite(x: &[f32]) -> bool {
    x.iter().fold(0.0f32, |acc, &v| acc + v * 0.0) == 0.0
}

/// One kv head's K and V packed by `pack_rows` / `pack_columns`.
struct PackedHead<'a> {
    k: &'a [f32],
    v: &'a [f32],
}

/// The blocked kernel's working memory for one block of BQ query rows.
struct Block<'a> {
    /// BQ rows of scores, then probabilities, of one chunk of keys (row stride = chunk).
    scores: &'a mut [f32],
    /// Q_blk·scale·log₂e [BQ, D], contiguous.
    q: &'a mut [f32],
    /// O_blk [BQ, D]: the unnormalised output sums.
    o: &'a mut [f32],
}

/// One (b, h) head of the blocked kernel (see [`attention`]).
///
/// Query rows go in blocks of BQ = 8·MR = 32, each made of 8 micro-blocks of MR rows.
/// The key loop is outermost in pass 1 and the value-panel loop in pass 3, so each packed
/// panel of K (D·NR floats) or V (BK·NR floats) is read from cache by all 8 micro-blocks.
#[allow(clippy::too_many_arguments)]
fn head_blocked(q: &[f32], kv: &PackedHead, shape: Shape, scale: f32, masks: Masks, b: usize, h: usize, out: &mut [f32], mut weights: Option<&mut [f32]>, blk: Block) {
    let Shape { seq_q, seq_k, heads, head_dim: d, .. } = shape;
    let q_stride = heads * d;
    let padding = masks.key_padding.map(|p| &p[b * seq_k..(b + 1) * seq_k]);
    let scale2 = scale * LOG2_E;
    let masked = masks.mask.is_some() || padding.is_some();
    // Keys per chunk, also the stride of blk.scores' rows.
    let chunk = chunk_len(seq_k, weights.is_some());
    let mut i0 = 0;
    while i0 < seq_q {
        let rows = BQ.min(seq_q - i0);
        // Keys j < seen(r) are visible to row r of the block (causal: j ≤ i + T − S).
        let seen = |r: usize| if masks.causal { (i0 + r + seq_k + 1).saturating_sub(seq_q).min(seq_k) } else { seq_k };
        // Micro-block m covers rows m·MR .. m·MR + mr(m); its last row sees the most keys.
        let micro_blocks = (rows + MR - 1) / MR;
        let mr = |m: usize| MR.min(rows - m * MR);
        let keys_of = |m: usize| seen(m * MR + mr(m) - 1);

        let mut t = profile::now();
        // Q_blk·scale·log₂e: the scale is applied once per query element, not per score.
        for r in 0..rows {
            let q_row = &q[(b * seq_q + i0 + r) * q_stride + h * d..][..d];
            for (x, &y) in blk.q[r * d..(r + 1) * d].iter_mut().zip(q_row) {
                *x = y * scale2;
            }
        }
        blk.o[..rows * d].fill(0.0);
        let mut max = [f32::NEG_INFINITY; BQ];
        let mut sum = [0.0f32; BQ];
        t = profile::add(Phase::Rows, t);
        let mut c0 = 0;
        while c0 < keys_of(micro_blocks - 1) {
            // Micro-block m sees keys c0 .. end(m) of this chunk (none when end(m) ≤ c0).
            let end = |m: usize| keys_of(m).min(c0 + chunk);

            // pass 1: S_c ← Q_blk·K_cᵀ, one packed panel of 8 keys at a time for every
            // micro-block; keys past a row's limit become −∞; each row's maximum is kept
            // (pmax ignores NaN: a NaN score reaches its row through l instead).
            let mut chunk_max = [F32x4::splat(f32::NEG_INFINITY); BQ];
            for p in c0 / NR..(end(micro_blocks - 1) + NR - 1) / NR {
                let j0 = p * NR;
                let panel = kv.k[j0 * d..].as_ptr();
                for m in 0..micro_blocks {
                    if j0 >= end(m) {
                        continue; // causal: this micro-block sees none of these keys
                    }
                    // SAFETY: mr(m) rows of d floats at stride D lie inside blk.q; the
                    // panel holds d·NR floats.
                    let tile = unsafe { micro_kernel_regs(blk.q[m * MR * d..].as_ptr(), d, mr(m), d, panel) };
                    for (r, &[mut lo, mut hi]) in tile.iter().enumerate().take(mr(m)) {
                        let row = m * MR + r;
                        if j0 + NR > seen(row) {
                            // The row's last visible key (or the last key) is in this tile.
                            (lo, hi) = hide_from(lo, hi, seen(row).saturating_sub(j0));
                        }
                        chunk_max[row] = chunk_max[row].pmax(lo).pmax(hi);
                        store_lanes(lo, hi, &mut blk.scores[row * chunk + j0 - c0..][..NR.min(end(m) - j0)]);
                    }
                }
            }

            t = profile::add(Phase::Scores, t);

            // pass 2: mask and padding; the online softmax's m, α, P_c and l per row.
            let mut alpha = [1.0f32; BQ];
            for r in 0..rows {
                if end(r / MR) <= c0 {
                    continue;
                }
                let (i, len) = (i0 + r, end(r / MR) - c0);
                let s = &mut blk.scores[r * chunk..][..len];
                let chunk_max = if masked {
                    let mask_row = masks.mask.map(|m| &m[if masks.mask_per_head { ((b * heads + h) * seq_q + i) * seq_k } else { i * seq_k } + c0..][..len]);
                    add_mask(s, seen(r).saturating_sub(c0), mask_row, padding.map(|p| &p[c0..c0 + len]))
                } else {
                    horizontal_max(chunk_max[r])
                };
                let new_max = max[r].max(chunk_max);
                if new_max == f32::NEG_INFINITY {
                    // Nothing visible yet: P_c = 0, unless the scores are NaN (then the row is).
                    if s.iter().any(|x| x.is_nan()) {
                        sum[r] = f32::NAN;
                    }
                    s.fill(0.0);
                    continue;
                }
                alpha[r] = exp2_1(max[r] - new_max); // 0 on the first visible chunk
                max[r] = new_max;
                sum[r] = sum[r] * alpha[r] + softmax_row(s, new_max);
            }

            t = profile::add(Phase::Softmax, t);

            // pass 3: O_blk ← α·O_blk + P_c·V_c, one packed panel of 8 columns at a time.
            for p in 0..(d + NR - 1) / NR {
                let panel = kv.v[(p * seq_k + c0) * NR..].as_ptr();
                let cols = NR.min(d - p * NR);
                for m in 0..micro_blocks {
                    if end(m) <= c0 {
                        continue;
                    }
                    // SAFETY: mr(m) rows of end(m) − c0 floats at stride `chunk` in
                    // blk.scores; the panel holds T·NR floats from key c0 on.
                    let tile = unsafe { micro_kernel(blk.scores[m * MR * chunk..].as_ptr(), chunk, mr(m), end(m) - c0, panel) };
                    for r in 0..mr(m) {
                        let row = m * MR + r;
                        let o = &mut blk.o[row * d + p * NR..][..cols];
                        for c in 0..cols {
                            o[c] = o[c] * alpha[row] + tile[r][c];
                        }
                    }
                }
            }
            c0 += chunk;
            t = profile::add(Phase::Values, t);
        }

        // out ← O_blk / l; a row with every key removed has l = 0 and stays zero.
        for r in 0..rows {
            let inv = if sum[r] == 0.0 { 0.0 } else { 1.0 / sum[r] };
            let o = &mut out[(b * seq_q + i0 + r) * q_stride + h * d..][..d];
            for (x, &y) in o.iter_mut().zip(&blk.o[r * d..(r + 1) * d]) {
                *x = y * inv;
            }
            if let Some(w) = weights.as_deref_mut() {
                // One chunk holds all the row's keys: its probabilities are final.
                let keys = keys_of(r / MR);
                let w_row = &mut w[((b * heads + h) * seq_q + i0 + r) * seq_k..][..seq_k];
                for (wj, &p) in w_row[..keys].iter_mut().zip(&blk.scores[r * chunk..r * chunk + keys]) {
                    *wj = p * inv;
                }
                w_row[keys..].fill(0.0);
            }
        }
        profile::add(Phase::Rows, t);
        i0 += BQ;
    }
}

/// Lanes c ≥ n of the 8 (lo: 0..4, hi: 4..8) set to −∞.
#[inline(always)]
fn hide_from(lo: F32x4, hi: F32x4, n: usize) -> (F32x4, F32x4) {
    let mut lanes = [0.0f32; NR];
    // SAFETY: lanes holds 8 floats.
    unsafe {
        lo.store(lanes.as_mut_ptr());
        hi.store(lanes.as_mut_ptr().add(4));
    }
    lanes[n.min(NR)..].fill(f32::NEG_INFINITY);
    // SAFETY: as above.
    unsafe { (F32x4::load(lanes.as_ptr()), F32x4::load(lanes.as_ptr().add(4))) }
}

/// s [≤ 8] ← the first s.len() of the 8 lanes (lo: 0..4, hi: 4..8).
#[inline(always)]
fn store_lanes(lo: F32x4, hi: F32x4, s: &mut [f32]) {
    if s.len() == NR {
        // SAFETY: s holds 8 floats.
        unsafe {
            lo.store(s.as_mut_ptr());
            hi.store(s.as_mut_ptr().add(4));
        }
    } else {
        let mut lanes = [0.0f32; NR];
        // SAFETY: lanes holds 8 floats.
        unsafe {
            lo.store(lanes.as_mut_ptr());
            hi.store(lanes.as_mut_ptr().add(4));
        }
        let n = s.len();
        s.copy_from_slice(&lanes[..n]);
    }
}

/// Pass 2's first half when there is a mask or key padding, for one row of base-2 scores:
/// s_j ← s_j + mask_j·log₂e for the keys j < visible (the hidden ones are −∞ already and
/// stay so, whatever the mask holds there), −∞ for padded keys. Returns the maximum,
/// ignoring NaN (a NaN score reaches the row through Σp), −∞ when every key is removed.
#[inline(always)]
fn add_mask(s: &mut [f32], visible: usize, mask: Option<&[f32]>, padding: Option<&[u8]>) -> f32 {
    let visible = visible.min(s.len());
    if let Some(m) = mask {
        let log2e = F32x4::splat(LOG2_E);
        let mut j = 0;
        // SAFETY: j + 4 ≤ visible ≤ s.len() ≤ m.len() bounds every access.
        unsafe {
            let sp = s.as_mut_ptr();
            while j + 4 <= visible {
                F32x4::load(sp.add(j)).add(F32x4::load(m.as_ptr().add(j)).mul(log2e)).store(sp.add(j));
                j += 4;
            }
        }
        for jj in j..visible {
            s[jj] += m[jj] * LOG2_E;
        }
    }
    if let Some(p) = padding {
        for (sj, &pad) in s.iter_mut().zip(p) {
            if pad != 0 {
                *sj = f32::NEG_INFINITY;
            }
        }
    }
    max_ignoring_nan(s)
}

/// The largest float of s, ignoring NaN; −∞ for an empty or all-NaN s.
#[inline(always)]
fn max_ignoring_nan(s: &[f32]) -> f32 {
    let mut max4 = F32x4::splat(f32::NEG_INFINITY);
    let mut j = 0;
    // SAFETY: j + 4 ≤ s.len() bounds every load.
    unsafe {
        while j + 4 <= s.len() {
            max4 = max4.pmax(F32x4::load(s.as_ptr().add(j)));
            j += 4;
        }
    }
    s[j..].iter().fold(horizontal_max(max4), |m, &x| if x > m { x } else { m })
}

/// The largest of four lanes, NaN if any lane is NaN.
#[inline(always)]
fn horizontal_max(v: F32x4) -> f32 {
    let m = v.max(v.swap_pairs()); // lanes (0,1) and (2,3) each hold their pair's max
    let mut lanes = [0.0f32; 4];
    // SAFETY: lanes holds 4 floats.
    unsafe { m.store(lanes.as_mut_ptr()) };
    if lanes[0].is_nan() || lanes[2].is_nan() {
        f32::NAN
    } else {
        lanes[0].max(lanes[2])
    }
}

/// One (b, h) head, one query row at a time (the path for V with NaN or ±∞): removed
/// keys are skipped, never multiplied. `scores` holds T floats.
#[allow(clippy::too_many_arguments)]
fn head_rowwise(q: &[f32], kv: &KvHead, shape: Shape, scale: f32, masks: Masks, b: usize, h: usize, out: &mut [f32], mut weights: Option<&mut [f32]>, scores: &mut [f32]) {
    let Shape { seq_q, seq_k, heads, head_dim: d, .. } = shape;
    let q_stride = heads * d;
    let padding = masks.key_padding.map(|p| &p[b * seq_k..(b + 1) * seq_k]);
    for i in 0..seq_q {
        let qi = &q[(b * seq_q + i) * q_stride + h * d..][..d];
        let mask_row = masks.mask.map(|m| {
            let row = if masks.mask_per_head { ((b * heads + h) * seq_q + i) * seq_k } else { i * seq_k };
            &m[row..row + seq_k]
        });
        // Keys j < visible may be seen; causal hides j > i + T − S.
        let visible = if masks.causal { (i + seq_k + 1).saturating_sub(seq_q).min(seq_k) } else { seq_k };
        let oi = &mut out[(b * seq_q + i) * q_stride + h * d..][..d];
        let wrow = weights.as_deref_mut().map(|w| &mut w[((b * heads + h) * seq_q + i) * seq_k..][..seq_k]);

        // pass 1: scores (base 2) and their maximum.
        let max = score_row(qi, kv, scale * LOG2_E, visible, padding, mask_row, scores);
        if max == f32::NEG_INFINITY {
            // Every key removed: zeros, not 0/0.
            oi.fill(0.0);
            if let Some(w) = wrow {
                w.fill(0.0);
            }
            continue;
        }
        // pass 2: probabilities, unnormalised, and their sum.
        let inv = 1.0 / softmax_row(scores, max);
        // pass 3: the weighted sum of the value rows.
        weighted_sum_row(scores, inv, kv, oi);
        if let Some(w) = wrow {
            for (wj, &p) in w.iter_mut().zip(scores.iter()) {
                *wj = p * inv;
            }
        }
    }
}

/// One kv head of one batch: row j of K is `k[j·stride + offset..][..d]`, same for V.
struct KvHead<'a> {
    k: &'a [f32],
    v: &'a [f32],
    offset: usize,
    stride: usize,
    d: usize,
}

/// Pass 1 for one query row: scores [T] ← q_i·k_jᵀ·scale2 + mask_j·log₂e, −∞ for keys
/// j ≥ `visible` or padded. Returns the maximum score, or NaN when a score is NaN (so
/// that NaN reaches the output, as in PyTorch), or −∞ when every key is removed.
#[inline(always)]
fn score_row(qi: &[f32], kv: &KvHead, scale2: f32, visible: usize, padding: Option<&[u8]>, mask_row: Option<&[f32]>, scores: &mut [f32]) -> f32 {
    let mut max = f32::NEG_INFINITY;
    let mut any_nan = false;
    for (j, s) in scores.iter_mut().enumerate() {
        let hidden = j >= visible || padding.map_or(false, |p| p[j] != 0);
        *s = if hidden {
            f32::NEG_INFINITY
        } else {
            let kj = &kv.k[j * kv.stride + kv.offset..][..kv.d];
            dot(qi, kj) * scale2 + mask_row.map_or(0.0, |m| m[j] * LOG2_E)
        };
        if *s > max {
            max = *s;
        } else if s.is_nan() {
            any_nan = true;
        }
    }
    if any_nan {
        f32::NAN
    } else {
        max
    }
}

/// Pass 2: s_j ← 2^(s_j − max) in place (base-2 scores: e^ of the natural ones);
/// returns Σ_j s_j (≥ 1 when max is a score: its own term is 2⁰ = 1). Removed keys (−∞)
/// become exactly 0; NaN stays NaN. 4 lanes at a time with [`exp2_4`] (≤ 3 ulp, see
/// exp.rs), then a scalar tail by the same algorithm.
#[inline(always)]
pub fn softmax_row(scores: &mut [f32], max: f32) -> f32 {
    let n = scores.len();
    let m = F32x4::splat(max);
    let mut acc = F32x4::splat(0.0);
    let mut j = 0;
    // SAFETY: j + 4 ≤ n bounds every load and store.
    unsafe {
        while j + 4 <= n {
            let p = scores.as_mut_ptr().add(j);
            let e = exp2_4(F32x4::load(p).sub(m));
            e.store(p);
            acc = acc.add(e);
            j += 4;
        }
    }
    let mut sum = acc.sum();
    for s in &mut scores[j..] {
        *s = exp2_1(*s - max);
        sum += *s;
    }
    sum
}

/// Pass 3 for one query row: out [D] ← Σ_j p_j·inv·v_j, skipping p_j = 0 (removed keys:
/// their values, even NaN ones, do not reach the output).
#[inline(always)]
fn weighted_sum_row(p: &[f32], inv: f32, kv: &KvHead, out: &mut [f32]) {
    out.fill(0.0);
    for (j, &pj) in p.iter().enumerate() {
        if pj != 0.0 {
            axpy(pj * inv, &kv.v[j * kv.stride + kv.offset..][..kv.d], out);
        }
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
        let mut scratch = vec![0.0; scratch_len(shape, true)];
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

    /// The blocked kernel without weights walks the keys in chunks of BK (online softmax):
    /// T = 600 is two whole chunks and a partial one.
    #[test]
    fn chunked_keys_equal_naive_with_masks_padding_and_causal() {
        let shape = Shape { batch: 2, seq_q: 37, seq_k: 600, heads: 4, kv_heads: 2, head_dim: 17 };
        let Shape { batch, seq_q, seq_k, heads, kv_heads, head_dim } = shape;
        let (q, k, v) = (data(batch * seq_q * heads * head_dim, 1), data(batch * seq_k * kv_heads * head_dim, 2), data(batch * seq_k * kv_heads * head_dim, 3));
        let mask = data(seq_q * seq_k, 9);
        let mask_ph: Vec<f32> = data(batch * heads * seq_q * seq_k, 4).iter().map(|&x| if x > 0.6 { f32::NEG_INFINITY } else { x }).collect();
        // Batch 1 pads every key past 20: its rows see at most the first chunk.
        let padding: Vec<u8> = (0..batch * seq_k).map(|i| (i % 7 == 1 || i >= seq_k + 20) as u8).collect();
        for masks in [
            Masks::default(),
            Masks { causal: true, ..Masks::default() },
            Masks { mask: Some(&mask), ..Masks::default() },
            Masks { key_padding: Some(&padding), ..Masks::default() },
            Masks { mask: Some(&mask_ph), mask_per_head: true, key_padding: Some(&padding), causal: true },
        ] {
            let n = batch * seq_q * heads * head_dim;
            let (mut out, mut out_ref, mut scratch) = (vec![f32::NAN; n], vec![f32::NAN; n], vec![0.0; scratch_len(shape, false)]);
            attention(&q, &k, &v, shape, 0.3, masks, &mut out, None, &mut scratch);
            attention_naive(&q, &k, &v, shape, 0.3, masks, &mut out_ref, None);
            let worst = out.iter().zip(&out_ref).map(|(a, b)| (a - b).abs()).fold(0.0f32, f32::max);
            // f32 sums over ≤ 600 keys of unit-scale data against f64.
            assert!(worst <= 1e-5, "causal {} mask {} padding {}: max |Δ| {}", masks.causal, masks.mask.is_some(), masks.key_padding.is_some(), worst);
        }
    }

    #[test]
    fn chunked_keys_nan_query_row_and_rows_without_keys() {
        // S > T with causal: query i sees keys j ≤ i − 100, so the first 100 rows see none.
        let shape = Shape { batch: 1, seq_q: 700, seq_k: 600, heads: 1, kv_heads: 1, head_dim: 8 };
        let (mut q, k, v) = (data(700 * 8, 1), data(600 * 8, 2), data(600 * 8, 3));
        q[650 * 8 + 3] = f32::NAN; // query 650 sees 551 keys over three chunks
        let (mut out, mut scratch) = (vec![f32::NAN; 700 * 8], vec![0.0; scratch_len(shape, false)]);
        attention(&q, &k, &v, shape, 0.5, Masks { causal: true, ..Masks::default() }, &mut out, None, &mut scratch);
        assert!(out[..100 * 8].iter().all(|&x| x == 0.0), "rows without keys are zero");
        assert!(out[650 * 8..651 * 8].iter().all(|x| x.is_nan()), "the NaN query's row is NaN");
        assert!(out[100 * 8..650 * 8].iter().chain(&out[651 * 8..]).all(|x| x.is_finite()), "other rows are untouched");
    }

    #[test]
    fn no_keys_gives_zeros() {
        let shape = Shape { batch: 2, seq_q: 3, seq_k: 0, heads: 4, kv_heads: 2, head_dim: 5 };
        let (q, mut out) = (data(2 * 3 * 4 * 5, 1), vec![f32::NAN; 2 * 3 * 4 * 5]);
        let mut scratch = vec![0.0; scratch_len(shape, true)];
        attention(&q, &[], &[], shape, 0.5, Masks::default(), &mut out, Some(&mut []), &mut scratch);
        assert!(out.iter().all(|&x| x == 0.0));
    }

    #[test]
    fn all_masked_rows_are_zero() {
        let shape = Shape { batch: 1, seq_q: 3, seq_k: 2, heads: 1, kv_heads: 1, head_dim: 4 };
        let (q, k, v) = (data(12, 1), data(8, 2), data(8, 3));
        // causal with S > T: query 0 sees key j ≤ 0 + 2 − 3 = −1, i.e. none.
        let (mut out, mut w, mut scratch) = (vec![f32::NAN; 12], vec![f32::NAN; 6], vec![0.0; scratch_len(shape, true)]);
        attention(&q, &k, &v, shape, 0.5, Masks { causal: true, ..Masks::default() }, &mut out, Some(&mut w), &mut scratch);
        assert_eq!(&out[..4], &[0.0; 4]);
        assert_eq!(&w[..2], &[0.0; 2]);
        assert!((w[2] - 1.0).abs() < 1e-7 && w[3] == 0.0, "query 1 sees key 0 only");
    }

    #[test]
    fn long_sequence_stays_within_1e5_of_f64() {
        // S = T = 512, unit-scale data: f32 sums over 512 keys against f64.
        let shape = Shape { batch: 1, seq_q: 512, seq_k: 512, heads: 2, kv_heads: 1, head_dim: 8 };
        let masks = Masks { causal: true, ..Masks::default() };
        let (q, k, v) = (data(512 * 16, 5), data(512 * 8, 6), data(512 * 8, 7));
        let (mut out, mut out_ref, mut scratch) = (vec![0.0; 512 * 16], vec![0.0; 512 * 16], vec![0.0; scratch_len(shape, false)]);
        attention(&q, &k, &v, shape, 0.35, masks, &mut out, None, &mut scratch);
        attention_naive(&q, &k, &v, shape, 0.35, masks, &mut out_ref, None);
        let worst = out.iter().zip(&out_ref).map(|(a, b)| (a - b).abs()).fold(0.0f32, f32::max);
        assert!(worst <= 1e-5, "max |Δ| {}", worst);
    }

    #[test]
    fn nan_in_a_query_row_reaches_only_that_row() {
        let shape = Shape { batch: 1, seq_q: 2, seq_k: 3, heads: 1, kv_heads: 1, head_dim: 4 };
        let (mut q, k, v) = (data(8, 1), data(12, 2), data(12, 3));
        q[5] = f32::NAN; // query 1
        let (mut out, mut w, mut scratch) = (vec![0.0; 8], vec![0.0; 6], vec![0.0; scratch_len(shape, true)]);
        attention(&q, &k, &v, shape, 0.5, Masks::default(), &mut out, Some(&mut w), &mut scratch);
        assert!(out[..4].iter().chain(&w[..3]).all(|x| x.is_finite()), "query 0 is untouched");
        assert!(out[4..].iter().chain(&w[3..]).all(|x| x.is_nan()), "query 1 is NaN: {:?} {:?}", out, w);
    }

    #[test]
    fn nan_in_a_removed_key_does_not_reach_the_output() {
        let shape = Shape { batch: 1, seq_q: 1, seq_k: 3, heads: 1, kv_heads: 1, head_dim: 4 };
        let (q, mut k, mut v) = (data(4, 1), data(12, 2), data(12, 3));
        k[8] = f32::NAN; // key 2, padded below
        v[9] = f32::NAN;
        let padding = [0u8, 0, 1];
        let masks = Masks { key_padding: Some(&padding), ..Masks::default() };
        let (mut out, mut w, mut scratch) = (vec![0.0; 4], vec![0.0; 3], vec![0.0; scratch_len(shape, true)]);
        attention(&q, &k, &v, shape, 0.5, masks, &mut out, Some(&mut w), &mut scratch);
        assert!(out.iter().all(|x| x.is_finite()) && w[2] == 0.0, "{:?} {:?}", out, w);
    }
}
