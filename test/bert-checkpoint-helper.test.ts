// The tests' random BERT checkpoint (test/helpers/bert-checkpoint.ts) is a well-formed
// safetensors file: header length, JSON header, data offsets that tile the data section
// exactly, every BertModel tensor with the config's shapes, and the same bytes per seed.

import { expect, it } from 'vitest';
import { bertConfig, bertTensors, MINILM_L6, randomCheckpoint, type BertShape } from './helpers/bert-checkpoint.js';

const SMALL: BertShape = { hiddenSize: 8, numLayers: 2, numHeads: 2, intermediateSize: 12, vocabSize: 50, maxPositions: 16, typeVocabSize: 2 };

function parse(file: Uint8Array) {
  const n = Number(new DataView(file.buffer, file.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + n))) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  return { n, header, dataBytes: file.length - 8 - n };
}

it('writes a header whose offsets tile the data section, one F32 tensor per BertModel tensor', () => {
  for (const prefix of ['', 'bert.']) {
    const { n, header, dataBytes } = parse(randomCheckpoint(SMALL, 1, prefix));
    expect(n % 8).toBe(0);
    const { __metadata__, ...tensors } = header;
    expect(__metadata__).toEqual({ format: 'pt' });
    expect(Object.keys(tensors)).toEqual(bertTensors(SMALL).map(([name]) => prefix + name));
    const ranges = Object.values(tensors).map((t) => t.data_offsets).sort((a, b) => a[0] - b[0]);
    let at = 0;
    for (const [begin, end] of ranges) {
      expect(begin).toBe(at);
      at = end;
    }
    expect(at).toBe(dataBytes);
    for (const [name, shape] of bertTensors(SMALL)) {
      expect(tensors[prefix + name].dtype).toBe('F32');
      expect(tensors[prefix + name].shape).toEqual(shape);
      expect(tensors[prefix + name].data_offsets[1] - tensors[prefix + name].data_offsets[0]).toBe(4 * shape.reduce((a, b) => a * b, 1));
    }
  }
});

it('the MiniLM-L6 shape has all-MiniLM-L6-v2\'s 22,713,216 parameters, and its config says so', () => {
  const count = bertTensors(MINILM_L6).reduce((sum, [, shape]) => sum + shape.reduce((a, b) => a * b, 1), 0);
  expect(count).toBe(22_713_216);
  expect(bertConfig(MINILM_L6)).toMatchObject({ model_type: 'bert', hidden_size: 384, num_hidden_layers: 6, num_attention_heads: 12, intermediate_size: 1536, vocab_size: 30522, max_position_embeddings: 512 });
});

it('is the same bytes for the same seed and different bytes for another; LayerNorm weights near 1', () => {
  const a = randomCheckpoint(SMALL, 7);
  expect(randomCheckpoint(SMALL, 7)).toEqual(a);
  expect(randomCheckpoint(SMALL, 8)).not.toEqual(a);
  const { n, header } = parse(a);
  const [begin, end] = header['encoder.layer.1.output.LayerNorm.weight'].data_offsets;
  const gamma = new Float32Array(a.slice(8 + n + begin, 8 + n + end).buffer);
  expect(Math.min(...gamma)).toBeGreaterThan(0.9);
  expect(Math.max(...gamma)).toBeLessThan(1.1);
});
