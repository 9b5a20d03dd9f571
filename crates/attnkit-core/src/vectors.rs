//! Word-vector tables: rows stored as f32, f16 or int8, gathers that dequantise them, and
//! the cosine scan behind nearest-neighbour queries.
//!
//! table [R, E] in its dtype (f32, u16 holding f16 bits, or i8); scales [R] (int8 only:
//! row r is q[r, :] · scales[r]); inv_norms [R] = 1 / ‖row‖ of the stored row (0 for a
//! zero row); q [E] the query; ids [N]; out [N, E] as f32.
//!
//! Conversions:
//! - f16: round to nearest, ties to even; |x| ≥ 65520 becomes ±∞ (the loader rejects
//!   such values before they reach here). Error ≤ 2⁻¹¹ relative for normal halves.
//! - int8: symmetric per row, scale = max|x| / 127 (in f32), q = x / scale rounded half
//!   to even, clamped to ±127. Error ≤ scale / 2 per element.
//!
//! Every fast kernel has a `*_naive` twin beside it. The SIMD paths exist on wasm32 with
//! `+simd128`; elsewhere (the host `cargo test`) the fast kernels are the scalar code.

/// Storage types, as the C ABI passes them.
pub const DTYPE_F32: u32 = 0;
pub const DTYPE_F16: u32 = 1;
pub const DTYPE_INT8: u32 = 2;

/// Rows a nearest-neighbour scan scores at a time before offering them to the k-heap
/// (1 KB of scores on the stack; the block's rows stay in cache between the two passes).
const SCAN_BLOCK: usize = 256;

// ---------------------------------------------------------------------------------------
// Scalar conversions (f16 ↔ f32 are half.rs's, shared with the model's weights)
// ---------------------------------------------------------------------------------------

pub use crate::half::{f16_to_f32, f32_to_f16};

/// Round half to even, for |v| < 2²²: adding 1.5 · 2²³ moves v where an f32's last
/// mantissa bit is worth 1, so the addition itself rounds v to an integer, ties to even
/// (IEEE's default rounding), and the subtraction is exact. q = x / scale is within ±128.
fn round_half_even(v: f32) -> f32 {
    const SHIFT: f32 = 12_582_912.0; // 1.5 · 2²³
    (v + SHIFT) - SHIFT
}

// ---------------------------------------------------------------------------------------
// Storing rows (at load time; not a hot path)
// ---------------------------------------------------------------------------------------

/// dst [n, E], scales [n] ← src [n, E] quantised per row (SIMD on wasm). Otherwise
/// identical to [`store_int8_naive`].
pub fn store_int8(src: &[f32], dim: usize, dst: &mut [i8], scales: &mut [f32]) {
    for ((row, q), scale) in src.chunks_exact(dim).zip(dst.chunks_exact_mut(dim)).zip(scales.iter_mut()) {
        *scale = fast::int8_quantise_row(row, q);
    }
}

/// Reference for [`store_int8`]: scale = max|x| / 127; q = round_half_even(x / scale), clamped to ±127.
pub fn store_int8_naive(src: &[f32], dim: usize, dst: &mut [i8], scales: &mut [f32]) {
    for ((row, q), scale) in src.chunks_exact(dim).zip(dst.chunks_exact_mut(dim)).zip(scales.iter_mut()) {
        let max = row.iter().fold(0.0f32, |m, &x| if x.abs() > m { x.abs() } else { m });
        let s = max / 127.0;
        *scale = s;
        for (qe, &x) in q.iter_mut().zip(row) {
            *qe = if s == 0.0 { 0 } else { round_half_even(x / s).max(-127.0).min(127.0) as i8 };
        }
    }
}

/// inv_norms [R] ← 1 / ‖row‖ of each stored row, dequantised (0 for a zero row): the
/// squares summed in f32 lanes (SIMD; a few ulp from an f64 sum), the root in f64.
pub fn inv_norms(table: Table, rows: usize, dim: usize, inv: &mut [f32]) {
    for (r, out) in inv.iter_mut().enumerate().take(rows) {
        let s = match table {
            Table::Int8(_, scales) => fast::dot_self(table, dim, r) as f64 * scales[r] as f64 * scales[r] as f64,
            _ => fast::dot_self(table, dim, r) as f64,
        };
        *out = if s > 0.0 { (1.0 / s.sqrt()) as f32 } else { 0.0 };
    }
}

/// Reference for [`inv_norms`]: the squares of the dequantised row summed in f64, in order.
pub fn inv_norms_naive(table: Table, rows: usize, dim: usize, inv: &mut [f32]) {
    let mut row = vec![0.0f32; dim];
    for (r, out) in inv.iter_mut().enumerate().take(rows) {
        table.row_naive(r, dim, &mut row);
        let mut s = 0.0f64;
        for &x in &row {
            s += x as f64 * x as f64;
        }
        *out = if s > 0.0 { (1.0 / s.sqrt()) as f32 } else { 0.0 };
    }
}

// ---------------------------------------------------------------------------------------
// A table of one dtype
// ---------------------------------------------------------------------------------------

