/** Argument checks of gelu: x any Float32Array, approximate 'none' (default) or 'tanh'. */

import type { GeluOptions } from '../types.js';
import { checkFloat32, checkOptions, describe } from '../validate.js';

export function checkGelu(op: string, x: unknown, opts: unknown): { x: Float32Array; tanh: boolean } {
  const o = checkOptions<GeluOptions>(op, 'opts', opts, true);
  const input = checkFloat32(op, 'x', x);
  const approximate = o.approximate ?? 'none';
  if (approximate !== 'none' && approximate !== 'tanh') {
    throw new RangeError(`${op}: opts.approximate must be 'none' or 'tanh', got ${describe(approximate)}`);
  }
  return { x: input, tanh: approximate === 'tanh' };
}
