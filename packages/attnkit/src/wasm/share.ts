/**
 * Thread i of n's share of a split computation (threads/jobs.ts); one thread is i = 0,
 * n = 1, whose share is everything.
 */

/** Row chunks of a projection split are multiples of this (the linear kernel's MR = 4, ×4). */
const ROW_ALIGN = 16;

/** Rows [m0, m1) of M for thread i of n. */
export function rowRange(m: number, i: number, n: number): [number, number] {
  const chunk = Math.ceil(Math.ceil(m / n) / ROW_ALIGN) * ROW_ALIGN;
  const m0 = Math.min(m, i * chunk);
  return [m0, Math.min(m, m0 + chunk)];
}

/** Units [u0, u1) of U for thread i of n. */
export function unitRange(u: number, i: number, n: number): [number, number] {
  return [Math.floor((i * u) / n), Math.floor(((i + 1) * u) / n)];
}
