// Bad calls on a loaded model: forward's ids, shapes, masks and out; embed's options;
// tokenize without a tokenizer; any use after dispose. Each error names the argument.

import { createEngine, type Model } from 'attnkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkpoint, loadModelCases, modelInput } from './helpers/model-golden.js';

const golden = loadModelCases().find((c) => c.name.includes('hidden 12'))!;

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  let model: Model;
  beforeAll(async () => {
    model = await (await createEngine({ backend })).loadModel({ config: golden.config, weights: checkpoint(golden) });
  });
  const input = modelInput(golden);

  async function throwsSync(call: () => unknown, kind: ErrorConstructor, pattern: RegExp) {
    expect(call).toThrow(kind);
    expect(call).toThrow(pattern);
  }

  it('ids out of the vocabulary, or of the wrong count', async () => {
    const ids = input.ids.slice();
    ids[4] = 40;
    await throwsSync(() => model.forward({ ...input, ids }), RangeError, /model\.forward: ids\[4\] = 40 is not a valid row: expected an integer in \[0, 40\)/);
    await throwsSync(() => model.forward({ ...input, ids: input.ids.subarray(1) }), RangeError, /input\.ids must hold batch × seqLen = 15 ids, got length 14/);
  });

  it('seqLen beyond max_position_embeddings, token types out of range, mask of the wrong kind', async () => {
    await throwsSync(() => model.forward({ ids: new Int32Array(17), seqLen: 17 }), RangeError, /input\.seqLen must be an integer in \[0, 16\], got 17/);
    const tokenTypeIds = input.tokenTypeIds.slice();
    tokenTypeIds[0] = 2;
    await throwsSync(() => model.forward({ ...input, tokenTypeIds }), RangeError, /ids\[0\] = 2 is not a valid row: expected an integer in \[0, 2\)/);
    await throwsSync(() => model.forward({ ...input, attentionMask: Array.from(input.attentionMask) as unknown as Uint8Array }), TypeError, /input\.attentionMask must be a Uint8Array, got an array/);
    await throwsSync(() => model.forward({ ...input, attentionMask: new Uint8Array(3) }), RangeError, /input\.attentionMask must hold batch × seqLen = 15 elements, got length 3/);
  });

  it('a wrong out stays untouched; an empty batch is empty', async () => {
    const out = new Float32Array(5).fill(7);
    await throwsSync(() => model.forward(input, out), RangeError, /model\.forward: out must hold batch × seqLen × hiddenSize = 180 elements/);
    expect(Array.from(out)).toEqual([7, 7, 7, 7, 7]);
    expect(model.forward({ ids: [], batch: 0, seqLen: 5 }).length).toBe(0);
    expect(model.embed({ ids: [], batch: 2, seqLen: 0 }).length).toBe(24); // zero vectors: no tokens to average
  });

  it('embed options; tokenize without a tokenizer', async () => {
    await throwsSync(() => model.embed(input, { pooling: 'max' as 'mean' }), RangeError, /opts\.pooling must be 'mean', 'cls' or 'none', got "max"/);
    await throwsSync(() => model.embed(input, { normalize: 1 as unknown as boolean }), TypeError, /opts\.normalize must be a boolean, got 1/);
    await throwsSync(() => model.tokenize(['hello']), Error, /model\.tokenize: this model was loaded without a tokenizer/);
    await throwsSync(() => model.embed(['hello']), Error, /this model was loaded without a tokenizer/);
  });

  it('pooling none returns every row; normalize false leaves the mean as it is', () => {
    const rows = model.embed(input, { pooling: 'none', normalize: false });
    expect(rows).toEqual(model.forward(input));
    const mean = model.embed(input, { normalize: false });
    const E = 12;
    let n = 0;
    for (let s = 0; s < input.seqLen; s++) if (input.attentionMask[s]) n++;
    for (let j = 0; j < E; j++) {
      let sum = 0;
      for (let s = 0; s < input.seqLen; s++) if (input.attentionMask[s]) sum += rows[s * E + j];
      expect(mean[j]).toBeCloseTo(sum / n, 6);
    }
  });

  it('a tokenizer.json the tokenizer library cannot build from is a SyntaxError naming it, before the weights are read', async () => {
    const engine = await createEngine({ backend });
    const before = engine.memoryBytes;
    await expect(engine.loadModel({ config: golden.config, weights: checkpoint(golden), tokenizer: '{"model": {}}' })).rejects.toThrow(SyntaxError);
    await expect(engine.loadModel({ config: golden.config, weights: checkpoint(golden), tokenizer: '{"model": {}}' })).rejects.toThrow(/^tokenizer\.json: /);
    await expect(engine.loadModel({ config: golden.config, weights: checkpoint(golden), tokenizer: '{"model"' })).rejects.toThrow(/loadModel: tokenizer is not valid JSON/);
    expect(engine.memoryBytes).toBe(before);
  });

  it('after dispose every use throws', async () => {
    const m = await (await createEngine({ backend })).loadModel({ config: golden.config, weights: checkpoint(golden) });
    m.dispose();
    m.dispose(); // twice is fine
    await throwsSync(() => m.forward(input), Error, /model\.forward: this model was disposed/);
    await throwsSync(() => m.embed(input), Error, /model\.embed: this model was disposed/);
  });
});
