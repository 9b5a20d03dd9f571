// When one key's score dominates every other, attention returns that key's value row.

import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose } from './helpers/compare.js';
import { bothEngines, type Engines } from './helpers/engines.js';
import { rng, uniform } from './helpers/random.js';

let engines: Engines;
beforeAll(async () => {
  engines = await bothEngines();
});

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  it('one-hot scores select a value row, for every query and head', () => {
    const [S, T, H, D] = [5, 7, 3, 6];
    // q_i = 40·e_(i mod D) and k_j = e_(j mod D): query i scores 40 on its key, 0 elsewhere
    // (keys j ≥ D repeat directions, so only queries whose direction is unique are checked).
    const q = new Float32Array(S * H * D);
    const k = new Float32Array(T * H * D);
    for (let i = 0; i < S; i++) for (let h = 0; h < H; h++) q[(i * H + h) * D + ((i + h) % D)] = 40;
    for (let j = 0; j < D; j++) for (let h = 0; h < H; h++) k[(j * H + h) * D + j] = 1;
    const v = uniform(rng(1), T * H * D);
    const { output, weights } = engines[backend].attention(q, k, v, { seqQ: S, seqK: T, numHeads: H, headDim: D, scale: 1, returnWeights: true });
    for (let i = 0; i < S; i++) {
      for (let h = 0; h < H; h++) {
        const j = (i + h) % D;
        // e^−40 of leak per other key times |v| ≤ 1: below 1e-16; f32 rounding: 1e-7.
        expectClose(output.subarray((i * H + h) * D, (i * H + h + 1) * D), v.subarray((j * H + h) * D, (j * H + h + 1) * D), 1e-7, `query ${i} head ${h}`);
        expect(weights![(h * S + i) * T + j]).toBeCloseTo(1, 6);
      }
    }
  });
});
