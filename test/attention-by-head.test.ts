// The wasm backend runs large attention calls one kv head at a time through linear memory
// (packages/attnkit/src/wasm/attention.ts). That path must give exactly what taking every
// kv head of a batch at once gives — same kernel, same sums — for every feature of a call,
// and it must keep linear memory small.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ACCURACY, createEngine } from 'attnkit';
import { describe, expect, it } from 'vitest';
import type { AttentionMasks, AttentionShape } from '../packages/attnkit/src/backend.js';
import { attentionUnits, BY_HEAD_BYTES } from '../packages/attnkit/src/wasm/attention.js';
import { type CoreExports, WasmCore } from '../packages/attnkit/src/wasm/core.js';
import { expectClose } from './helpers/compare.js';
import { int, pick, rng, uniform } from './helpers/random.js';

const wasmPath = createRequire(import.meta.url).resolve('attnkit/attnkit.wasm');
const core = new WasmCore(new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmPath))).exports as unknown as CoreExports);

describe('attention one kv head at a time equals every kv head at once, bit for bit', () => {
  for (let seed = 1; seed <= 60; seed++) {
    it(`seed ${seed}`, () => {
      const random = rng(seed);
      const numKvHeads = int(random, 1, 3);
      const shape: AttentionShape = { batch: int(random, 1, 3), seqQ: int(random, 1, 40), seqK: int(random, 1, 40), numHeads: numKvHeads * int(random, 1, 3), numKvHeads, headDim: pick(random, [1, 3, 8, 17, 64]) };
      const { batch: B, seqQ: S, seqK: T, numHeads: H, headDim: D } = shape;
      const maskPerHead = random() < 0.5;
      const masks: AttentionMasks = {
        mask: random() < 0.5 ? uniform(random, maskPerHead ? B * H * S * T : S * T).map((x) => (x > 0.7 ? -Infinity : x)) : undefined,
        maskPerHead,
        keyPaddingMask: random() < 0.5 ? Uint8Array.from({ length: B * T }, () => (random() < 0.3 ? 1 : 0)) : undefined,
        causal: random() < 0.5,
      };
      const q = uniform(random, B * S * H * D, 2);
      const k = uniform(random, B * T * numKvHeads * D, 2);
      const v = uniform(random, B * T * numKvHeads * D, 2);
      const inputs = [q, k, v].map((x) => x.slice());
      const withWeights = random() < 0.5;
      const [outWhole, outByHead] = [0, 1].map(() => new Float32Array(B * S * H * D).fill(NaN));
      const [wWhole, wByHead] = [0, 1].map(() => (withWeights ? new Float32Array(B * H * S * T).fill(NaN) : undefined));
      const scale = 1 / Math.sqrt(D);
      const units = B * numKvHeads;
      attentionUnits(core, { q, k, v, mask: masks.mask, padding: masks.keyPaddingMask, out: outWhole, weights: wWhole }, shape, scale, masks, 0, units, numKvHeads);
      attentionUnits(core, { q, k, v, mask: masks.mask, padding: masks.keyPaddingMask, out: outByHead, weights: wByHead }, shape, scale, masks, 0, units, 1);
      expect(outByHead).toEqual(outWhole);
      expect(wByHead).toEqual(wWhole);
      expect([q, k, v]).toEqual(inputs); // inputs untouched
    });
  }
});

it('a call above the by-head threshold keeps linear memory small and matches the ts backend', async () => {
  // k and v [1, T, 64, 4] with T = 65536: 64 MiB each, 128 MiB of tensors in all (> BY_HEAD_BYTES),
  // but only S·T·H·D = 67 M multiply-adds per product.
  const shape = { seqQ: 4, seqK: 65536, numHeads: 64, headDim: 4 };
  const random = rng(7);
  const q = uniform(random, shape.seqQ * shape.numHeads * shape.headDim);
  const k = uniform(random, shape.seqK * shape.numHeads * shape.headDim);
  const v = uniform(random, shape.seqK * shape.numHeads * shape.headDim);
  expect(4 * (q.length * 2 + k.length + v.length)).toBeGreaterThan(BY_HEAD_BYTES);
  const [wasm, ts] = await Promise.all([createEngine({ backend: 'wasm' }), createEngine({ backend: 'ts' })]);
  const before = wasm.memoryBytes;
  const got = wasm.attention(q, k, v, shape).output;
  // One head: K_h, V_h [T, 4] and their packed copies (4 × 1 MiB), Q_h and O_h, and the
  // kernel's 32 × 256 score block: well under the 128 MiB a whole copy would take.
  expect(wasm.memoryBytes - before).toBeLessThan(16 * 2 ** 20);
  // f32 sums over 65536 keys against the ts backend's f64 sums.
  expectClose(got, ts.attention(q, k, v, shape).output, ACCURACY.attention.manyKeys, 'by-head vs ts');
});
