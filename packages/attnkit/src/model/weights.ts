/**
 * The weights of a BERT encoder: their names in a Hugging Face `BertModel` checkpoint,
 * their shapes from the config, and how a backend stores each kind:
 * - `table`: the word embeddings [V, E], in the storage dtype (f32 or f16);
 * - `small`: the position [P, E] and token-type [T, E] tables, always f32 (a few hundred KB);
 * - `linear`: a dense layer's weight [out, in], in the storage dtype, packed for the GEMM;
 * - `vector`: biases and LayerNorm weights [n], always f32.
 */

/** Sizes of a BERT encoder (from config.json). */
export interface BertDims {
  /** E: hidden_size. */
  hidden: number;
  /** num_hidden_layers. */
  layers: number;
  /** H: num_attention_heads (E / H = D). */
  heads: number;
  /** F: intermediate_size. */
  intermediate: number;
  /** V: vocab_size. */
  vocab: number;
  /** P: max_position_embeddings. */
  positions: number;
  /** T: type_vocab_size. */
  types: number;
  /** layer_norm_eps. */
  eps: number;
  /** hidden_act is the tanh GELU ('gelu_new', 'gelu_pytorch_tanh'). */
  tanhGelu: boolean;
}

export type WeightKind = 'table' | 'small' | 'linear' | 'vector';

/** One weight: where it lives in the model (`layer` −1 for the embeddings) and in the checkpoint. */
export interface BertWeight {
  /** Index in `bertWeights(dims)`: the backend's slot. */
  slot: number;
  layer: number;
  /** Name without the `bert.` prefix, as BertModel writes it. */
  name: string;
  shape: number[];
  kind: WeightKind;
}

/** Slots of one layer, in this order, after the five of the embeddings. */
export const LAYER_WEIGHTS = ['q', 'qBias', 'k', 'kBias', 'v', 'vBias', 'o', 'oBias', 'norm1', 'norm1Bias', 'up', 'upBias', 'down', 'downBias', 'norm2', 'norm2Bias'] as const;
export const EMBEDDING_WEIGHTS = ['word', 'position', 'tokenType', 'norm', 'normBias'] as const;

/** Every weight of the model, embeddings first, then layer by layer. */
export function bertWeights(d: BertDims): BertWeight[] {
  const out: BertWeight[] = [];
  const add = (layer: number, name: string, shape: number[], kind: WeightKind) => out.push({ slot: out.length, layer, name, shape, kind });
  const { hidden: E, intermediate: F } = d;
  add(-1, 'embeddings.word_embeddings.weight', [d.vocab, E], 'table');
  add(-1, 'embeddings.position_embeddings.weight', [d.positions, E], 'small');
  add(-1, 'embeddings.token_type_embeddings.weight', [d.types, E], 'small');
  add(-1, 'embeddings.LayerNorm.weight', [E], 'vector');
  add(-1, 'embeddings.LayerNorm.bias', [E], 'vector');
  for (let l = 0; l < d.layers; l++) {
    const p = `encoder.layer.${l}.`;
    for (const part of ['query', 'key', 'value']) {
      add(l, `${p}attention.self.${part}.weight`, [E, E], 'linear');
      add(l, `${p}attention.self.${part}.bias`, [E], 'vector');
    }
    add(l, `${p}attention.output.dense.weight`, [E, E], 'linear');
    add(l, `${p}attention.output.dense.bias`, [E], 'vector');
    add(l, `${p}attention.output.LayerNorm.weight`, [E], 'vector');
    add(l, `${p}attention.output.LayerNorm.bias`, [E], 'vector');
    add(l, `${p}intermediate.dense.weight`, [F, E], 'linear');
    add(l, `${p}intermediate.dense.bias`, [F], 'vector');
    add(l, `${p}output.dense.weight`, [E, F], 'linear');
    add(l, `${p}output.dense.bias`, [E], 'vector');
    add(l, `${p}output.LayerNorm.weight`, [E], 'vector');
    add(l, `${p}output.LayerNorm.bias`, [E], 'vector');
  }
  return out;
}

/** Slot of the embeddings' weight `i` (EMBEDDING_WEIGHTS order) or of layer l's weight `i` (LAYER_WEIGHTS order). */
export function slotOf(layer: number, i: number): number {
  return layer < 0 ? i : EMBEDDING_WEIGHTS.length + layer * LAYER_WEIGHTS.length + i;
}

/** Element count of a shape. */
export function elements(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
