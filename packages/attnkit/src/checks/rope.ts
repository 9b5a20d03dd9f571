/** Argument checks of rope: the shape of x [B, S, H, D], the pairing, and the positions. */

import type { BshdShape } from '../backend.js';
import { positions as sequence } from '../positions.js';
import type { RopeOptions } from '../types.js';
import { checkBool, checkFloat32, checkInt, checkOptions, checkPositive, describe, INT32_MAX } from '../validate.js';

export interface CheckedRope {
  x: Float32Array;
  shape: BshdShape;
  /** One position per sequence index: `opts.positions`, or offset + index. */
  positions: Int32Array;
  base: number;
  interleaved: boolean;
}

export function checkRope(op: string, x: unknown, opts: unknown): CheckedRope {
  const o = checkOptions<RopeOptions>(op, 'opts', opts, false);
  const batch = checkInt(op, 'opts.batch', o.batch, 0, INT32_MAX, 1);
  const seqLen = checkInt(op, 'opts.seqLen', o.seqLen, 0);
  const numHeads = checkInt(op, 'opts.numHeads', o.numHeads, 1);
  const headDim = checkInt(op, 'opts.headDim', o.headDim, 2);
  if (headDim % 2 !== 0) throw new RangeError(`${op}: opts.headDim must be even (rotary pairs), got ${headDim}`);
  const input = checkFloat32(op, 'x', x, batch * seqLen * numHeads * headDim, `batch × seqLen × numHeads × headDim`);
  const base = checkPositive(op, 'opts.base', o.base, 10000);
  const interleaved = checkBool(op, 'opts.interleaved', o.interleaved, false);
  let positions: Int32Array;
  if (o.positions !== undefined) {
    if (!(o.positions instanceof Int32Array)) {
      throw new TypeError(`${op}: opts.positions must be an Int32Array, got ${describe(o.positions)}`);
    }
    if (o.positions.length !== seqLen) {
      throw new RangeError(`${op}: opts.positions must hold seqLen = ${seqLen} positions, got length ${o.positions.length}`);
    }
    positions = o.positions;
  } else {
    positions = sequence(checkInt(op, 'opts.offset', o.offset ?? 0, -INT32_MAX, INT32_MAX - seqLen), seqLen);
  }
  return { x: input, shape: { batch, seqLen, numHeads, headDim }, positions, base, interleaved };
}
