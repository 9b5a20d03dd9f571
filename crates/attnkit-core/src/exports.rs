//! The module's C ABI: every function the TS package calls, and nothing else.
//!
//! Pointers are byte offsets into linear memory handed out by `attnkit_alloc`; lengths
//! are element counts. The TS side has validated every argument (ids in range, shapes
//! consistent) before calling, which is what makes the `from_raw_parts` below sound.

use std::alloc::{alloc, dealloc, Layout};
use std::slice::{from_raw_parts, from_raw_parts_mut};

/// Every block is 16-byte aligned: one v128.
const ALIGN: usize = 16;

/// Allocates `bytes` (≥ 1) bytes, 16-byte aligned; returns 0 when memory cannot grow.
#[no_mangle]
pub extern "C" fn attnkit_alloc(bytes: usize) -> *mut u8 {
    match Layout::from_size_align(bytes.max(1), ALIGN) {
        // SAFETY: the layout has a non-zero size.
        Ok(layout) => unsafe { alloc(layout) },
        Err(_) => std::ptr::null_mut(),
    }
}

/// Frees a block from `attnkit_alloc`; `bytes` is the size it was allocated with.
///
/// # Safety
/// `ptr` came from `attnkit_alloc(bytes)` and is not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn attnkit_free(ptr: *mut u8, bytes: usize) {
    dealloc(ptr, Layout::from_size_align_unchecked(bytes.max(1), ALIGN));
}

/// out [n, dim] ← table [rows, dim] gathered at ids [n] + addend [n, dim].
///
/// # Safety
/// Valid blocks of the stated sizes; every id < rows.
#[no_mangle]
pub unsafe extern "C" fn attnkit_embedding_lookup_add(
    table: *const f32,
    rows: usize,
    dim: usize,
    ids: *const u32,
    n: usize,
    addend: *const f32,
    out: *mut f32,
) {
    crate::embedding::embedding_lookup_add(
        from_raw_parts(table, rows * dim),
        dim,
        from_raw_parts(ids, n),
        from_raw_parts(addend, n * dim),
        from_raw_parts_mut(out, n * dim),
    );
}

/// out [seq_len, dim] ← sinusoidal encoding of positions offset .. offset + seq_len.
///
/// # Safety
/// `out` holds seq_len·dim floats.
#[no_mangle]
pub unsafe extern "C" fn attnkit_sinusoidal_encoding(seq_len: usize, dim: usize, base: f64, offset: f64, out: *mut f32) {
    crate::sinusoidal::sinusoidal_encoding(seq_len, dim, base, offset, from_raw_parts_mut(out, seq_len * dim));
}

/// x [batch, seq_len, heads, head_dim] rotated in place at positions [seq_len].
///
/// # Safety
/// Valid blocks of the stated sizes; head_dim even.
#[no_mangle]
pub unsafe extern "C" fn attnkit_rope(
    x: *mut f32,
    batch: usize,
    seq_len: usize,
    heads: usize,
    head_dim: usize,
    positions: *const i32,
    base: f64,
    interleaved: u32,
) {
    crate::rope::rope(
        from_raw_parts_mut(x, batch * seq_len * heads * head_dim),
        batch,
        heads,
        head_dim,
        from_raw_parts(positions, seq_len),
        base,
        interleaved != 0,
    );
}

/// Floats needed for W [n, k] packed by `attnkit_pack_weights`.
#[no_mangle]
pub extern "C" fn attnkit_packed_len(n: usize, k: usize) -> usize {
    crate::linear::packed_len(n, k)
}

/// packed ← W [n, k] rearranged into the linear kernel's column panels.
///
/// # Safety
/// `w` holds n·k floats, `packed` attnkit_packed_len(n, k).
#[no_mangle]
pub unsafe extern "C" fn attnkit_pack_weights(w: *const f32, n: usize, k: usize, packed: *mut f32) {
    crate::linear::pack_weights(from_raw_parts(w, n * k), n, k, from_raw_parts_mut(packed, crate::linear::packed_len(n, k)));
}

/// y [m, n] ← x [m, k] · Wᵀ + bias, W packed; `bias` 0 means none.
///
/// # Safety
/// Valid blocks of the stated sizes.
#[no_mangle]
pub unsafe extern "C" fn attnkit_linear(x: *const f32, m: usize, k: usize, packed: *const f32, n: usize, bias: *const f32, y: *mut f32) {
    let bias = if bias.is_null() { &[][..] } else { from_raw_parts(bias, n) };
    crate::linear::linear_packed(
        from_raw_parts(x, m * k),
        m,
        k,
        from_raw_parts(packed, crate::linear::packed_len(n, k)),
        n,
        bias,
        from_raw_parts_mut(y, m * n),
    );
}

