// A batch is the same as its sequences one at a time: the wasm forward runs a large batch
// a few sequences per pass (256 tokens), and every sequence's rows must come out with the
// same bits as when it is alone; the ts backend agrees within the model's bound.

import { ACCURACY, createEngine } from 'attnkit';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { expectClose } from './helpers/compare.js';
import { bertConfig, writeRandomBert, type BertShape } from './helpers/random-bert.js';
import { rng } from './helpers/random.js';

const SHAPE: BertShape = { hiddenSize: 32, numLayers: 1, numHeads: 4, intermediateSize: 128, vocabSize: 50, maxPositions: 80, typeVocabSize: 2 };
const dir = mkdtempSync(join(tmpdir(), 'attnkit-batch-'));
const file = join(dir, 'model.safetensors');
writeRandomBert(file, SHAPE, 5);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it.each(['f32', 'f16'] as const)('dtype %s: 10 sequences of 64 (three passes) equal each sequence alone', async (dtype) => {
  const [B, S, E] = [10, 64, SHAPE.hiddenSize];
  const random = rng(11);
  const ids = Int32Array.from({ length: B * S }, () => Math.floor(random() * SHAPE.vocabSize));
  const tokenTypeIds = Int32Array.from({ length: B * S }, () => (random() < 0.5 ? 1 : 0));
  const attentionMask = Uint8Array.from({ length: B * S }, (_, i) => (i % S < S - 5 * Math.floor(i / S) ? 1 : 0));
  const wasm = await (await createEngine({ backend: 'wasm' })).loadModel({ config: bertConfig(SHAPE), weights: file, dtype });
  const ts = await (await createEngine({ backend: 'ts' })).loadModel({ config: bertConfig(SHAPE), weights: file, dtype });
  const whole = wasm.forward({ ids, batch: B, seqLen: S, attentionMask, tokenTypeIds });
  for (let b = 0; b < B; b++) {
    const rows = [b * S, (b + 1) * S] as const;
    const alone = wasm.forward({ ids: ids.subarray(...rows), seqLen: S, attentionMask: attentionMask.subarray(...rows), tokenTypeIds: tokenTypeIds.subarray(...rows) });
    expect(new Uint32Array(whole.buffer, b * S * E * 4, S * E)).toEqual(new Uint32Array(alone.buffer));
  }
  expectClose(whole, ts.forward({ ids, batch: B, seqLen: S, attentionMask, tokenTypeIds }), 2 * ACCURACY.model.forward, `${dtype}: wasm vs ts`);
  wasm.dispose();
  ts.dispose();
});
