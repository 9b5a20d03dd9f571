/**
 * Random BERT checkpoints written the way Hugging Face writes them, for tests that need a
 * whole model in a runtime without Python (workerd, the Worker example, the CLI): a
 * `config.json` object and a safetensors file (F32) holding every tensor of `BertModel`
 * with its Hugging Face name, the pooler included. Pure TypeScript with no Node built-ins,
 * so a Worker can build the same bytes from the same seed.
 *
 * safetensors: u64 little-endian header length N, N bytes of JSON
 *   { name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__": {...} }
 * (padded with spaces to a multiple of 8), then the tensors' little-endian bytes.
 */

import { rng, uniform } from './random.js';

export interface BertShape {
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  vocabSize: number;
  maxPositions: number;
  typeVocabSize: number;
}

/** all-MiniLM-L6-v2's shape: 22.7 M parameters, 90.9 MB in F32. */
export const MINILM_L6: BertShape = { hiddenSize: 384, numLayers: 6, numHeads: 12, intermediateSize: 1536, vocabSize: 30522, maxPositions: 512, typeVocabSize: 2 };

/** Hugging Face's config.json for the shape (model_type 'bert', GELU in its erf form). */
export function bertConfig(s: BertShape): Record<string, unknown> {
  return {
    architectures: ['BertModel'],
    model_type: 'bert',
    hidden_size: s.hiddenSize,
    num_hidden_layers: s.numLayers,
    num_attention_heads: s.numHeads,
    intermediate_size: s.intermediateSize,
    vocab_size: s.vocabSize,
    max_position_embeddings: s.maxPositions,
    type_vocab_size: s.typeVocabSize,
    layer_norm_eps: 1e-12,
    hidden_act: 'gelu',
    pad_token_id: 0,
    position_embedding_type: 'absolute',
  };
}

/** Every tensor of BertModel, in Hugging Face's names, with its shape. */
export function bertTensors(s: BertShape): [string, number[]][] {
  const E = s.hiddenSize;
  const I = s.intermediateSize;
  const dense = (name: string, out: number, inp: number): [string, number[]][] => [[`${name}.weight`, [out, inp]], [`${name}.bias`, [out]]];
  const norm = (name: string): [string, number[]][] => [[`${name}.weight`, [E]], [`${name}.bias`, [E]]];
  const tensors: [string, number[]][] = [
    ['embeddings.word_embeddings.weight', [s.vocabSize, E]],
    ['embeddings.position_embeddings.weight', [s.maxPositions, E]],
    ['embeddings.token_type_embeddings.weight', [s.typeVocabSize, E]],
    ...norm('embeddings.LayerNorm'),
  ];
  for (let l = 0; l < s.numLayers; l++) {
    const p = `encoder.layer.${l}`;
    tensors.push(
      ...dense(`${p}.attention.self.query`, E, E),
      ...dense(`${p}.attention.self.key`, E, E),
      ...dense(`${p}.attention.self.value`, E, E),
      ...dense(`${p}.attention.output.dense`, E, E),
      ...norm(`${p}.attention.output.LayerNorm`),
      ...dense(`${p}.intermediate.dense`, I, E),
      ...dense(`${p}.output.dense`, E, I),
      ...norm(`${p}.output.LayerNorm`),
    );
  }
  tensors.push(...dense('pooler.dense', E, E));
  return tensors;
}

/** The file's header (8-byte length, then JSON padded to 8 bytes) and its tensors' byte count. */
export function checkpointHeader(s: BertShape, prefix = ''): { header: Uint8Array; dataBytes: number; tensors: [string, number[]][] } {
  const tensors = bertTensors(s);
  const json: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let at = 0;
  for (const [name, shape] of tensors) {
    const bytes = 4 * shape.reduce((a, b) => a * b, 1);
    json[prefix + name] = { dtype: 'F32', shape, data_offsets: [at, at + bytes] };
    at += bytes;
  }
  let text = JSON.stringify(json);
  text += ' '.repeat((8 - (text.length % 8)) % 8);
  const encoded = new TextEncoder().encode(text);
  const header = new Uint8Array(8 + encoded.length);
  new DataView(header.buffer).setBigUint64(0, BigInt(encoded.length), true);
  header.set(encoded, 8);
  return { header, dataBytes: at, tensors };
}

/**
 * The random F32 values of each tensor, in file order, from `seed`: uniform ±0.035 (the
 * spread of BERT's normal(0, 0.02) initialiser), LayerNorm weights 1 ± 0.1. Each is the
 * little-endian bytes of one tensor (little-endian on every platform JS runs on here).
 */
export function* tensorBytes(tensors: [string, number[]][], seed: number): Generator<Uint8Array> {
  const random = rng(seed);
  for (const [name, shape] of tensors) {
    const count = shape.reduce((a, b) => a * b, 1);
    const values = uniform(random, count, name.includes('LayerNorm.weight') ? 0.1 : 0.035);
    if (name.includes('LayerNorm.weight')) for (let i = 0; i < count; i++) values[i] += 1;
    yield new Uint8Array(values.buffer);
  }
}

/**
 * A safetensors file of random F32 weights for the shape, from `seed` (see `tensorBytes`).
 * `prefix` is put before every name (`'bert.'`, as BertForMaskedLM and friends write them).
 */
export function randomCheckpoint(s: BertShape, seed: number, prefix = ''): Uint8Array {
  const { header, dataBytes, tensors } = checkpointHeader(s, prefix);
  const file = new Uint8Array(header.length + dataBytes);
  file.set(header);
  let offset = header.length;
  for (const bytes of tensorBytes(tensors, seed)) {
    file.set(bytes, offset);
    offset += bytes.length;
  }
  return file;
}