/// out [B, S, H, D] (and weights [B, H, S, T] unless 0) ← attention(q, k, v).
/// `mask` [S, T] or, with mask_per_head, [B, H, S, T]; `key_padding` [B, T]; 0 = none.
///
/// # Safety
/// Valid blocks of the stated sizes; kv_heads divides heads.
#[no_mangle]
pub unsafe extern "C" fn attnkit_attention(
    q: *const f32,
    k: *const f32,
    v: *const f32,
    batch: usize,
    seq_q: usize,
    seq_k: usize,
    heads: usize,
    kv_heads: usize,
    head_dim: usize,
    scale: f32,
    mask: *const f32,
    mask_per_head: u32,
    key_padding: *const u8,
    causal: u32,
    out: *mut f32,
    weights: *mut f32,
) {
    use crate::attention::{attention, Masks, Shape};
    let shape = Shape { batch, seq_q, seq_k, heads, kv_heads, head_dim };
    let mask_len = if mask_per_head != 0 { batch * heads * seq_q * seq_k } else { seq_q * seq_k };
    let masks = Masks {
        mask: if mask.is_null() { None } else { Some(from_raw_parts(mask, mask_len)) },
        mask_per_head: mask_per_head != 0,
        key_padding: if key_padding.is_null() { None } else { Some(from_raw_parts(key_padding, batch * seq_k)) },
        causal: causal != 0,
    };
    let weights = if weights.is_null() { None } else { Some(from_raw_parts_mut(weights, batch * heads * seq_q * seq_k)) };
    let t = crate::profile::now();
    let mut scratch = vec![0.0f32; crate::attention::scratch_len(shape, weights.is_some())];
    crate::profile::add(crate::profile::Phase::Scratch, t);
    attention(
        from_raw_parts(q, batch * seq_q * heads * head_dim),
        from_raw_parts(k, batch * seq_k * kv_heads * head_dim),
        from_raw_parts(v, batch * seq_k * kv_heads * head_dim),
        shape,
        scale,
        masks,
        from_raw_parts_mut(out, batch * seq_q * heads * head_dim),
        weights,
        &mut scratch,
    );
}

/// h [rows, e] ← LayerNorm(h + a) in place, weight w [e], bias b [e]; `a` 0 = no
/// residual, `b` 0 = no bias.
///
/// # Safety
/// Valid blocks of the stated sizes; `a` does not overlap `h`.
#[no_mangle]
pub unsafe extern "C" fn attnkit_layer_norm(h: *mut f32, a: *const f32, rows: usize, e: usize, w: *const f32, b: *const f32, eps: f32) {
    let a = if a.is_null() { &[][..] } else { from_raw_parts(a, rows * e) };
    let b = if b.is_null() { &[][..] } else { from_raw_parts(b, e) };
    crate::layernorm::add_layer_norm(from_raw_parts_mut(h, rows * e), a, rows, e, from_raw_parts(w, e), b, eps);
}

/// x [n] ← GELU(x) in place; `tanh` non-zero for the tanh form.
///
/// # Safety
/// `x` holds n floats.
#[no_mangle]
pub unsafe extern "C" fn attnkit_gelu(x: *mut f32, n: usize, tanh: u32) {
    crate::gelu::gelu(from_raw_parts_mut(x, n), tanh != 0);
}

/// y [m, n] ← act(x [m, k] · Wᵀ + bias), W packed; `bias` 0 = none; act 0 none, 1 GELU, 2 GELU (tanh).
///
/// # Safety
/// Valid blocks of the stated sizes.
#[no_mangle]
pub unsafe extern "C" fn attnkit_linear_act(x: *const f32, m: usize, k: usize, packed: *const f32, n: usize, bias: *const f32, act: u32, y: *mut f32) {
    let bias = if bias.is_null() { &[][..] } else { from_raw_parts(bias, n) };
    let packed = from_raw_parts(packed, crate::linear::packed_len(n, k));
    let act = crate::linear::Activation::from_code(act);
    crate::linear::linear_packed_act(from_raw_parts(x, m * k), m, k, packed, n, bias, act, from_raw_parts_mut(y, m * n));
}

