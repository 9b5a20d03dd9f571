/**
 * Argument checks of multiHeadAttention, the resident layer (selfAttention) and the
 * encoder's layer: sizes, weights, rope and each forward's options, before any work.
 */

import type { MhaCall, MhaDims, MhaParams } from '../backend.js';
import type { AttentionParams, AttentionRope, ForwardOptions, SelfAttentionConfig } from '../types.js';
import { checkBool, checkFloat32, checkInt, checkOptions, checkPositive, describe, INT32_MAX } from '../validate.js';
import { checkMasks } from './attention.js';

/** E, H, Hkv of a layer: H divides E, Hkv divides H. */
export function checkDims(op: string, o: { embedDim?: unknown; numHeads?: unknown; numKvHeads?: unknown }, prefix: string): MhaDims {
  const embedDim = checkInt(op, `${prefix}.embedDim`, o.embedDim, 1);
  const numHeads = checkInt(op, `${prefix}.numHeads`, o.numHeads, 1);
  if (embedDim % numHeads !== 0) {
    throw new RangeError(`${op}: ${prefix}.numHeads (${numHeads}) must divide ${prefix}.embedDim (${embedDim})`);
  }
  const numKvHeads = checkInt(op, `${prefix}.numKvHeads`, o.numKvHeads, 1, INT32_MAX, numHeads);
  if (numHeads % numKvHeads !== 0) {
    throw new RangeError(`${op}: ${prefix}.numKvHeads (${numKvHeads}) must divide ${prefix}.numHeads (${numHeads})`);
  }
  return { embedDim, numHeads, numKvHeads, headDim: embedDim / numHeads };
}

/** wq, wo [E, E]; wk, wv [Hkv·D, E]; optional biases of the matching lengths. */
export function checkParams(op: string, params: unknown, dims: MhaDims): MhaParams {
  const p = checkOptions<AttentionParams>(op, 'params', params, false);
  const E = dims.embedDim;
  const kvWidth = dims.numKvHeads * dims.headDim;
  const weight = (name: keyof AttentionParams, rows: number, shape: string) => checkFloat32(op, `params.${name}`, p[name], rows * E, shape);
  const bias = (name: keyof AttentionParams, length: number, shape: string) => (p[name] === undefined ? undefined : checkFloat32(op, `params.${name}`, p[name], length, shape));
  return {
    wq: weight('wq', E, '[embedDim, embedDim]'),
    wk: weight('wk', kvWidth, '[numKvHeads × headDim, embedDim]'),
    wv: weight('wv', kvWidth, '[numKvHeads × headDim, embedDim]'),
    wo: weight('wo', E, '[embedDim, embedDim]'),
    bq: bias('bq', E, '[embedDim]'),
    bk: bias('bk', kvWidth, '[numKvHeads × headDim]'),
    bv: bias('bv', kvWidth, '[numKvHeads × headDim]'),
    bo: bias('bo', E, '[embedDim]'),
  };
}

/** A rope option: base > 0, boolean interleaved, integer offset; headDim must be even. */
export function checkMhaRope(op: string, name: string, rope: unknown, headDim: number): MhaCall['rope'] {
  if (rope === undefined) return undefined;
  const r = checkOptions<AttentionRope>(op, name, rope, false);
  if (headDim % 2 !== 0) throw new RangeError(`${op}: ${name} needs an even headDim (rotary pairs), got headDim ${headDim}`);
  return {
    base: checkPositive(op, `${name}.base`, r.base, 10000),
    interleaved: checkBool(op, `${name}.interleaved`, r.interleaved, false),
    offset: checkInt(op, `${name}.offset`, r.offset ?? 0, -INT32_MAX, INT32_MAX),
  };
}

export interface CheckedForward {
  call: MhaCall;
  returnWeights: boolean;
  averageWeights: boolean;
}

/** The per-call options of a layer on x [B, S, E] (and kv [B, T, E]). */
export function checkForward(op: string, x: unknown, opts: unknown, dims: MhaDims, rope: MhaCall['rope'], causalDefault: boolean): CheckedForward {
  const o = checkOptions<ForwardOptions>(op, 'opts', opts, false);
  const E = dims.embedDim;
  const batch = checkInt(op, 'opts.batch', o.batch, 0, INT32_MAX, 1);
  const seqLen = checkInt(op, 'opts.seqLen', o.seqLen, 0);
  checkFloat32(op, 'x', x, batch * seqLen * E, 'batch × seqLen × embedDim');
  let kv: Float32Array | undefined;
  let seqK = seqLen;
  if (o.kv !== undefined) {
    kv = checkFloat32(op, 'opts.kv', o.kv);
    if (o.seqK !== undefined) {
      seqK = checkInt(op, 'opts.seqK', o.seqK, 0);
      checkFloat32(op, 'opts.kv', kv, batch * seqK * E, 'batch × seqK × embedDim');
    } else {
      if (batch === 0 ? kv.length !== 0 : kv.length % (batch * E) !== 0) {
        const expected = batch === 0 ? 'no elements (batch is 0)' : `batch × seqK × embedDim elements (a multiple of ${batch * E})`;
        throw new RangeError(`${op}: opts.kv must hold ${expected}, got length ${kv.length}`);
      }
      // An empty batch has no keys to count: T = 0 (pass opts.seqK to shape a mask).
      seqK = batch === 0 ? 0 : kv.length / (batch * E);
    }
  } else if (o.seqK !== undefined && o.seqK !== seqLen) {
    throw new RangeError(`${op}: opts.seqK (${describe(o.seqK)}) must equal opts.seqLen (${seqLen}) without opts.kv`);
  }
  const masks = checkMasks(op, o, batch, dims.numHeads, seqLen, seqK, causalDefault);
  const returnWeights = checkBool(op, 'opts.returnWeights', o.returnWeights, false);
  const averageWeights = checkBool(op, 'opts.averageWeights', o.averageWeights, false);
  return { call: { batch, seqLen, seqK, kv, masks, rope }, returnWeights, averageWeights };
}

/** A resident layer's config. */
export function checkConfig(op: string, config: unknown): { dims: MhaDims; rope: MhaCall['rope']; causal: boolean } {
  const c = checkOptions<SelfAttentionConfig>(op, 'config', config, false);
  const dims = checkDims(op, c, 'config');
  return { dims, rope: checkMhaRope(op, 'config.rope', c.rope, dims.headDim), causal: checkBool(op, 'config.causal', c.causal, false) };
}
