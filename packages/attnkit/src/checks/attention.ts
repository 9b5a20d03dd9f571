/**
 * Argument checks of attention: every shape, mask and option, before any work. Returns the
 * normalised call for the kernels.
 */

import type { AttentionMasks, AttentionShape } from '../backend.js';
import type { AttentionOptions } from '../types.js';
import { checkBool, checkFloat32, checkInt, checkOptions, checkPositive, describe, INT32_MAX } from '../validate.js';

/** The masks of one call, checked against [B, H, S, T]. */
export function checkMasks(
  op: string,
  o: { mask?: unknown; keyPaddingMask?: unknown; causal?: unknown },
  batch: number,
  numHeads: number,
  seqQ: number,
  seqK: number,
  causalDefault = false,
): AttentionMasks {
  const causal = checkBool(op, 'opts.causal', o.causal, causalDefault);
  let mask: Float32Array | undefined;
  let maskPerHead = false;
  if (o.mask !== undefined) {
    mask = checkFloat32(op, 'opts.mask', o.mask);
    const shared = seqQ * seqK;
    const perHead = batch * numHeads * seqQ * seqK;
    if (mask.length !== shared && mask.length !== perHead) {
      throw new RangeError(`${op}: opts.mask must hold seqQ × seqK = ${shared} or batch × numHeads × seqQ × seqK = ${perHead} elements, got length ${mask.length}`);
    }
    maskPerHead = mask.length !== shared;
  }
  let keyPaddingMask: Uint8Array | undefined;
  if (o.keyPaddingMask !== undefined) {
    if (!(o.keyPaddingMask instanceof Uint8Array)) {
      throw new TypeError(`${op}: opts.keyPaddingMask must be a Uint8Array, got ${describe(o.keyPaddingMask)}`);
    }
    if (o.keyPaddingMask.length !== batch * seqK) {
      throw new RangeError(`${op}: opts.keyPaddingMask must hold batch × seqK = ${batch * seqK} elements, got length ${o.keyPaddingMask.length}`);
    }
    keyPaddingMask = o.keyPaddingMask;
  }
  return { mask, maskPerHead, keyPaddingMask, causal };
}

export interface CheckedAttention {
  shape: AttentionShape;
  scale: number;
  masks: AttentionMasks;
  returnWeights: boolean;
}

export function checkAttention(op: string, q: unknown, k: unknown, v: unknown, opts: unknown): CheckedAttention {
  const o = checkOptions<AttentionOptions>(op, 'opts', opts, false);
  const batch = checkInt(op, 'opts.batch', o.batch, 0, INT32_MAX, 1);
  const seqQ = checkInt(op, 'opts.seqQ', o.seqQ, 0);
  const seqK = checkInt(op, 'opts.seqK', o.seqK, 0);
  const numHeads = checkInt(op, 'opts.numHeads', o.numHeads, 1);
  const numKvHeads = checkInt(op, 'opts.numKvHeads', o.numKvHeads, 1, INT32_MAX, numHeads);
  if (numHeads % numKvHeads !== 0) {
    throw new RangeError(`${op}: opts.numKvHeads (${numKvHeads}) must divide opts.numHeads (${numHeads})`);
  }
  const headDim = checkInt(op, 'opts.headDim', o.headDim, 1);
  checkFloat32(op, 'q', q, batch * seqQ * numHeads * headDim, 'batch × seqQ × numHeads × headDim');
  checkFloat32(op, 'k', k, batch * seqK * numKvHeads * headDim, 'batch × seqK × numKvHeads × headDim');
  checkFloat32(op, 'v', v, batch * seqK * numKvHeads * headDim, 'batch × seqK × numKvHeads × headDim');
  // A scale ≤ 0 would flatten or invert the attention: almost surely a bug in the caller.
  const scale = checkPositive(op, 'opts.scale', o.scale, 1 / Math.sqrt(headDim));
  const masks = checkMasks(op, o, batch, numHeads, seqQ, seqK);
  const returnWeights = checkBool(op, 'opts.returnWeights', o.returnWeights, false);
  return { shape: { batch, seqQ, seqK, numHeads, numKvHeads, headDim }, scale, masks, returnWeights };
}