/// packed ← f16 W [n, k] in the linear kernel's panels (still f16).
///
/// # Safety
/// `w` holds n·k halves, `packed` attnkit_packed_len(n, k).
#[no_mangle]
pub unsafe extern "C" fn attnkit_pack_weights_f16(w: *const u16, n: usize, k: usize, packed: *mut u16) {
    crate::linear::pack_weights_f16(from_raw_parts(w, n * k), n, k, from_raw_parts_mut(packed, crate::linear::packed_len(n, k)));
}

/// y [m, n] ← act(x [m, k] · Wᵀ + bias), W packed in f16; `panel` is scratch of k·8 floats.
///
/// # Safety
/// Valid blocks of the stated sizes.
#[no_mangle]
pub unsafe extern "C" fn attnkit_linear_f16(x: *const f32, m: usize, k: usize, packed: *const u16, n: usize, bias: *const f32, act: u32, y: *mut f32, panel: *mut f32) {
    let bias = if bias.is_null() { &[][..] } else { from_raw_parts(bias, n) };
    let packed = from_raw_parts(packed, crate::linear::packed_len(n, k));
    let act = crate::linear::Activation::from_code(act);
    let panel = from_raw_parts_mut(panel, k * crate::linear::NR);
    crate::linear::linear_packed_f16(from_raw_parts(x, m * k), m, k, packed, n, bias, act, from_raw_parts_mut(y, m * n), panel);
}

/// out [n] ← src [n] converted: kind 0 f16 → f32, 1 bf16 → f32 (src u16), 2 f32 → f16 (out u16).
///
/// # Safety
/// Valid blocks of n elements of the stated types.
#[no_mangle]
pub unsafe extern "C" fn attnkit_convert(src: *const u8, n: usize, kind: u32, out: *mut u8) {
    match kind {
        0 => crate::half::f16_to_f32_slice(from_raw_parts(src as *const u16, n), from_raw_parts_mut(out as *mut f32, n)),
        1 => crate::half::bf16_to_f32_slice(from_raw_parts(src as *const u16, n), from_raw_parts_mut(out as *mut f32, n)),
        _ => crate::half::f32_to_f16_slice(from_raw_parts(src as *const f32, n), from_raw_parts_mut(out as *mut u16, n)),
    }
}

/// out [B, S, E] ← word[ids] + position[s] + token_type[type_ids]; word [V, E] is f16 when
/// `word_f16` is non-zero, else f32.
///
/// # Safety
/// Valid blocks of the stated sizes; ids < V, type ids < T, S ≤ P.
#[no_mangle]
pub unsafe extern "C" fn attnkit_bert_embeddings(
    word: *const u8,
    word_f16: u32,
    vocab: usize,
    e: usize,
    ids: *const u32,
    position: *const f32,
    token_type: *const f32,
    types: usize,
    type_ids: *const u32,
    batch: usize,
    seq: usize,
    out: *mut f32,
) {
    use crate::bert::{bert_embeddings, Table};
    let table = if word_f16 != 0 { Table::F16(from_raw_parts(word as *const u16, vocab * e)) } else { Table::F32(from_raw_parts(word as *const f32, vocab * e)) };
    let n = batch * seq;
    bert_embeddings(table, e, from_raw_parts(ids, n), from_raw_parts(position, seq * e), from_raw_parts(token_type, types * e), from_raw_parts(type_ids, n), batch, seq, from_raw_parts_mut(out, n * e));
}

/// Resizes a block from `attnkit_alloc(old)` to `new` bytes, keeping its first
/// min(old, new) bytes (in place when the allocator can); returns 0, with the old block
/// untouched, when memory cannot grow.
///
/// # Safety
/// `ptr` came from `attnkit_alloc(old)` (or a previous `attnkit_realloc` to `old`); on
/// success only the returned pointer is used afterwards.
#[no_mangle]
pub unsafe extern "C" fn attnkit_realloc(ptr: *mut u8, old: usize, new: usize) -> *mut u8 {
    std::alloc::realloc(ptr, Layout::from_size_align_unchecked(old.max(1), ALIGN), new.max(1))
}

/// The word-vector table a call reads: `dtype` 0 f32, 1 f16 (u16 bits), 2 int8 with
/// `scales` [rows].
unsafe fn vector_table<'a>(table: *const u8, dtype: u32, scales: *const f32, rows: usize, dim: usize) -> crate::vectors::Table<'a> {
    match dtype {
        crate::vectors::DTYPE_F16 => crate::vectors::Table::F16(from_raw_parts(table as *const u16, rows * dim)),
        crate::vectors::DTYPE_INT8 => crate::vectors::Table::Int8(from_raw_parts(table as *const i8, rows * dim), from_raw_parts(scales, rows)),
        _ => crate::vectors::Table::F32(from_raw_parts(table as *const f32, rows * dim)),
    }
}

