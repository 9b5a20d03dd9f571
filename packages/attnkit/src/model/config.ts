/**
 * A Hugging Face `config.json` of a BERT model, checked: every size a positive integer,
 * hidden_size a multiple of num_attention_heads, an activation the model implements.
 * Errors name the config key.
 */

import type { ModelConfig } from '../types.js';
import { describe } from '../validate.js';
import type { BertDims } from './weights.js';

/** What `model.config` reports. */
export type BertConfig = ModelConfig;

const ACTIVATIONS = ['gelu', 'gelu_new', 'gelu_pytorch_tanh'] as const;

export function parseConfig(op: string, value: unknown): { config: BertConfig; dims: BertDims } {
  let raw = value;
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw);
    } catch (err) {
      throw new SyntaxError(`${op}: config is not valid JSON: ${(err as Error).message}`);
    }
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new TypeError(`${op}: config must be config.json's object or its text, got ${describe(raw)}`);
  }
  const c = raw as Record<string, unknown>;
  if (c.model_type !== 'bert') {
    throw new Error(`${op}: config.model_type is ${describe(c.model_type)}; this loader runs BERT models (model_type "bert": all-MiniLM, bge, e5, gte, …)`);
  }
  const int = (key: string, fallback?: number): number => {
    const v = c[key] ?? fallback;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) throw new RangeError(`${op}: config.${key} must be an integer ≥ 1, got ${describe(v)}`);
    return v;
  };
  const hiddenSize = int('hidden_size');
  const numHeads = int('num_attention_heads');
  if (hiddenSize % numHeads !== 0) throw new RangeError(`${op}: config.hidden_size (${hiddenSize}) must be a multiple of config.num_attention_heads (${numHeads})`);
  const eps = c.layer_norm_eps ?? 1e-12;
  if (typeof eps !== 'number' || !(eps > 0) || !Number.isFinite(eps)) throw new RangeError(`${op}: config.layer_norm_eps must be a finite number > 0, got ${describe(eps)}`);
  const act = c.hidden_act ?? 'gelu';
  if (!ACTIVATIONS.includes(act as BertConfig['hiddenAct'])) {
    throw new Error(`${op}: config.hidden_act ${describe(act)} is not supported (expected one of ${ACTIVATIONS.join(', ')})`);
  }
  const positionType = c.position_embedding_type ?? 'absolute';
  if (positionType !== 'absolute') throw new Error(`${op}: config.position_embedding_type ${describe(positionType)} is not supported (only "absolute")`);
  const config: BertConfig = {
    hiddenSize,
    numLayers: int('num_hidden_layers'),
    numHeads,
    intermediateSize: int('intermediate_size'),
    vocabSize: int('vocab_size'),
    maxPositions: int('max_position_embeddings'),
    typeVocabSize: int('type_vocab_size', 2),
    layerNormEps: eps,
    hiddenAct: act as BertConfig['hiddenAct'],
  };
  const dims: BertDims = {
    hidden: hiddenSize,
    layers: config.numLayers,
    heads: numHeads,
    intermediate: config.intermediateSize,
    vocab: config.vocabSize,
    positions: config.maxPositions,
    types: config.typeVocabSize,
    eps,
    tanhGelu: act !== 'gelu',
  };
  return { config, dims };
}
