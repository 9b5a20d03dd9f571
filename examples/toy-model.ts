/**
 * The examples' toy model: words hashed into a 1024-row table, 16-wide vectors, sinusoidal
 * positions and one 2-head self-attention layer, all from a fixed seed (untrained: the
 * weights are random, the plumbing is real). Swap in a checkpoint's tensors ([out, in]
 * Linear weights, as PyTorch stores them) to make it mean something.
 */

import type { Encoder, EncoderConfig, Engine } from 'attnkit';

export const ROWS = 1024;
export const DIM = 16;
export const HEADS = 2;

/** Lower-case words and punctuation; each maps to a row by FNV-1a hash. */
export function tokenize(sentence: string): { tokens: string[]; ids: Int32Array } {
  const tokens = sentence.toLowerCase().match(/[\p{L}\p{N}']+|[^\s\p{L}\p{N}]/gu) ?? [];
  const ids = Int32Array.from(tokens, (token) => {
    let h = 0x811c9dc5;
    for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), 0x01000193);
    return (h >>> 0) % ROWS;
  });
  return { tokens, ids };
}

/** Uniform values in [−scale, scale) from a xorshift32 stream. */
function random(length: number, seed: number, scale: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length }, () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) / 2 ** 32 * 2 - 1) * scale;
  });
}

/**
 * The toy encoder's configuration: `dim`-wide vectors and `heads` heads (16 and 2 unless a
 * load test asks for a bigger layer), the same numbers on every call.
 */
export function toyConfig(dim = DIM, heads = HEADS): EncoderConfig {
  const w = (seed: number) => random(dim * dim, seed, 1 / Math.sqrt(dim));
  return {
    table: random(ROWS * dim, 1, 1),
    dim,
    positional: 'sinusoidal',
    attention: { params: { wq: w(2), wk: w(3), wv: w(4), wo: w(5) }, numHeads: heads },
  };
}

/** The toy encoder on `engine` (dispose it when done). */
export function toyEncoder(engine: Engine): Encoder {
  return engine.encoder(toyConfig());
}

/** weights [H, S, S] as nested arrays: heads → query rows → key columns. */
export function nested(weights: Float32Array, seqLen: number): number[][][] {
  return Array.from({ length: HEADS }, (_, h) =>
    Array.from({ length: seqLen }, (_, i) => Array.from(weights.subarray((h * seqLen + i) * seqLen, (h * seqLen + i + 1) * seqLen))),
  );
}

/** A sentence's tokens and attention weights with the toy model. */
export function attend(encoder: Encoder, sentence: string): { tokens: string[]; weights: number[][][] } {
  const { tokens, ids } = tokenize(sentence);
  const { weights } = encoder.encode(ids);
  return { tokens, weights: nested(weights!, ids.length) };
}
