/** Comparisons that report where and by how much two results differ. */

import { expect } from 'vitest';

export interface Difference {
  maxAbs: number;
  /** Index of the largest absolute difference (−1 when equal or empty). */
  at: number;
}

/** Largest |a[i] − b[i]|; NaN in both at the same index counts as equal, in one as ∞. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): Difference {
  let maxAbs = 0;
  let at = -1;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    const d = Number.isNaN(x) && Number.isNaN(y) ? 0 : x === y ? 0 : Math.abs(x - y);
    const diff = Number.isNaN(d) ? Infinity : d;
    if (diff > maxAbs) {
      maxAbs = diff;
      at = i;
    }
  }
  return { maxAbs, at };
}

/**
 * Asserts equal lengths and max |actual − expected| ≤ tol. `what` names the case (with
 * its seed) so a failure says which one.
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  const { maxAbs, at } = maxAbsDiff(actual, expected);
  if (maxAbs > tol) {
    throw new Error(`${what}: max |Δ| = ${maxAbs} at [${at}] (${actual[at]} vs ${expected[at]}) exceeds ${tol}`);
  }
}
