// createEngine({ threads: 2 }) and a loaded model: a batch of two or more sequences is
// split between the threads (each holds a copy of the weights), and the result is
// bit-identical to one thread, with f32 and f16 storage; one sequence stays on the main
// thread; dispose frees every copy.

import { createEngine, type Engine } from 'attnkit';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bertConfig, writeRandomBert, type BertShape } from './helpers/random-bert.js';
import { rng } from './helpers/random.js';

const SHAPE: BertShape = { hiddenSize: 64, numLayers: 2, numHeads: 4, intermediateSize: 256, vocabSize: 100, maxPositions: 64, typeVocabSize: 2 };
const dir = mkdtempSync(join(tmpdir(), 'attnkit-threads-'));
const file = join(dir, 'model.safetensors');
writeRandomBert(file, SHAPE, 3);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function batch(b: number, s: number, seed: number) {
  const random = rng(seed);
  const ids = Int32Array.from({ length: b * s }, () => Math.floor(random() * SHAPE.vocabSize));
  const tokenTypeIds = Int32Array.from({ length: b * s }, () => (random() < 0.3 ? 1 : 0));
  const attentionMask = Uint8Array.from({ length: b * s }, (_, i) => (i % s < s - (i / s) * 3 ? 1 : 0));
  return { ids, batch: b, seqLen: s, attentionMask, tokenTypeIds };
}

let one: Engine;
let two: Engine;
beforeAll(async () => {
  [one, two] = await Promise.all([createEngine({ backend: 'wasm' }), createEngine({ backend: 'wasm', threads: 2 })]);
});

describe.each(['f32', 'f16'] as const)('dtype %s', (dtype) => {
  it('batches of 4, 3 and 1 sequences: bit-identical to one thread', async () => {
    expect(two.threads).toBe(2);
    const [a, b] = await Promise.all([one.loadModel({ config: bertConfig(SHAPE), weights: file, dtype }), two.loadModel({ config: bertConfig(SHAPE), weights: file, dtype })]);
    for (const [B, S, seed] of [[4, 32, 1], [3, 40, 2], [1, 16, 3]]) {
      const input = batch(B, S, seed);
      const expected = a.forward(input);
      const got = b.forward(input);
      expect(new Uint32Array(got.buffer)).toEqual(new Uint32Array(expected.buffer));
      expect(b.embed(input)).toEqual(a.embed(input));
    }
    a.dispose();
    b.dispose();
  });
});

it('loading and disposing again leaves the memory flat (every thread frees its copy)', async () => {
  const load = () => two.loadModel({ config: bertConfig(SHAPE), weights: file, dtype: 'f16' });
  (await load()).dispose();
  const bytes = two.memoryBytes;
  for (let i = 0; i < 3; i++) {
    const m = await load();
    m.forward(batch(4, 32, 9));
    m.dispose();
  }
  expect(two.memoryBytes).toBe(bytes);
});
