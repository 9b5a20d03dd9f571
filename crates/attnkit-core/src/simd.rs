//! `F32x4`: four `f32` lanes. On `wasm32` with `+simd128` it is a `v128`; everywhere else
//! (the host `cargo test`) it is a plain array with the same semantics, so the kernels are
//! written once and tested on both.

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod imp {
    use core::arch::wasm32::*;

    #[derive(Clone, Copy)]
    pub struct F32x4(v128);

    impl F32x4 {
        #[inline(always)]
        pub fn splat(x: f32) -> Self {
            F32x4(f32x4_splat(x))
        }
        /// Loads 4 floats from `p` (no alignment needed: wasm loads are unaligned).
        ///
        /// # Safety
        /// `p..p+4` must be readable.
        #[inline(always)]
        pub unsafe fn load(p: *const f32) -> Self {
            F32x4(v128_load(p as *const v128))
        }
        /// # Safety
        /// `p..p+4` must be writable.
        #[inline(always)]
        pub unsafe fn store(self, p: *mut f32) {
            v128_store(p as *mut v128, self.0)
        }
        #[inline(always)]
        pub fn add(self, o: Self) -> Self {
            F32x4(f32x4_add(self.0, o.0))
        }
        #[inline(always)]
        pub fn sub(self, o: Self) -> Self {
            F32x4(f32x4_sub(self.0, o.0))
        }
        #[inline(always)]
        pub fn mul(self, o: Self) -> Self {
            F32x4(f32x4_mul(self.0, o.0))
        }
        /// [a, b, c, d] → [b, a, d, c]: swaps the members of each adjacent pair.
        #[inline(always)]
        pub fn swap_pairs(self) -> Self {
            F32x4(i32x4_shuffle::<1, 0, 3, 2>(self.0, self.0))
        }
        /// a + b + c + d, summed as (a + c) + (b + d) on both paths.
        #[inline(always)]
        pub fn sum(self) -> f32 {
            let v = self.0;
            (f32x4_extract_lane::<0>(v) + f32x4_extract_lane::<2>(v)) + (f32x4_extract_lane::<1>(v) + f32x4_extract_lane::<3>(v))
        }
        /// Lane 0.
        #[inline(always)]
        pub fn first(self) -> f32 {
            f32x4_extract_lane::<0>(self.0)
        }
        /// Lane-wise maximum; NaN in either lane gives NaN (wasm's f32x4.max).
        #[inline(always)]
        pub fn max(self, o: Self) -> Self {
            F32x4(f32x4_max(self.0, o.0))
        }
        /// Lanes of `self`, with 0 where `x < lo` (NaN in x keeps the lane).
        #[inline(always)]
        pub fn zero_where_below(self, x: Self, lo: Self) -> Self {
            F32x4(v128_andnot(self.0, f32x4_lt(x.0, lo.0)))
        }
        /// `o` where self < o, else self (wasm's pseudo-maximum, one `maxps` on x86,
        /// where `max` needs several instructions for its NaN rules). NaN in `o` is
        /// ignored; NaN in `self` stays.
        #[inline(always)]
        pub fn pmax(self, o: Self) -> Self {
            F32x4(f32x4_pmax(self.0, o.0))
        }
        /// 2ⁿ from t = n + 1.5·2²³ (n integral in [−126, 127]): t's low mantissa bits
        /// hold n, so (bits(t) + 127) << 23 is 2ⁿ's bit pattern — no float→int conversion.
        #[inline(always)]
        pub fn pow2_from_rounded(t: Self) -> Self {
            F32x4(i32x4_shl(i32x4_add(t.0, i32x4_splat(127)), 23))
        }
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod imp {
    #[derive(Clone, Copy)]
    pub struct F32x4([f32; 4]);

    impl F32x4 {
        #[inline(always)]
        pub fn splat(x: f32) -> Self {
            F32x4([x; 4])
        }
        /// # Safety
        /// `p..p+4` must be readable.
        #[inline(always)]
        pub unsafe fn load(p: *const f32) -> Self {
            F32x4(core::ptr::read_unaligned(p as *const [f32; 4]))
        }
        /// # Safety
        /// `p..p+4` must be writable.
        #[inline(always)]
        pub unsafe fn store(self, p: *mut f32) {
            core::ptr::write_unaligned(p as *mut [f32; 4], self.0)
        }
        #[inline(always)]
        pub fn add(self, o: Self) -> Self {
            self.zip(o, |a, b| a + b)
        }
        #[inline(always)]
        pub fn sub(self, o: Self) -> Self {
            self.zip(o, |a, b| a - b)
        }
        #[inline(always)]
        pub fn mul(self, o: Self) -> Self {
            self.zip(o, |a, b| a * b)
        }
        /// [a, b, c, d] → [b, a, d, c]: swaps the members of each adjacent pair.
        #[inline(always)]
        pub fn swap_pairs(self) -> Self {
            let a = self.0;
            F32x4([a[1], a[0], a[3], a[2]])
        }
        /// a + b + c + d, summed as (a + c) + (b + d) on both paths.
        #[inline(always)]
        pub fn sum(self) -> f32 {
            let a = self.0;
            (a[0] + a[2]) + (a[1] + a[3])
        }
        /// Lane 0.
        #[inline(always)]
        pub fn first(self) -> f32 {
            self.0[0]
        }
        /// Lane-wise maximum; NaN in either lane gives NaN (wasm's f32x4.max).
        #[inline(always)]
        pub fn max(self, o: Self) -> Self {
            self.zip(o, |a, b| if a.is_nan() || b.is_nan() { f32::NAN } else { a.max(b) })
        }
        /// Lanes of `self`, with 0 where `x < lo` (NaN in x keeps the lane).
        #[inline(always)]
        pub fn zero_where_below(self, x: Self, lo: Self) -> Self {
            let (s, x, lo) = (self.0, x.0, lo.0);
            F32x4([0, 1, 2, 3].map(|i| if x[i] < lo[i] { 0.0 } else { s[i] }))
        }
        /// `o` where self < o, else self (wasm's pseudo-maximum, one `maxps` on x86,
        /// where `max` needs several instructions for its NaN rules). NaN in `o` is
        /// ignored; NaN in `self` stays.
        #[inline(always)]
        pub fn pmax(self, o: Self) -> Self {
            self.zip(o, |a, b| if a < b { b } else { a })
        }
        /// 2ⁿ from t = n + 1.5·2²³ (n integral in [−126, 127]): t's low mantissa bits
        /// hold n, so (bits(t) + 127) << 23 is 2ⁿ's bit pattern — no float→int conversion.
        #[inline(always)]
        pub fn pow2_from_rounded(t: Self) -> Self {
            F32x4(t.0.map(|v| f32::from_bits(v.to_bits().wrapping_add(127) << 23)))
        }
        #[inline(always)]
        fn zip(self, o: Self, f: impl Fn(f32, f32) -> f32) -> Self {
            let (a, b) = (self.0, o.0);
            F32x4([f(a[0], b[0]), f(a[1], b[1]), f(a[2], b[2]), f(a[3], b[3])])
        }
    }
}

pub use imp::F32x4;

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

/// out ← a + b, elementwise over `n = out.len()` floats; 16 per step (4 vectors), then 4,
/// then 1.
///
/// The 16-float step is written out by hand: the rustc that builds the shipped `.wasm`
/// leaves a `for k in (0..16).step_by(4)` as a loop with a state flag per vector, which
/// made the embedding's fused lookup + add much slower. The pointers advance with the loop
/// (one add per stream per step, not one per access).
pub fn add(a: &[f32], b: &[f32], out: &mut [f32]) {
    let n = out.len();
    assert!(a.len() >= n && b.len() >= n);
    // SAFETY: `o` never passes `end`, and a and b hold at least n floats, so every access
    // is at an offset below n in all three slices.
    unsafe {
        let (mut pa, mut pb, mut o) = (a.as_ptr(), b.as_ptr(), out.as_mut_ptr());
        let end = o.add(n);
        let end16 = o.add(n & !15);
        while o < end16 {
            let x0 = F32x4::load(pa).add(F32x4::load(pb));
            let x1 = F32x4::load(pa.add(4)).add(F32x4::load(pb.add(4)));
            let x2 = F32x4::load(pa.add(8)).add(F32x4::load(pb.add(8)));
            let x3 = F32x4::load(pa.add(12)).add(F32x4::load(pb.add(12)));
            x0.store(o);
            x1.store(o.add(4));
            x2.store(o.add(8));
            x3.store(o.add(12));
            pa = pa.add(16);
            pb = pb.add(16);
            o = o.add(16);
        }
        let end4 = o.add(end.offset_from(o) as usize & !3);
        while o < end4 {
            F32x4::load(pa).add(F32x4::load(pb)).store(o);
            pa = pa.add(4);
            pb = pb.add(4);
            o = o.add(4);
        }
        while o < end {
            *o = *pa + *pb;
            pa = pa.add(1);
            pb = pb.add(1);
            o = o.add(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_matches_scalar_for_every_tail_length() {
        for n in 0..40 {
            let a: Vec<f32> = (0..n).map(|i| i as f32 * 0.5 - 3.0).collect();
            let b: Vec<f32> = (0..n).map(|i| (i * i) as f32 * 0.25).collect();
            let mut out = vec![f32::NAN; n];
            add(&a, &b, &mut out);
            for i in 0..n {
                assert_eq!(out[i], a[i] + b[i], "n={} i={}", n, i);
            }
        }
    }
}
