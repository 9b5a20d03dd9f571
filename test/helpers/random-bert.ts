/**
 * Random BERT checkpoints of real shapes (MiniLM-L6, bge-small) for memory tests and
 * benchmarks: a safetensors file written tensor by tensor (never whole in memory), weights
 * uniform in ±0.05 from a fixed seed, LayerNorm weights 1.
 */

import { closeSync, openSync, writeSync } from 'node:fs';
import { rng, uniform } from './random.js';

export interface BertShape {
  layers: number;
  hidden: number;
  heads: number;
  intermediate: number;
  vocab: number;
  positions: number;
  types: number;
}

export const MINILM_L6: BertShape = { layers: 6, hidden: 384, heads: 12, intermediate: 1536, vocab: 30522, positions: 512, types: 2 };
export const BGE_SMALL: BertShape = { ...MINILM_L6, layers: 12 };

/** config.json of the shape. */
export function bertConfig(s: BertShape): Record<string, unknown> {
  return {
    model_type: 'bert',
    hidden_size: s.hidden,
    num_hidden_layers: s.layers,
    num_attention_heads: s.heads,
    intermediate_size: s.intermediate,
    vocab_size: s.vocab,
    max_position_embeddings: s.positions,
    type_vocab_size: s.types,
    layer_norm_eps: 1e-12,
    hidden_act: 'gelu',
  };
}

/** Every tensor of BertModel with the `bert.` prefix, its shape. */
export function bertTensors(s: BertShape): [string, number[]][] {
  const E = s.hidden;
  const t: [string, number[]][] = [
    ['embeddings.word_embeddings.weight', [s.vocab, E]],
    ['embeddings.position_embeddings.weight', [s.positions, E]],
    ['embeddings.token_type_embeddings.weight', [s.types, E]],
    ['embeddings.LayerNorm.weight', [E]],
    ['embeddings.LayerNorm.bias', [E]],
  ];
  for (let l = 0; l < s.layers; l++) {
    const p = `encoder.layer.${l}.`;
    for (const q of ['query', 'key', 'value']) t.push([`${p}attention.self.${q}.weight`, [E, E]], [`${p}attention.self.${q}.bias`, [E]]);
    t.push([`${p}attention.output.dense.weight`, [E, E]], [`${p}attention.output.dense.bias`, [E]]);
    t.push([`${p}attention.output.LayerNorm.weight`, [E]], [`${p}attention.output.LayerNorm.bias`, [E]]);
    t.push([`${p}intermediate.dense.weight`, [s.intermediate, E]], [`${p}intermediate.dense.bias`, [s.intermediate]]);
    t.push([`${p}output.dense.weight`, [E, s.intermediate]], [`${p}output.dense.bias`, [E]]);
    t.push([`${p}output.LayerNorm.weight`, [E]], [`${p}output.LayerNorm.bias`, [E]]);
  }
  return t.map(([n, shape]) => [`bert.${n}`, shape]);
}

/** Writes an F32 checkpoint of the shape to `path`; returns the bytes of its weights. */
export function writeRandomBert(path: string, s: BertShape, seed = 1): number {
  const tensors = bertTensors(s);
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [name, shape] of tensors) {
    const bytes = shape.reduce((a, b) => a * b, 1) * 4;
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const text = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeUInt32LE(text.length, 0);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, length);
    writeSync(fd, text);
    const random = rng(seed);
    for (const [name, shape] of tensors) {
      const n = shape.reduce((a, b) => a * b, 1);
      const data = name.endsWith('LayerNorm.weight') ? new Float32Array(n).fill(1) : uniform(random, n, 0.05);
      writeSync(fd, new Uint8Array(data.buffer));
    }
  } finally {
    closeSync(fd);
  }
  return offset;
}
