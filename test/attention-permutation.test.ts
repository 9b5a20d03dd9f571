// Attention is a weighted sum over keys: permuting keys and values together (and the
// mask's columns with them) leaves the output unchanged.

import { beforeAll, describe, it } from 'vitest';
import { expectClose } from './helpers/compare.js';
import { bothEngines, type Engines } from './helpers/engines.js';
import { rng, uniform } from './helpers/random.js';

let engines: Engines;
beforeAll(async () => {
  engines = await bothEngines();
});

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  it('permuting keys with their values and mask columns keeps the output', () => {
    const [B, S, T, H, Hkv, D] = [2, 4, 9, 4, 2, 5];
    const random = rng(11);
    const q = uniform(random, B * S * H * D);
    const k = uniform(random, B * T * Hkv * D);
    const v = uniform(random, B * T * Hkv * D);
    const mask = uniform(random, S * T);
    const padding = Uint8Array.from({ length: B * T }, (_, i) => (i % 4 === 1 ? 1 : 0));
    const perm = [3, 8, 0, 5, 1, 7, 2, 6, 4];
    const permute = (a: Float32Array, rowsPerBatch: number, width: number) => {
      const out = new Float32Array(a.length);
      for (let b = 0; b < B; b++) for (let j = 0; j < rowsPerBatch; j++) out.set(a.subarray((b * rowsPerBatch + perm[j]) * width, (b * rowsPerBatch + perm[j] + 1) * width), (b * rowsPerBatch + j) * width);
      return out;
    };
    const maskP = new Float32Array(S * T);
    for (let i = 0; i < S; i++) for (let j = 0; j < T; j++) maskP[i * T + j] = mask[i * T + perm[j]];
    const paddingP = Uint8Array.from({ length: B * T }, (_, i) => padding[Math.floor(i / T) * T + perm[i % T]]);
    const opts = { batch: B, seqQ: S, seqK: T, numHeads: H, numKvHeads: Hkv, headDim: D };
    const a = engines[backend].attention(q, k, v, { ...opts, mask, keyPaddingMask: padding }).output;
    const b = engines[backend].attention(q, permute(k, T, Hkv * D), permute(v, T, Hkv * D), { ...opts, mask: maskP, keyPaddingMask: paddingP }).output;
    // Same terms summed in another order, in f32: 1e-6.
    expectClose(b, a, 1e-6, 'permuted');
  });
});
