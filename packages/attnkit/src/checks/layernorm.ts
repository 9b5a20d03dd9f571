/** Argument checks of layerNorm: x [R, dim], weight [dim], bias [dim] or undefined, eps > 0. */

import type { LayerNormOptions } from '../types.js';
import { checkFloat32, checkInt, checkOptions, checkPositive } from '../validate.js';

export interface LayerNormCall {
  x: Float32Array;
  rows: number;
  dim: number;
  weight: Float32Array;
  bias: Float32Array | undefined;
  eps: number;
}

export function checkLayerNorm(op: string, x: unknown, weight: unknown, bias: unknown, opts: unknown): LayerNormCall {
  const o = checkOptions<LayerNormOptions>(op, 'opts', opts, false);
  const dim = checkInt(op, 'opts.dim', o.dim, 1);
  const eps = checkPositive(op, 'opts.eps', o.eps, 1e-5);
  const input = checkFloat32(op, 'x', x);
  if (input.length % dim !== 0) throw new RangeError(`${op}: x.length (${input.length}) must be a multiple of opts.dim (${dim})`);
  const w = checkFloat32(op, 'weight', weight, dim, 'opts.dim');
  const b = bias === undefined ? undefined : checkFloat32(op, 'bias', bias, dim, 'opts.dim');
  return { x: input, rows: input.length / dim, dim, weight: w, bias: b, eps };
}
