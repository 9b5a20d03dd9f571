/** 16-bit floats for the TS backend, as crates/attnkit-core/src/half.rs: f16/bf16 → f32 exact, f32 → f16 round to nearest even. */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** f16 bits → value. */
export function f16ToF32(h: number): number {
  const e = (h >> 10) & 31;
  const m = h & 1023;
  const sign = h & 0x8000 ? -1 : 1;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 31) return m === 0 ? sign * Infinity : NaN;
  return sign * (1024 + m) * 2 ** (e - 25);
}

/** bf16 bits → value. */
export function bf16ToF32(h: number): number {
  u32[0] = h << 16;
  return f32[0];
}

/** value → f16 bits, rounded to nearest even (±∞ beyond 65519.99…, NaN → quiet NaN). */
export function f32ToF16(x: number): number {
  f32[0] = x;
  const bits = u32[0];
  const sign = (bits >>> 16) & 0x8000;
  const abs = bits & 0x7fffffff;
  if (abs > 0x7f800000) return sign | 0x7e00;
  if (abs >= 0x47800000) return sign | 0x7c00;
  if (abs < 0x38800000) {
    // subnormal: units of 2⁻²⁴, rounded half to even
    u32[0] = abs;
    const units = f32[0] * 2 ** 24;
    let r = Math.round(units);
    if (r - units === 0.5 && r % 2 === 1) r -= 1;
    return sign | r;
  }
  const odd = (abs >>> 13) & 1;
  const rounded = (abs - 0x38000000 + 0x0fff + odd) >>> 13;
  return sign | Math.min(rounded, 0x7c00);
}
