/**
 * The one comparison of results against expected values, for tests and benchmarks alike.
 * NaN rule: NaN in both at the same index is equal (NaN propagates as in PyTorch); NaN in
 * one only is an infinite difference. Nothing here depends on the test runner.
 */

export interface Difference {
  /** Largest |a[i] − b[i]|. */
  maxAbs: number;
  /** Largest |a[i] − b[i]| / max(|b[i]|, 1e-3), for reports. */
  maxRel: number;
  /** Index of the largest absolute difference (−1 when equal or empty). */
  at: number;
}

/** How far `a` is from `b`, element by element, under the NaN rule above. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): Difference {
  let maxAbs = 0;
  let maxRel = 0;
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
    maxRel = Math.max(maxRel, diff / Math.max(Math.abs(y), 1e-3));
  }
  return { maxAbs, maxRel, at };
}

/**
 * Throws unless the lengths are equal and max |actual − expected| ≤ tol. `what` names the
 * case (with its random seed) so a failure says which one.
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): Difference {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length}, expected ${expected.length}`);
  const diff = maxAbsDiff(actual, expected);
  if (!(diff.maxAbs <= tol)) {
    const { maxAbs, maxRel, at } = diff;
    throw new Error(`${what}: max |Δ| = ${maxAbs.toExponential(3)} at [${at}] (${actual[at]} vs ${expected[at]}; max rel ${maxRel.toExponential(3)}) exceeds ${tol}`);
  }
  return diff;
}
