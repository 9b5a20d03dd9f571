/**
 * Argument checks of an encoder's config: the token table, the positional kind and the
 * attention step, before any memory is taken.
 */

import type { MhaDims, MhaParams } from '../backend.js';
import type { EncoderConfig } from '../types.js';
import { checkBool, checkFloat32, checkOptions, checkPositive, checkTable, describe } from '../validate.js';
import { checkDims, checkParams } from './mha.js';

/** How an encoder adds position. */
export type Position = { kind: 'none' } | { kind: 'sinusoidal' } | { kind: 'learned'; table: Float32Array; maxLen: number } | { kind: 'rope'; base: number; interleaved: boolean };

function checkPositional(op: string, positional: unknown, dim: number): Position {
  if (positional === 'none' || positional === 'sinusoidal') return { kind: positional };
  if (typeof positional === 'object' && positional !== null && 'learned' in positional) {
    const table = checkFloat32(op, 'config.positional.learned', (positional as { learned: unknown }).learned);
    if (table.length % dim !== 0) {
      throw new RangeError(`${op}: config.positional.learned must be [maxLen, dim]: its length (${table.length}) is not a multiple of dim (${dim})`);
    }
    return { kind: 'learned', table, maxLen: table.length / dim };
  }
  if (typeof positional === 'object' && positional !== null && 'rope' in positional) {
    const r = checkOptions<{ base?: number; interleaved?: boolean }>(op, 'config.positional.rope', (positional as { rope: unknown }).rope, false);
    return { kind: 'rope', base: checkPositive(op, 'config.positional.rope.base', r.base, 10000), interleaved: checkBool(op, 'config.positional.rope.interleaved', r.interleaved, false) };
  }
  throw new TypeError(`${op}: config.positional must be 'sinusoidal', 'none', { learned } or { rope }, got ${describe(positional)}`);
}

export interface CheckedEncoder {
  rows: number;
  dim: number;
  position: Position;
  attention?: { dims: MhaDims; params: MhaParams; causal: boolean };
}

/** `table`: the shape of a table checked already (word vectors), instead of `config.table`'s. */
export function checkEncoder(op: string, config: unknown, table?: { rows: number; dim: number }): CheckedEncoder {
  const c = checkOptions<EncoderConfig>(op, 'config', config, false);
  const { rows, dim } = table ?? checkTable(op, c.table, c.dim);
  const position = checkPositional(op, c.positional, dim);
  let attention: CheckedEncoder['attention'];
  if (c.attention !== undefined) {
    const a = checkOptions<NonNullable<EncoderConfig['attention']>>(op, 'config.attention', c.attention, false);
    const dims = checkDims(op, { embedDim: dim, numHeads: a.numHeads, numKvHeads: a.numKvHeads }, 'config.attention');
    if (position.kind === 'rope' && dims.headDim % 2 !== 0) {
      throw new RangeError(`${op}: rope needs an even head width, got dim / numHeads = ${dims.headDim}`);
    }
    attention = { dims, params: checkParams(op, a.params, dims), causal: checkBool(op, 'config.attention.causal', a.causal, false) };
  }
  return { rows, dim, position, attention };
}
