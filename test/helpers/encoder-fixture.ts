/** Seeded inputs of an encoder test: a table, a learned positional table and layer weights. */

import type { AttentionParams } from 'attnkit';
import { rng, uniform } from './random.js';

export interface EncoderFixture {
  /** [rows, dim] */
  table: Float32Array;
  /** [positions, dim], entries in ±0.1 */
  learned: Float32Array;
  /** wq, wk, wv, wo [dim, dim], entries in ±0.3, no biases */
  params: AttentionParams;
}

export function encoderFixture(seed: number, dim: number, rows: number, positions: number): EncoderFixture {
  const random = rng(seed);
  const table = uniform(random, rows * dim);
  const learned = uniform(random, positions * dim, 0.1);
  const params: AttentionParams = { wq: uniform(random, dim * dim, 0.3), wk: uniform(random, dim * dim, 0.3), wv: uniform(random, dim * dim, 0.3), wo: uniform(random, dim * dim, 0.3) };
  return { table, learned, params };
}
