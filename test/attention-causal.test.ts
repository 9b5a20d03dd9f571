// Causal masking is bottom-right aligned: query i sees keys j ≤ i + (T − S), as in
// PyTorch 2's is_causal with a KV cache and FlashAttention.

import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose } from './helpers/compare.js';
import { bothEngines, type Engines } from './helpers/engines.js';
import { rng, uniform } from './helpers/random.js';

let engines: Engines;
beforeAll(async () => {
  engines = await bothEngines();
});

const [T, H, D] = [6, 2, 4];
const k = uniform(rng(2), T * H * D);
const v = uniform(rng(3), T * H * D);

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  it('square: the weights are lower triangular', () => {
    const q = uniform(rng(1), T * H * D);
    const { weights } = engines[backend].attention(q, k, v, { seqQ: T, seqK: T, numHeads: H, headDim: D, causal: true, returnWeights: true });
    for (let h = 0; h < H; h++) for (let i = 0; i < T; i++) for (let j = 0; j < T; j++) expect(weights![(h * T + i) * T + j] > 0).toBe(j <= i);
  });

  it('one query (decoding with a cache) sees every key: equal to non-causal', () => {
    const q = uniform(rng(4), H * D);
    const opts = { seqQ: 1, seqK: T, numHeads: H, headDim: D };
    expect(engines[backend].attention(q, k, v, { ...opts, causal: true }).output).toEqual(engines[backend].attention(q, k, v, opts).output);
  });

  it('the last S queries of a causal square attend like a causal S × T call', () => {
    const S = 2;
    const qFull = uniform(rng(5), T * H * D);
    const full = engines[backend].attention(qFull, k, v, { seqQ: T, seqK: T, numHeads: H, headDim: D, causal: true }).output;
    const tail = engines[backend].attention(qFull.subarray((T - S) * H * D), k, v, { seqQ: S, seqK: T, numHeads: H, headDim: D, causal: true }).output;
    expectClose(tail, full.subarray((T - S) * H * D), 0, 'tail rows');
  });

  it('matches an explicit float64 reference', () => {
    const [S2, T2] = [3, 5];
    const q = uniform(rng(6), S2 * D);
    const kk = uniform(rng(7), T2 * D);
    const vv = uniform(rng(8), T2 * D);
    const expected: number[] = [];
    for (let i = 0; i < S2; i++) {
      const scores = Array.from({ length: T2 }, (_, j) => (j <= i + T2 - S2 ? q.subarray(i * D, i * D + D).reduce((s, x, d) => s + x * kk[j * D + d], 0) / Math.sqrt(D) : -Infinity));
      const max = Math.max(...scores);
      const p = scores.map((s) => Math.exp(s - max));
      const sum = p.reduce((a, b) => a + b, 0);
      for (let d = 0; d < D; d++) expected.push(p.reduce((acc, pj, j) => acc + (pj / sum) * vv[j * D + d], 0));
    }
    const { output } = engines[backend].attention(q, kk, vv, { seqQ: S2, seqK: T2, numHeads: 1, headDim: D, causal: true });
    // f32 result of unit-scale data: 1e-6.
    expectClose(output, expected, 1e-6, 'causal vs float64');
  });
});