/// dst rows [n, dim] (and, for int8, scales [n]) ← src [n, dim] f32 in `dtype`.
///
/// # Safety
/// Valid blocks of the stated sizes.
#[no_mangle]
pub unsafe extern "C" fn attnkit_vectors_store(src: *const f32, n: usize, dim: usize, dtype: u32, dst: *mut u8, scales: *mut f32) {
    let src = from_raw_parts(src, n * dim);
    match dtype {
        crate::vectors::DTYPE_F16 => crate::half::f32_to_f16_slice(src, from_raw_parts_mut(dst as *mut u16, n * dim)),
        crate::vectors::DTYPE_INT8 => crate::vectors::store_int8(src, dim, from_raw_parts_mut(dst as *mut i8, n * dim), from_raw_parts_mut(scales, n)),
        _ => from_raw_parts_mut(dst as *mut f32, n * dim).copy_from_slice(src),
    }
}

/// out [n, dim] ← the table's rows at ids [n], as f32.
///
/// # Safety
/// Valid blocks of the stated sizes; every id < rows.
#[no_mangle]
pub unsafe extern "C" fn attnkit_vectors_gather(table: *const u8, dtype: u32, scales: *const f32, rows: usize, dim: usize, ids: *const u32, n: usize, out: *mut f32) {
    crate::vectors::gather(vector_table(table, dtype, scales, rows, dim), dim, from_raw_parts(ids, n), from_raw_parts_mut(out, n * dim));
}

/// inv [rows] ← 1 / ‖row‖ of each stored row (0 for a zero row).
///
/// # Safety
/// Valid blocks of the stated sizes.
#[no_mangle]
pub unsafe extern "C" fn attnkit_vectors_inv_norms(table: *const u8, dtype: u32, scales: *const f32, rows: usize, dim: usize, inv: *mut f32) {
    crate::vectors::inv_norms(vector_table(table, dtype, scales, rows, dim), rows, dim, from_raw_parts_mut(inv, rows));
}

/// The k best rows by q·row/‖row‖ (ties by lower id), skipping exclude [n_exclude]
/// (sorted ascending): out_ids [k], out_scores [k], best first; returns how many were
/// written (fewer than k when the table has fewer candidates).
///
/// # Safety
/// Valid blocks of the stated sizes.
#[no_mangle]
pub unsafe extern "C" fn attnkit_vectors_nearest(
    table: *const u8,
    dtype: u32,
    scales: *const f32,
    inv: *const f32,
    rows: usize,
    dim: usize,
    q: *const f32,
    k: usize,
    exclude: *const u32,
    n_exclude: usize,
    out_ids: *mut u32,
    out_scores: *mut f32,
) -> usize {
    let exclude = if n_exclude == 0 { &[][..] } else { from_raw_parts(exclude, n_exclude) };
    let best = crate::vectors::nearest(vector_table(table, dtype, scales, rows, dim), rows, dim, from_raw_parts(q, dim), from_raw_parts(inv, rows), k, exclude);
    for (i, &(score, id)) in best.iter().enumerate() {
        *out_ids.add(i) = id;
        *out_scores.add(i) = score;
    }
    best.len()
}

/// Parses whole text rows of buf [len] (see `vectors::parse_text_rows`): out [max_rows,
/// dim], spans [max_rows, 3]; stop [4] ← rows, bytes consumed, newlines consumed, and 1
/// when the line at `consumed` is malformed (else 0).
///
/// # Safety
/// Valid blocks of the stated sizes.
#[no_mangle]
pub unsafe extern "C" fn attnkit_vectors_parse_text(buf: *const u8, len: usize, last: u32, dim: usize, max_rows: usize, out: *mut f32, spans: *mut u32, stop: *mut u32) {
    let s = crate::vectors::parse_text_rows(
        from_raw_parts(buf, len),
        last != 0,
        dim,
        max_rows,
        from_raw_parts_mut(out, max_rows * dim),
        from_raw_parts_mut(spans, max_rows * 3),
    );
    let stop = from_raw_parts_mut(stop, 4);
    stop[0] = s.rows as u32;
    stop[1] = s.consumed as u32;
    stop[2] = s.lines as u32;
    stop[3] = s.error as u32;
}
