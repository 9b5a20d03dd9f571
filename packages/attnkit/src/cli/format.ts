/** Text formatting of vectors the way the worked example writes them: [0.11, 0.32, 0.53]. */

/** A number with at most 4 decimals and no trailing zeros (f32 noise removed). */
export function num(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const s = Number(v.toFixed(4)).toString();
  return s === '-0' ? '0' : s;
}

/** [a, b, c]; wide vectors show their first 4 and last 2 values around "…". */
export function vector(values: ArrayLike<number>, format: (v: number, i: number) => string = num): string {
  const n = values.length;
  const items = n <= 8 ? Array.from(values, format) : [...Array.from({ length: 4 }, (_, i) => format(values[i], i)), '…', format(values[n - 2], n - 2), format(values[n - 1], n - 1)];
  return `[${items.join(', ')}]`;
}

/** Row i of a [rows, dim] array. */
export function row(data: Float32Array, i: number, dim: number): Float32Array {
  return data.subarray(i * dim, (i + 1) * dim);
}

/** "love" (quoted like the worked example), padded to `width`. */
export function label(text: string, width = 0): string {
  return `"${text}"`.padEnd(width + 2);
}

/** The shortest decimal that reads back as the same float32 (0.1f → 0.1, not 0.10000000149…). */
export function f32(v: number): number {
  if (!Number.isFinite(v)) return v;
  for (let p = 1; p < 9; p++) {
    const d = Number(v.toPrecision(p));
    if (Math.fround(d) === v) return d;
  }
  return Number(v.toPrecision(9));
}

/** Longest list the text output prints in full; longer ones show their head and tail. */
export const MAX_ROWS = 24;

/** Row indices to print for `n` rows: all, or the first 20, −1 (a gap), the last 3. */
export function shownRows(n: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  return n <= MAX_ROWS ? all : [...all.slice(0, 20), -1, ...all.slice(n - 3)];
}

/** The top-left [m, m] block of a [n, n] matrix. */
export function leading(matrix: Float32Array, n: number, m: number): Float32Array {
  if (m >= n) return matrix;
  const out = new Float32Array(m * m);
  for (let i = 0; i < m; i++) out.set(matrix.subarray(i * n, i * n + m), i * m);
  return out;
}
