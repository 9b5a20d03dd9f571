/** Argument checks of linear: x [M, in], weight [out, in], bias [out] or undefined. */

import type { LinearOptions } from '../types.js';
import { checkFloat32, checkInt, checkOptions } from '../validate.js';

export interface LinearCall {
  x: Float32Array;
  m: number;
  inFeatures: number;
  outFeatures: number;
  weight: Float32Array;
  bias: Float32Array | undefined;
}

const INT32_MAX = 2 ** 31 - 1;

export function checkLinear(op: string, x: unknown, weight: unknown, bias: unknown, opts: unknown): LinearCall {
  const o = checkOptions<LinearOptions>(op, 'opts', opts, false);
  const inFeatures = checkInt(op, 'opts.inFeatures', o.inFeatures, 1);
  const outFeatures = checkInt(op, 'opts.outFeatures', o.outFeatures, 1);
  const input = checkFloat32(op, 'x', x);
  if (input.length % inFeatures !== 0) throw new RangeError(`${op}: x.length (${input.length}) must be a multiple of opts.inFeatures (${inFeatures})`);
  const w = checkFloat32(op, 'weight', weight, outFeatures * inFeatures, '[outFeatures, inFeatures]');
  const b = bias === undefined ? undefined : checkFloat32(op, 'bias', bias, outFeatures, 'outFeatures');
  const m = input.length / inFeatures;
  if (m * outFeatures > INT32_MAX) throw new RangeError(`${op}: the result, ${m} × ${outFeatures} elements, is too large`);
  return { x: input, m, inFeatures, outFeatures, weight: w, bias: b };
}
