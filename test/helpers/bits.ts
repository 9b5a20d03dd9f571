/** Bit-for-bit comparison of float results (NaN payloads and the sign of zero included). */

import { expect } from 'vitest';

/** Asserts `actual` has `expected`'s length and bits, naming the first difference. */
export function expectSameBits(actual: Float32Array | undefined, expected: Float32Array | undefined, what = ''): void {
  expect(actual, `${what}: result`).toBeInstanceOf(Float32Array);
  expect(actual!.length, `${what}: length`).toBe(expected!.length);
  const a = new Uint32Array(actual!.buffer, actual!.byteOffset, actual!.length);
  const e = new Uint32Array(expected!.buffer, expected!.byteOffset, expected!.length);
  let first = -1;
  for (let i = 0; i < a.length && first < 0; i++) if (a[i] !== e[i]) first = i;
  expect(first, first < 0 ? '' : `${what}: first difference at ${first}: ${actual![first]} vs ${expected![first]}`).toBe(-1);
}
