/** Argument checks of sinusoidalEncoding. */

import type { SinusoidalOptions } from '../types.js';
import { checkInt, checkOptions, checkPositive, INT32_MAX } from '../validate.js';

/** [seqLen, dim] with its base and offset; the table must fit 32-bit indexing. */
export function checkSinusoidal(op: string, seqLen: unknown, dim: unknown, opts: unknown): { seqLen: number; dim: number; base: number; offset: number } {
  const s = checkInt(op, 'seqLen', seqLen, 0);
  const d = checkInt(op, 'dim', dim, 1);
  const o = checkOptions<SinusoidalOptions>(op, 'opts', opts, true);
  const base = checkPositive(op, 'opts.base', o.base, 10000);
  const offset = checkInt(op, 'opts.offset', o.offset ?? 0, -INT32_MAX, INT32_MAX);
  if (s * d > INT32_MAX) throw new RangeError(`${op}: seqLen × dim = ${s * d} elements is too large`);
  return { seqLen: s, dim: d, base, offset };
}