/// The rows of a table, borrowed in their storage type.
#[derive(Clone, Copy)]
pub enum Table<'a> {
    F32(&'a [f32]),
    F16(&'a [u16]),
    Int8(&'a [i8], &'a [f32]),
}

impl<'a> Table<'a> {
    /// out [E] ← row r as f32, one element at a time.
    fn row_naive(&self, r: usize, dim: usize, out: &mut [f32]) {
        let at = r * dim;
        match *self {
            Table::F32(t) => out.copy_from_slice(&t[at..at + dim]),
            Table::F16(t) => {
                for (o, &h) in out.iter_mut().zip(&t[at..at + dim]) {
                    *o = f16_to_f32(h);
                }
            }
            Table::Int8(t, scales) => {
                for (o, &q) in out.iter_mut().zip(&t[at..at + dim]) {
                    *o = q as f32 * scales[r];
                }
            }
        }
    }
}

/// out [N, E] ← table[ids] as f32: each gathered row is dequantised on the way out (SIMD
/// for f16 and int8; only the gathered rows are converted). Otherwise identical to
/// [`gather_naive`].
pub fn gather(table: Table, dim: usize, ids: &[u32], out: &mut [f32]) {
    for (o, &id) in out.chunks_exact_mut(dim).zip(ids) {
        let at = id as usize * dim;
        match table {
            Table::F32(t) => o.copy_from_slice(&t[at..at + dim]),
            Table::F16(t) => fast::f16_row(&t[at..at + dim], o),
            Table::Int8(t, scales) => fast::int8_row(&t[at..at + dim], scales[id as usize], o),
        }
    }
}

/// Reference for [`gather`].
pub fn gather_naive(table: Table, dim: usize, ids: &[u32], out: &mut [f32]) {
    for (o, &id) in out.chunks_exact_mut(dim).zip(ids) {
        table.row_naive(id as usize, dim, o);
    }
}

/// scores [n] ← (rows first .. first + n) · q · inv_norms, the stored dtype read directly
/// (an int8 row dots q as integers widened to f32 in registers, then × its scale).
/// Four rows at a time share each load of q. Otherwise identical to [`scores_naive`] up to
/// the order of the additions.
pub fn scores(table: Table, dim: usize, first: usize, q: &[f32], inv: &[f32], out: &mut [f32]) {
    let n = out.len();
    let mut r = 0;
    while r + 4 <= n {
        let d = fast::dot4(table, dim, first + r, q);
        for i in 0..4 {
            out[r + i] = d[i] * row_factor(table, inv, first + r + i);
        }
        r += 4;
    }
    while r < n {
        out[r] = fast::dot1(table, dim, first + r, q) * row_factor(table, inv, first + r);
        r += 1;
    }
}

/// Reference for [`scores`]: dequantise the row, then one product at a time.
pub fn scores_naive(table: Table, dim: usize, first: usize, q: &[f32], inv: &[f32], out: &mut [f32]) {
    let mut row = vec![0.0f32; dim];
    for (i, o) in out.iter_mut().enumerate() {
        table.row_naive(first + i, dim, &mut row);
        let mut s = 0.0f32;
        for e in 0..dim {
            s += row[e] * q[e];
        }
        *o = s * inv[first + i];
    }
}

fn row_factor(table: Table, inv: &[f32], r: usize) -> f32 {
    match table {
        Table::Int8(_, scales) => scales[r] * inv[r],
        _ => inv[r],
    }
}

// ---------------------------------------------------------------------------------------
// Top k
// ---------------------------------------------------------------------------------------

/// Whether (score a, id a) ranks before (score b, id b): higher score, then lower id.
fn better(a: (f32, u32), b: (f32, u32)) -> bool {
    a.0 > b.0 || (a.0 == b.0 && a.1 < b.1)
}

/// The k best (score, id) pairs seen so far; the root is the worst of them.
pub struct TopK {
    k: usize,
    heap: Vec<(f32, u32)>,
}

impl TopK {
    pub fn new(k: usize) -> Self {
        TopK { k, heap: Vec::with_capacity(k) }
    }

    /// Offers one candidate (NaN scores are never kept).
    pub fn push(&mut self, item: (f32, u32)) {
        if self.k == 0 || item.0.is_nan() {
            return;
        }
        let h = &mut self.heap;
        if h.len() < self.k {
            h.push(item);
            let mut i = h.len() - 1;
            while i > 0 {
                let p = (i - 1) / 2;
                if better(h[p], h[i]) {
                    h.swap(p, i);
                    i = p;
                } else {
                    break;
                }
            }
        } else if better(item, h[0]) {
            h[0] = item;
            self.sift_down();
        }
    }

    /// The kept pairs, best first: the root (the worst) popped until the heap is empty.
    /// (A sort would pull the standard library's merge sort into the module.)
    pub fn into_sorted(mut self) -> Vec<(f32, u32)> {
        let mut out = Vec::with_capacity(self.heap.len());
        while let Some(last) = self.heap.pop() {
            if self.heap.is_empty() {
                out.push(last);
                break;
            }
            out.push(self.heap[0]);
            self.heap[0] = last;
            self.sift_down();
        }
        out.reverse();
        out
    }

    /// Restores the heap below the root.
    fn sift_down(&mut self) {
        let h = &mut self.heap;
        let n = h.len();
        let mut i = 0;
        loop {
            let (l, r) = (2 * i + 1, 2 * i + 2);
            let mut worst = i;
            if l < n && better(h[worst], h[l]) {
                worst = l;
            }
            if r < n && better(h[worst], h[r]) {
                worst = r;
            }
            if worst == i {
                break;
            }
            h.swap(i, worst);
            i = worst;
        }
    }
}

/// The k rows with the highest cosine with q (q need not be unit: scores are q·row/‖row‖),
/// best first, ties by lower id, skipping the ids in `exclude` (sorted ascending).
/// Pass 1 per block of SCAN_BLOCK rows: the scores; pass 2: offer them to the k-heap.
pub fn nearest(table: Table, rows: usize, dim: usize, q: &[f32], inv: &[f32], k: usize, exclude: &[u32]) -> Vec<(f32, u32)> {
    if let Table::Int8(t, scales) = table {
        if let Some(best) = nearest_int8(t, scales, rows, dim, q, inv, k, exclude) {
            return best;
        }
    }
    let mut top = TopK::new(k);
    let mut block = [0.0f32; SCAN_BLOCK];
    let mut first = 0;
    while first < rows {
        let n = SCAN_BLOCK.min(rows - first);
        scores(table, dim, first, q, inv, &mut block[..n]);
        for (i, &s) in block[..n].iter().enumerate() {
            let id = (first + i) as u32;
            if exclude.binary_search(&id).is_err() {
                top.push((s, id));
            }
        }
        first += n;
    }
    top.into_sorted()
}

/// [`nearest`] for an int8 table, in two passes, with the same result:
/// 1. every row dots q rounded to 16-bit integers (q̂ = round(q · S), S = QMAX / max|q|),
///    in integer SIMD (i8 widened to i16, `i32x4.dot_i16x8`): an approximate score a;
/// 2. the rows whose a can still reach the top k are scored exactly (as [`scores`]) and
///    ranked.
/// The rounding of q moves a score by at most E = ½ · Σ|row| / ‖row‖ / S ≤ ½ · √E_dim / S
/// (each |q − q̂/S| ≤ ½ / S). If T is the k-th best a, the k rows above it score ≥ T − E
/// exactly, so every row of the exact top k has a ≥ T − 2E: pass 1 keeps those (against
/// the running T, which only rises), pass 2 ranks them exactly. None when q is zero or
/// not finite (the exact scan handles it).
fn nearest_int8(t: &[i8], scales: &[f32], rows: usize, dim: usize, q: &[f32], inv: &[f32], k: usize, exclude: &[u32]) -> Option<Vec<(f32, u32)>> {
    let max = q.iter().fold(0.0f32, |m, &x| if x.abs() > m { x.abs() } else { m });
    if k == 0 || !(max > 0.0 && max.is_finite()) {
        return None;
    }
    // QMAX keeps each i32 lane of the sums below 2³¹: a lane adds dim / 4 products of
    // at most 127 · QMAX.
    let qmax = (32767.0f64).min((i32::MAX as f64) / (127.0 * dim.max(1) as f64)).floor() as f32;
    let s = qmax / max;
    let qi: Vec<i16> = q.iter().map(|&x| round_half_even(x * s).max(-qmax).min(qmax) as i16).collect();
    // E, padded for the f32 arithmetic of both scores (1e-6 on cosines of unit rows).
    let e = 0.5 * (dim as f32).sqrt() / s + 1e-6;
    let inv_s = 1.0 / s;
    let mut top = TopK::new(k);
    let mut candidates: Vec<(f32, u32)> = Vec::new();
    let mut block = [0i32; SCAN_BLOCK];
    let mut first = 0;
    while first < rows {
        let n = SCAN_BLOCK.min(rows - first);
        fast::int8_dots(&t[first * dim..(first + n) * dim], dim, &qi, &mut block[..n]);
        for (i, &d) in block[..n].iter().enumerate() {
            let id = first + i;
            if exclude.binary_search(&(id as u32)).is_ok() {
                continue;
            }
            let a = d as f32 * (scales[id] * inv[id]) * inv_s;
            let floor = if top.heap.len() == k { top.heap[0].0 - 2.0 * e } else { f32::NEG_INFINITY };
            if a >= floor {
                candidates.push((a, id as u32));
                top.push((a, id as u32));
            }
        }
        // Drop the candidates the risen threshold has ruled out (keeps the list short).
        if candidates.len() > 4 * k + 1024 && top.heap.len() == k {
            let floor = top.heap[0].0 - 2.0 * e;
            candidates.retain(|c| c.0 >= floor);
        }
        first += n;
    }
    let floor = if top.heap.len() == k { top.heap[0].0 - 2.0 * e } else { f32::NEG_INFINITY };
    let table = Table::Int8(t, scales);
    let mut exact = TopK::new(k);
    for &(a, id) in &candidates {
        if a >= floor {
            let r = id as usize;
            exact.push((fast::dot1(table, dim, r, q) * (scales[r] * inv[r]), id));
        }
    }
    Some(exact.into_sorted())
}

/// Reference for [`nearest`]: every score, then a full sort.
pub fn nearest_naive(table: Table, rows: usize, dim: usize, q: &[f32], inv: &[f32], k: usize, exclude: &[u32]) -> Vec<(f32, u32)> {
    let mut all = vec![0.0f32; rows];
    scores_naive(table, dim, 0, q, inv, &mut all);
    let mut items: Vec<(f32, u32)> = all.iter().enumerate().map(|(i, &s)| (s, i as u32)).filter(|&(s, id)| !s.is_nan() && !exclude.contains(&id)).collect();
    items.sort_by(|a, b| if better(*a, *b) { std::cmp::Ordering::Less } else { std::cmp::Ordering::Greater });
    items.truncate(k);
    items
}

// ---------------------------------------------------------------------------------------
// Text rows (GloVe, word2vec text): the parser the wasm backend's loader runs
// ---------------------------------------------------------------------------------------

/// 10⁰ … 10²²: every one exact in an f64.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Where `parse_text_rows` stopped.
pub struct TextStop {
    /// Rows parsed into `out`.
    pub rows: usize,
    /// Bytes of `buf` consumed: whole lines, up to the next one to read.
    pub consumed: usize,
    /// Newlines consumed (blank lines included).
    pub lines: usize,
    /// Whether it stopped at a line it cannot take (the caller parses that line).
    pub error: bool,
}

fn is_sep(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// What one value token reads as.
#[derive(Debug, PartialEq)]
pub enum Value {
    /// The nearest f64.
    Exact(f64),
    /// Not a decimal number.
    Bad,
    /// A valid number this parser leaves to the caller (more than 15 significant digits or
    /// a power of ten beyond ±22): the module carries no general decimal parser.
    Long,
}

/// One value token t (no separators inside): [±]digits[.digits][(e|E)[±]digits] with at
/// least one digit before the exponent. With up to 15 significant digits and a power of
/// ten within ±22 (after the point is moved), the digits as an integer times or divided by
/// an exact power of ten: both exact, so one rounding — the nearest double, as JS's
/// `Number` gives.
fn parse_value(t: &[u8]) -> Value {
    let n = t.len();
    let mut i = 0;
    let neg = n > 0 && t[0] == b'-';
    if n > 0 && (t[0] == b'-' || t[0] == b'+') {
        i = 1;
    }
    // The digits as an integer (a short dependency chain, where f64 multiply-adds would
    // wait on each other): exact while at most 19 digits, and only ≤ 15 are used.
    let mut mant: u64 = 0;
    let mut digits = 0;
    let first = i;
    while i < n && t[i].wrapping_sub(b'0') <= 9 {
        if digits < 19 {
            mant = mant * 10 + (t[i] - b'0') as u64;
        }
        if mant != 0 {
            digits += 1;
        }
        i += 1;
    }
    let mut any = i > first;
    let mut exp: i32 = 0;
    if i < n && t[i] == b'.' {
        i += 1;
        let f = i;
        while i < n && t[i].wrapping_sub(b'0') <= 9 {
            if digits < 19 {
                mant = mant * 10 + (t[i] - b'0') as u64;
            }
            if mant != 0 {
                digits += 1;
            }
            i += 1;
        }
        exp = -((i - f) as i32);
        any = any || i > f;
    }
    if !any {
        return Value::Bad;
    }
    if i < n {
        // Only an exponent may follow: (e|E)[±]digits, to the end of the token.
        if t[i] != b'e' && t[i] != b'E' {
            return Value::Bad;
        }
        i += 1;
        let eneg = i < n && t[i] == b'-';
        if i < n && (t[i] == b'-' || t[i] == b'+') {
            i += 1;
        }
        let e = i;
        let mut x: i32 = 0;
        while i < n && t[i].wrapping_sub(b'0') <= 9 {
            if x < 100_000 {
                x = x * 10 + (t[i] - b'0') as i32;
            }
            i += 1;
        }
        if i == e || i != n {
            return Value::Bad;
        }
        exp += if eneg { -x } else { x };
    }
    if mant == 0 {
        return Value::Exact(if neg { -0.0 } else { 0.0 });
    }
    if digits > 15 || !(-22..=22).contains(&exp) {
        return Value::Long;
    }
    let m = mant as f64; // < 10¹⁵ < 2⁵³: exact
    let v = if exp < 0 { m / POW10[(-exp) as usize] } else { m * POW10[exp as usize] };
    Value::Exact(if neg { -v } else { v })
}

/// Parses whole text rows from buf: each line a word (up to the first space or tab), then
/// exactly `dim` finite values; trailing spaces, tabs and '\r' ignored; blank lines skipped.
/// A line it cannot take (malformed, or holding a `Value::Long`) stops it with `error`: the
/// caller parses that line itself.
/// A line is whole when a '\n' ends it, or (`last`) when it ends the buffer.
///
/// out [max_rows, dim] ← the values as f32; spans [max_rows, 3] ← per row, the word's start
/// and end in buf and the row's line (newlines before it, counted from buf's start).
/// Stops after max_rows rows, at the end of the whole lines, or before a malformed line.
pub fn parse_text_rows(buf: &[u8], last: bool, dim: usize, max_rows: usize, out: &mut [f32], spans: &mut [u32]) -> TextStop {
    let mut stop = TextStop { rows: 0, consumed: 0, lines: 0, error: false };
    let mut at = 0;
    while stop.rows < max_rows && at < buf.len() {
        let (end, next) = match buf[at..].iter().position(|&b| b == b'\n') {
            Some(p) => (at + p, at + p + 1),
            None if last => (buf.len(), buf.len()),
            None => break,
        };
        let mut e = end;
        while e > at && (is_sep(buf[e - 1]) || buf[e - 1] == b'\r') {
            e -= 1;
        }
        if e > at {
            let mut i = at;
            while i < e && !is_sep(buf[i]) {
                i += 1;
            }
            let word_end = i;
            let row = &mut out[stop.rows * dim..(stop.rows + 1) * dim];
            let mut n = 0;
            loop {
                while i < e && is_sep(buf[i]) {
                    i += 1;
                }
                if i >= e {
                    break;
                }
                // The common form, [±]digits[.digits] with ≤ 15 significant digits, is read in
                // the pass that finds the token's end; any other goes to parse_value.
                let t = i;
                let neg = buf[i] == b'-';
                if neg || buf[i] == b'+' {
                    i += 1;
                }
                let mut mant: u64 = 0;
                let mut digits = 0;
                let mut frac = 0;
                let first = i;
                while i < e && buf[i].wrapping_sub(b'0') <= 9 && digits < 16 {
                    mant = mant * 10 + (buf[i] - b'0') as u64;
                    digits += (mant != 0) as usize;
                    i += 1;
                }
                let mut any = i > first;
                if i < e && buf[i] == b'.' {
                    i += 1;
                    let f = i;
                    while i < e && buf[i].wrapping_sub(b'0') <= 9 && digits < 16 {
                        mant = mant * 10 + (buf[i] - b'0') as u64;
                        digits += (mant != 0) as usize;
                        i += 1;
                    }
                    frac = i - f;
                    any |= i > f;
                }
                let fast = any && digits <= 15 && frac <= 22 && (i == e || is_sep(buf[i]));
                let value = if fast {
                    let m = mant as f64; // < 10¹⁵ < 2⁵³: exact
                    let v = if frac == 0 { m } else { m / POW10[frac] };
                    Value::Exact(if neg { -v } else { v })
                } else {
                    while i < e && !is_sep(buf[i]) {
                        i += 1;
                    }
                    parse_value(&buf[t..i])
                };
                let v = match value {
                    Value::Exact(v) if n < dim => v,
                    _ => {
                        stop.error = true;
                        return stop;
                    }
                };
                row[n] = v as f32;
                n += 1;
            }
            if n != dim {
                stop.error = true;
                return stop;
            }
            spans[3 * stop.rows] = at as u32;
            spans[3 * stop.rows + 1] = word_end as u32;
            spans[3 * stop.rows + 2] = stop.lines as u32;
            stop.rows += 1;
        }
        if next > end {
            stop.lines += 1;
        }
        at = next;
        stop.consumed = at;
    }
    stop
}

// ---------------------------------------------------------------------------------------
// SIMD paths
// ---------------------------------------------------------------------------------------

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod fast {
    use super::Table;
    use core::arch::wasm32::*;

    /// Four f16 values (the low or high half of eight, widened to u32) → f32 lanes, exactly:
    /// the 15 bits below the sign shifted to an f32's exponent/mantissa place and scaled by
    /// 2¹¹² (normal halves and subnormals alike), ∞/NaN patched, the sign put back.
    #[inline(always)]
    fn f16x4(x: v128) -> v128 {
        let sign = i32x4_shl(v128_and(x, u32x4_splat(0x8000)), 16);
        let body = i32x4_shl(v128_and(x, u32x4_splat(0x7fff)), 13);
        let scaled = f32x4_mul(body, f32x4_splat(f32::from_bits(0x7780_0000)));
        let special = u32x4_ge(body, u32x4_splat(0x0f80_0000));
        let patched = v128_bitselect(v128_or(body, u32x4_splat(0x7f80_0000)), scaled, special);
        v128_or(patched, sign)
    }

    /// Sixteen int8 lanes → four f32x4, in order.
    #[inline(always)]
    fn i8x16_to_f32(x: v128) -> [v128; 4] {
        let lo = i16x8_extend_low_i8x16(x);
        let hi = i16x8_extend_high_i8x16(x);
        [
            f32x4_convert_i32x4(i32x4_extend_low_i16x8(lo)),
            f32x4_convert_i32x4(i32x4_extend_high_i16x8(lo)),
            f32x4_convert_i32x4(i32x4_extend_low_i16x8(hi)),
            f32x4_convert_i32x4(i32x4_extend_high_i16x8(hi)),
        ]
    }

    /// q [E] ← row [E] / scale rounded half to even (f32x4.nearest) and clamped to ±127,
    /// 16 at a time, narrowed to bytes; returns scale = max|x| / 127.
    pub fn int8_quantise_row(row: &[f32], q: &mut [i8]) -> f32 {
        let n = row.len();
        let mut e = 0;
        let mut maxv = f32x4_splat(0.0);
        // SAFETY: every access is below n in both slices (row.len() == q.len() == n).
        unsafe {
            while e + 4 <= n {
                maxv = f32x4_max(maxv, f32x4_abs(v128_load(row.as_ptr().add(e) as *const v128)));
                e += 4;
            }
        }
        let mut max = (f32x4_extract_lane::<0>(maxv).max(f32x4_extract_lane::<1>(maxv))).max(f32x4_extract_lane::<2>(maxv).max(f32x4_extract_lane::<3>(maxv)));
        while e < n {
            max = max.max(row[e].abs());
            e += 1;
        }
        let s = max / 127.0;
        if s == 0.0 {
            q.iter_mut().for_each(|x| *x = 0);
            return s;
        }
        let (sv, lo, hi) = (f32x4_splat(s), f32x4_splat(-127.0), f32x4_splat(127.0));
        let quant = |x: v128| i32x4_trunc_sat_f32x4(f32x4_min(f32x4_max(f32x4_nearest(f32x4_div(x, sv)), lo), hi));
        e = 0;
        // SAFETY: as above; e + 16 ≤ n.
        unsafe {
            while e + 16 <= n {
                let p = row.as_ptr().add(e);
                let a = i16x8_narrow_i32x4(quant(v128_load(p as *const v128)), quant(v128_load(p.add(4) as *const v128)));
                let b = i16x8_narrow_i32x4(quant(v128_load(p.add(8) as *const v128)), quant(v128_load(p.add(12) as *const v128)));
                v128_store(q.as_mut_ptr().add(e) as *mut v128, i8x16_narrow_i16x8(a, b));
                e += 16;
            }
        }
        while e < n {
            q[e] = super::round_half_even(row[e] / s).max(-127.0).min(127.0) as i8;
            e += 1;
        }
        s
    }

    /// out [n] ← rows [n, E] (int8) · q [E] (int16), exact in i32: i8 widened to i16 and
    /// multiplied pairwise into i32 lanes (`i32x4.dot_i16x8`), 16 per step, 4 rows at a
    /// time sharing q.
    pub fn int8_dots(rows: &[i8], dim: usize, q: &[i16], out: &mut [i32]) {
        let n = out.len();
        let steps = dim / 16;
        let mut r = 0;
        // SAFETY: rows holds n·dim bytes and q dim lanes; every load is below them.
        unsafe {
            let qp = q.as_ptr();
            while r < n {
                let m = (n - r).min(4);
                let mut acc = [i32x4_splat(0); 4];
                let base = rows.as_ptr().add(r * dim);
                for s in 0..steps {
                    let q0 = v128_load(qp.add(16 * s) as *const v128);
                    let q1 = v128_load(qp.add(16 * s + 8) as *const v128);
                    for j in 0..m {
                        let v = v128_load(base.add(j * dim + 16 * s) as *const v128);
                        acc[j] = i32x4_add(acc[j], i32x4_add(i32x4_dot_i16x8(i16x8_extend_low_i8x16(v), q0), i32x4_dot_i16x8(i16x8_extend_high_i8x16(v), q1)));
                    }
                }
                for j in 0..m {
                    let a = acc[j];
                    let mut sum = i32x4_extract_lane::<0>(a) + i32x4_extract_lane::<1>(a) + i32x4_extract_lane::<2>(a) + i32x4_extract_lane::<3>(a);
                    for e in 16 * steps..dim {
                        sum += *base.add(j * dim + e) as i32 * q[e] as i32;
                    }
                    out[r + j] = sum;
                }
                r += m;
            }
        }
    }

    /// out [E] ← f16 row [E] as f32, 8 at a time.
    pub fn f16_row(row: &[u16], out: &mut [f32]) {
        let n = out.len();
        let mut e = 0;
        // SAFETY: every access is below n in both slices (row.len() == out.len() == n).
        unsafe {
            while e + 8 <= n {
                let x = v128_load(row.as_ptr().add(e) as *const v128);
                v128_store(out.as_mut_ptr().add(e) as *mut v128, f16x4(u32x4_extend_low_u16x8(x)));
                v128_store(out.as_mut_ptr().add(e + 4) as *mut v128, f16x4(u32x4_extend_high_u16x8(x)));
                e += 8;
            }
        }
        while e < n {
            out[e] = super::f16_to_f32(row[e]);
            e += 1;
        }
    }

    /// out [E] ← int8 row [E] · scale, 16 at a time.
    pub fn int8_row(row: &[i8], scale: f32, out: &mut [f32]) {
        let n = out.len();
        let s = f32x4_splat(scale);
        let mut e = 0;
        // SAFETY: every access is below n in both slices.
        unsafe {
            while e + 16 <= n {
                let v = i8x16_to_f32(v128_load(row.as_ptr().add(e) as *const v128));
                let o = out.as_mut_ptr().add(e) as *mut v128;
                v128_store(o, f32x4_mul(v[0], s));
                v128_store(o.add(1), f32x4_mul(v[1], s));
                v128_store(o.add(2), f32x4_mul(v[2], s));
                v128_store(o.add(3), f32x4_mul(v[3], s));
                e += 16;
            }
        }
        while e < n {
            out[e] = row[e] as f32 * scale;
            e += 1;
        }
    }

    fn hsum(v: v128) -> f32 {
        (f32x4_extract_lane::<0>(v) + f32x4_extract_lane::<2>(v)) + (f32x4_extract_lane::<1>(v) + f32x4_extract_lane::<3>(v))
    }

    /// Row r · q (raw stored values, int8 not yet scaled).
    pub fn dot1(table: Table, dim: usize, r: usize, q: &[f32]) -> f32 {
        let d = dot_rows::<1>(table, dim, r, q);
        d[0]
    }

    /// Rows r .. r + 4 · q.
    pub fn dot4(table: Table, dim: usize, r: usize, q: &[f32]) -> [f32; 4] {
        dot_rows::<4>(table, dim, r, q)
    }

    /// Row r · itself (raw stored values, int8 not yet scaled), for its norm.
    pub fn dot_self(table: Table, dim: usize, r: usize) -> f32 {
        let mut acc = f32x4_splat(0.0);
        let mut tail = 0.0f32;
        let mut row = [0.0f32; 16];
        let mut e = 0;
        while e < dim {
            let m = (dim - e).min(16);
            match table {
                Table::F32(t) => row[..m].copy_from_slice(&t[r * dim + e..r * dim + e + m]),
                Table::F16(t) => f16_row(&t[r * dim + e..r * dim + e + m], &mut row[..m]),
                Table::Int8(t, _) => int8_row(&t[r * dim + e..r * dim + e + m], 1.0, &mut row[..m]),
            }
            let mut i = 0;
            // SAFETY: i + 4 ≤ m ≤ 16 = row.len().
            unsafe {
                while i + 4 <= m {
                    let v = v128_load(row.as_ptr().add(i) as *const v128);
                    acc = f32x4_add(acc, f32x4_mul(v, v));
                    i += 4;
                }
            }
            while i < m {
                tail += row[i] * row[i];
                i += 1;
            }
            e += m;
        }
        hsum(acc) + tail
    }

    /// M rows · q: one accumulator per row, each load of q shared by the M rows.
    #[inline(always)]
    fn dot_rows<const M: usize>(table: Table, dim: usize, r: usize, q: &[f32]) -> [f32; M] {
        let mut acc = [f32x4_splat(0.0); M];
        let mut tail = [0.0f32; M];
        let qp = q.as_ptr();
        // SAFETY: rows r .. r + M exist (the caller scans within the table), and every
        // offset e + lane stays below dim.
        unsafe {
            match table {
                Table::F32(t) => {
                    let base = t.as_ptr().add(r * dim);
                    let mut e = 0;
                    while e + 4 <= dim {
                        let qv = v128_load(qp.add(e) as *const v128);
                        for m in 0..M {
                            acc[m] = f32x4_add(acc[m], f32x4_mul(v128_load(base.add(m * dim + e) as *const v128), qv));
                        }
                        e += 4;
                    }
                    while e < dim {
                        for m in 0..M {
                            tail[m] += *base.add(m * dim + e) * q[e];
                        }
                        e += 1;
                    }
                }
                Table::F16(t) => {
                    let base = t.as_ptr().add(r * dim);
                    let mut e = 0;
                    while e + 8 <= dim {
                        let q0 = v128_load(qp.add(e) as *const v128);
                        let q1 = v128_load(qp.add(e + 4) as *const v128);
                        for m in 0..M {
                            let x = v128_load(base.add(m * dim + e) as *const v128);
                            acc[m] = f32x4_add(acc[m], f32x4_mul(f16x4(u32x4_extend_low_u16x8(x)), q0));
                            acc[m] = f32x4_add(acc[m], f32x4_mul(f16x4(u32x4_extend_high_u16x8(x)), q1));
                        }
                        e += 8;
                    }
                    while e < dim {
                        for m in 0..M {
                            tail[m] += super::f16_to_f32(*base.add(m * dim + e)) * q[e];
                        }
                        e += 1;
                    }
                }
                Table::Int8(t, _) => {
                    let base = t.as_ptr().add(r * dim);
                    let mut e = 0;
                    while e + 16 <= dim {
                        // q is reloaded per row (from L1): sixteen lanes of q held across the
                        // M rows would not fit the registers beside the converted rows.
                        for m in 0..M {
                            let v = i8x16_to_f32(v128_load(base.add(m * dim + e) as *const v128));
                            let a = f32x4_add(f32x4_mul(v[0], v128_load(qp.add(e) as *const v128)), f32x4_mul(v[1], v128_load(qp.add(e + 4) as *const v128)));
                            let b = f32x4_add(f32x4_mul(v[2], v128_load(qp.add(e + 8) as *const v128)), f32x4_mul(v[3], v128_load(qp.add(e + 12) as *const v128)));
                            acc[m] = f32x4_add(acc[m], f32x4_add(a, b));
                        }
                        e += 16;
                    }
                    while e < dim {
                        for m in 0..M {
                            tail[m] += *base.add(m * dim + e) as f32 * q[e];
                        }
                        e += 1;
                    }
                }
            }
        }
        let mut out = [0.0f32; M];
        for m in 0..M {
            out[m] = hsum(acc[m]) + tail[m];
        }
        out
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod fast {
    use super::Table;

    pub fn int8_dots(rows: &[i8], dim: usize, q: &[i16], out: &mut [i32]) {
        for (o, row) in out.iter_mut().zip(rows.chunks_exact(dim)) {
            *o = row.iter().zip(q).map(|(&a, &b)| a as i32 * b as i32).sum();
        }
    }

    pub fn int8_quantise_row(row: &[f32], q: &mut [i8]) -> f32 {
        let mut scale = [0.0f32];
        super::store_int8_naive(row, row.len(), q, &mut scale);
        scale[0]
    }

    pub fn f16_row(row: &[u16], out: &mut [f32]) {
        for (o, &h) in out.iter_mut().zip(row) {
            *o = super::f16_to_f32(h);
        }
    }

    pub fn int8_row(row: &[i8], scale: f32, out: &mut [f32]) {
        for (o, &q) in out.iter_mut().zip(row) {
            *o = q as f32 * scale;
        }
    }

    pub fn dot1(table: Table, dim: usize, r: usize, q: &[f32]) -> f32 {
        let at = r * dim;
        let mut s = 0.0f32;
        for e in 0..dim {
            s += match table {
                Table::F32(t) => t[at + e],
                Table::F16(t) => super::f16_to_f32(t[at + e]),
                Table::Int8(t, _) => t[at + e] as f32,
            } * q[e];
        }
        s
    }

    pub fn dot4(table: Table, dim: usize, r: usize, q: &[f32]) -> [f32; 4] {
        [dot1(table, dim, r, q), dot1(table, dim, r + 1, q), dot1(table, dim, r + 2, q), dot1(table, dim, r + 3, q)]
    }

    pub fn dot_self(table: Table, dim: usize, r: usize) -> f32 {
        let at = r * dim;
        let mut s = 0.0f32;
        for e in 0..dim {
            let x = match table {
                Table::F32(t) => t[at + e],
                Table::F16(t) => super::f16_to_f32(t[at + e]),
                Table::Int8(t, _) => t[at + e] as f32,
            };
            s += x * x;
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic spread of values: signs, magnitudes from 1e-3 to 10, some exact zeros.
    fn values(n: usize, seed: u32) -> Vec<f32> {
        let mut s = seed.wrapping_mul(2654435761).wrapping_add(1);
        (0..n)
            .map(|i| {
                s ^= s << 13;
                s ^= s >> 17;
                s ^= s << 5;
                if i % 23 == 7 {
                    0.0
                } else {
                    let u = (s >> 8) as f32 / 16_777_216.0;
                    (u - 0.5) * 2.0 * 10f32.powf((s % 5) as f32 - 3.0)
                }
            })
            .collect()
    }

    #[test]
    fn f16_round_trip_is_exact_for_every_half() {
        for h in 0..=0xffffu32 {
            let h = h as u16;
            let x = f16_to_f32(h);
            if x.is_nan() {
                assert!(f16_to_f32(f32_to_f16(x)).is_nan());
            } else {
                assert_eq!(f32_to_f16(x), h, "half {:#06x}", h);
            }
        }
    }

    #[test]
    fn f16_rounds_to_nearest_even_at_midpoints() {
        // 1 + 2⁻¹¹ is halfway between 1 and 1 + 2⁻¹⁰: ties to even (1).
        assert_eq!(f32_to_f16(1.0 + 2f32.powi(-11)), 0x3c00);
        // 1 + 3·2⁻¹¹ is halfway between 1 + 2⁻¹⁰ (odd) and 1 + 2⁻⁹: ties to even (up).
        assert_eq!(f32_to_f16(1.0 + 3.0 * 2f32.powi(-11)), 0x3c02);
        // Just above a midpoint rounds up.
        assert_eq!(f32_to_f16(1.0 + 2f32.powi(-11) + 2f32.powi(-20)), 0x3c01);
        // Subnormal midpoints: 2⁻²⁵ (half the smallest subnormal) ties to 0; 3·2⁻²⁵ to 2·2⁻²⁴.
        assert_eq!(f32_to_f16(2f32.powi(-25)), 0);
        assert_eq!(f32_to_f16(3.0 * 2f32.powi(-25)), 2);
        assert_eq!(f32_to_f16(-65504.0), 0xfbff);
        assert_eq!(f32_to_f16(65520.0), 0x7c00);
        assert_eq!(f32_to_f16(65519.0), 0x7bff);
    }

    #[test]
    fn f16_error_is_within_2_pow_minus_11_relative() {
        for &x in &values(5000, 3) {
            let y = f16_to_f32(f32_to_f16(x));
            if x.abs() >= 6.103_515_6e-5 {
                assert!(((y - x) / x).abs() <= 2f32.powi(-11), "{} → {}", x, y);
            }
        }
    }

    #[test]
    fn int8_is_symmetric_per_row_within_half_a_scale() {
        let dim = 37;
        let src = values(dim * 9, 5);
        let mut q = vec![0i8; src.len()];
        let mut scales = vec![0.0f32; 9];
        store_int8(&src, dim, &mut q, &mut scales);
        for r in 0..9 {
            let row = &src[r * dim..(r + 1) * dim];
            let max = row.iter().fold(0.0f32, |m, x| m.max(x.abs()));
            assert_eq!(scales[r], max / 127.0);
            for e in 0..dim {
                let back = q[r * dim + e] as f32 * scales[r];
                assert!((back - row[e]).abs() <= scales[r] / 2.0 * (1.0 + 1e-6), "row {} e {}", r, e);
            }
            assert!(q[r * dim..(r + 1) * dim].iter().any(|&v| v == 127 || v == -127));
        }
    }

    #[test]
    fn int8_ties_go_to_even_and_zero_rows_stay_zero() {
        // max 127 → scale 1: 2.5 → 2, 3.5 → 4, −2.5 → −2, 0.5 → 0.
        let src = [127.0, 2.5, 3.5, -2.5, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0];
        let mut q = [0i8; 10];
        let mut scales = [9.0f32; 2];
        store_int8(&src, 5, &mut q, &mut scales);
        assert_eq!(&q[..5], &[127, 2, 4, -2, 0]);
        assert_eq!(&q[5..], &[0; 5]);
        assert_eq!(scales, [1.0, 0.0]);
    }

    fn tables(dim: usize, rows: usize) -> (Vec<f32>, Vec<u16>, Vec<i8>, Vec<f32>) {
        let src = values(dim * rows, dim as u32);
        let mut h = vec![0u16; src.len()];
        crate::half::f32_to_f16_slice(&src, &mut h);
        let mut q = vec![0i8; src.len()];
        let mut scales = vec![0.0f32; rows];
        store_int8(&src, dim, &mut q, &mut scales);
        (src, h, q, scales)
    }

    #[test]
    fn fast_gather_equals_naive_bit_for_bit() {
        // Widths around the 8- and 16-lane steps and their tails.
        for dim in [1, 3, 7, 8, 9, 15, 16, 17, 33, 300] {
            let rows = 6;
            let (f, h, q, s) = tables(dim, rows);
            let ids = [5u32, 0, 5, 2, 3];
            for table in [Table::F32(&f), Table::F16(&h), Table::Int8(&q, &s)] {
                let (mut fast, mut naive) = (vec![f32::NAN; ids.len() * dim], vec![0.0; ids.len() * dim]);
                gather(table, dim, &ids, &mut fast);
                gather_naive(table, dim, &ids, &mut naive);
                for i in 0..fast.len() {
                    assert_eq!(fast[i].to_bits(), naive[i].to_bits(), "dim {} at {}", dim, i);
                }
            }
        }
    }

    #[test]
    fn fast_scores_are_within_1e_6_of_naive() {
        // 1e-6: f32 sums of E ≤ 300 products in a different order, on unit-scaled scores.
        for dim in [1, 4, 7, 16, 17, 31, 300] {
            let rows = 11; // two blocks of 4 rows and a tail of 3
            let (f, h, q, s) = tables(dim, rows);
            let query = values(dim, 99);
            let qn = query.iter().map(|x| x * x).sum::<f32>().sqrt();
            let query: Vec<f32> = query.iter().map(|x| x / qn).collect();
            for table in [Table::F32(&f), Table::F16(&h), Table::Int8(&q, &s)] {
                let mut inv = vec![0.0; rows];
                inv_norms(table, rows, dim, &mut inv);
                let (mut fast, mut naive) = (vec![0.0; rows], vec![0.0; rows]);
                scores(table, dim, 0, &query, &inv, &mut fast);
                scores_naive(table, dim, 0, &query, &inv, &mut naive);
                for r in 0..rows {
                    assert!((fast[r] - naive[r]).abs() <= 1e-6, "dim {} row {}: {} vs {}", dim, r, fast[r], naive[r]);
                    assert!(fast[r].abs() <= 1.0 + 1e-6);
                }
            }
        }
    }

    #[test]
    fn nearest_keeps_the_k_best_with_ties_by_lower_id_and_skips_excluded() {
        // Rows 0, 2, 3 and 5 are the same direction; row 4 the opposite.
        let dim = 2;
        let t = [1.0, 0.0, 0.0, 1.0, 2.0, 0.0, 3.0, 0.0, -1.0, 0.0, 0.5, 0.0, 0.6, 0.8];
        let table = Table::F32(&t);
        let mut inv = vec![0.0; 7];
        inv_norms(table, 7, dim, &mut inv);
        let q = [1.0, 0.0];
        let got = nearest(table, 7, dim, &q, &inv, 3, &[2]);
        let ids: Vec<u32> = got.iter().map(|p| p.1).collect();
        assert_eq!(ids, vec![0, 3, 5]);
        let all = nearest(table, 7, dim, &q, &inv, 100, &[]);
        assert_eq!(all.iter().map(|p| p.1).collect::<Vec<_>>(), vec![0, 2, 3, 5, 6, 1, 4]);
        assert_eq!(nearest(table, 7, dim, &q, &inv, 0, &[]), vec![]);
    }

    #[test]
    fn fast_nearest_equals_naive_over_several_blocks() {
        let (dim, rows) = (19, 700);
        let (f, h, q, s) = tables(dim, rows);
        let query = values(dim, 7);
        for table in [Table::F32(&f), Table::F16(&h), Table::Int8(&q, &s)] {
            let mut inv = vec![0.0; rows];
            inv_norms(table, rows, dim, &mut inv);
            let fast = nearest(table, rows, dim, &query, &inv, 10, &[3, 260]);
            let naive = nearest_naive(table, rows, dim, &query, &inv, 10, &[3, 260]);
            assert_eq!(fast.len(), 10);
            for (a, b) in fast.iter().zip(&naive) {
                assert_eq!(a.1, b.1);
                assert!((a.0 - b.0).abs() <= 1e-5);
            }
        }
    }

    #[test]
    fn text_values_read_as_the_nearest_double_in_every_form() {
        let cases: [(&str, f64); 11] = [
            ("0", 0.0),
            ("-0.41800", -0.418),
            ("+5", 5.0),
            (".5", 0.5),
            ("5.", 5.0),
            ("7E+2", 700.0),
            ("1e-05", 1e-5),
            ("-2.5e-7", -2.5e-7),
            ("0.30000000000001", 0.30000000000001),
            ("0.0000000000000000000001", 1e-22),
            ("123456789012345e7", 1.23456789012345e21),
        ];
        for (text, want) in cases {
            assert_eq!(parse_value(text.as_bytes()), Value::Exact(want), "{}", text);
        }
        assert_eq!(parse_value(b"-0"), Value::Exact(-0.0));
        assert!(matches!(parse_value(b"-0e999"), Value::Exact(z) if z == 0.0 && z.is_sign_negative()));
        for long in ["1e-45", "3.4028235e38", "0.30000000000000004", "1e999", "1234567890123456"] {
            assert_eq!(parse_value(long.as_bytes()), Value::Long, "{}", long);
        }
        for bad in ["", "-", ".", "e5", "1e", "1e+", "x", "0x10", "1.2.3", "nan", "inf", "1-2"] {
            assert_eq!(parse_value(bad.as_bytes()), Value::Bad, "{}", bad);
        }
    }

    #[test]
    fn text_rows_stop_at_limits_partial_lines_and_bad_lines() {
        let buf = b"a 1 2\r\n\n  \nb\t3  4 \nc 5 x\nd 7 8";
        let mut out = [0.0f32; 8];
        let mut spans = [0u32; 12];
        let stop = parse_text_rows(buf, false, 2, 4, &mut out, &mut spans);
        assert_eq!((stop.rows, stop.lines, stop.error), (2, 4, true));
        assert_eq!(&buf[stop.consumed..stop.consumed + 5], b"c 5 x");
        assert_eq!(&out[..4], &[1.0, 2.0, 3.0, 4.0]);
        assert_eq!(&spans[..6], &[0, 1, 0, 11, 12, 3]);
        // Without `last`, a final line with no newline is not read; with it, it is.
        let tail = b"d 7 8\ne 9 10";
        let stop = parse_text_rows(tail, false, 2, 4, &mut out, &mut spans);
        assert_eq!((stop.rows, stop.consumed, stop.error), (1, 6, false));
        let stop = parse_text_rows(tail, true, 2, 4, &mut out, &mut spans);
        assert_eq!((stop.rows, stop.consumed), (2, tail.len()));
        assert_eq!(&out[2..4], &[9.0, 10.0]);
        // max_rows stops early; too many or too few values are errors.
        assert_eq!(parse_text_rows(tail, true, 2, 1, &mut out, &mut spans).consumed, 6);
        assert!(parse_text_rows(b"a 1 2 3\n", true, 2, 4, &mut out, &mut spans).error);
        assert!(parse_text_rows(b"a 1\n", true, 2, 4, &mut out, &mut spans).error);
        assert!(parse_text_rows(b"a 1 nan\n", true, 2, 4, &mut out, &mut spans).error);
        assert!(parse_text_rows(b"a 1 1e999\n", true, 2, 4, &mut out, &mut spans).error);
    }

    #[test]
    fn fast_inv_norms_are_within_1e_6_relative_of_naive() {
        // 1e-6: f32 sums of E ≤ 300 squares (all positive, so no cancellation) against f64.
        for dim in [1, 3, 4, 15, 16, 17, 33, 300] {
            let rows = 7;
            let (f, h, q, s) = tables(dim, rows);
            for table in [Table::F32(&f), Table::F16(&h), Table::Int8(&q, &s)] {
                let (mut fast, mut naive) = (vec![0.0; rows], vec![0.0; rows]);
                inv_norms(table, rows, dim, &mut fast);
                inv_norms_naive(table, rows, dim, &mut naive);
                for r in 0..rows {
                    assert!((fast[r] - naive[r]).abs() <= 1e-6 * naive[r], "dim {} row {}: {} vs {}", dim, r, fast[r], naive[r]);
                }
            }
        }
        let mut inv = [1.0f32];
        inv_norms(Table::F32(&[0.0, 0.0]), 1, 2, &mut inv);
        assert_eq!(inv, [0.0]);
    }

    #[test]
    fn fast_int8_store_equals_naive_bit_for_bit() {
        // Widths around the 16-lane step; values that tie at .5 after division included.
        for dim in [1, 3, 4, 15, 16, 17, 31, 33, 300] {
            let rows = 5;
            let mut src = values(dim * rows, 40 + dim as u32);
            src[0] = 127.0;
            if dim > 2 {
                src[1] = 2.5;
                src[2] = -3.5;
            }
            let (mut qf, mut qn) = (vec![0i8; src.len()], vec![1i8; src.len()]);
            let (mut sf, mut sn) = (vec![0.0f32; rows], vec![1.0f32; rows]);
            store_int8(&src, dim, &mut qf, &mut sf);
            store_int8_naive(&src, dim, &mut qn, &mut sn);
            assert_eq!(qf, qn, "dim {}", dim);
            assert_eq!(sf, sn, "dim {}", dim);
        }
    }

    #[test]
    fn int8_nearest_in_two_passes_equals_the_exact_scan() {
        // Many near-ties (rows that differ in one element) and widths around the 16-lane step.
        for dim in [1, 5, 16, 17, 300] {
            let rows = 900;
            let mut src = values(dim * rows, 77 + dim as u32);
            for r in (1..rows).step_by(7) {
                let (a, b) = src.split_at_mut(r * dim);
                b[..dim].copy_from_slice(&a[(r - 1) * dim..r * dim]);
                b[0] += 1e-3;
            }
            let mut q8 = vec![0i8; src.len()];
            let mut scales = vec![0.0f32; rows];
            store_int8(&src, dim, &mut q8, &mut scales);
            let table = Table::Int8(&q8, &scales);
            let mut inv = vec![0.0; rows];
            inv_norms(table, rows, dim, &mut inv);
            for seed in 0..4 {
                let query = values(dim, 1000 + seed);
                for k in [1, 10, 64] {
                    let fast = nearest(table, rows, dim, &query, &inv, k, &[3, 4]);
                    let mut exact = TopK::new(k);
                    let mut all = vec![0.0; rows];
                    scores(table, dim, 0, &query, &inv, &mut all);
                    for (i, &s) in all.iter().enumerate() {
                        if i != 3 && i != 4 {
                            exact.push((s, i as u32));
                        }
                    }
                    let exact = exact.into_sorted();
                    assert_eq!(fast.len(), exact.len());
                    for (a, b) in fast.iter().zip(&exact) {
                        assert!((a.0 - b.0).abs() <= 1e-6, "dim {} k {}: {:?} vs {:?}", dim, k, a, b);
                    }
                    let ids = |v: &[(f32, u32)]| v.iter().map(|p| p.1).collect::<Vec<_>>();
                    // Same rows, except where two exact scores are within rounding of each other.
                    let same = ids(&fast).iter().filter(|id| ids(&exact).contains(id)).count();
                    assert!(same + 1 >= exact.len(), "dim {} k {}", dim, k);
                }
            }
        }
    }
}
