/**
 * BERT-family sentence encoders from a Hugging Face checkpoint: `loadModel` reads the
 * config, checks the safetensors header against it (every tensor BertModel needs, with or
 * without the `bert.` prefix, its shape and dtype) before allocating anything, then streams
 * the weights into the backend once. `forward` is `BertModel(...).last_hidden_state`;
 * `embed` adds sentence-transformers' pooling and L2 normalisation.
 */

import type { BertHandle, CheckpointDtype, Kernels, TensorSink } from '../backend.js';
import { Resident } from '../resident.js';
import { ByteReader, openSource, throwIfAborted, type OpenFile } from '../source.js';
import type { EmbedOptions, LoadModelOptions, Model, ModelInput, TokenizeOptions, TokenizedBatch } from '../types.js';
import { checkIds, checkInt, checkOptions, checkOut, describe } from '../validate.js';
import { parseConfig, type BertConfig } from './config.js';
import { readHeader, streamTensors, type Header, type TensorEntry } from './safetensors.js';
import { loadTokenizer, type TokenizerPort } from './tokenizer-port.js';
import { bertWeights, type BertDims } from './weights.js';

const SUPPORTED: readonly string[] = ['F32', 'F16', 'BF16'];
/** sentence-transformers' floor on the mean's token count, and F.normalize's on the norm. */
const MIN_TOKENS = 1e-9;
const MIN_NORM = 1e-12;

export async function loadModel(kernels: Kernels, openFile: OpenFile | undefined, options: LoadModelOptions): Promise<Model> {
  const op = 'loadModel';
  const o = checkOptions<LoadModelOptions>(op, 'options', options, false);
  const { config, dims } = parseConfig(op, o.config);
  const dtype = o.dtype ?? 'f32';
  if (dtype !== 'f32' && dtype !== 'f16') throw new RangeError(`${op}: dtype must be 'f32' or 'f16', got ${describe(dtype)}`);
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') throw new TypeError(`${op}: onProgress must be a function, got ${describe(o.onProgress)}`);
  const signal = o.signal;
  throwIfAborted(signal);
  const tokenizer = o.tokenizer !== undefined ? await loadTokenizer(op, o.tokenizer) : undefined;

  // Every piece is copied into the engine before the next is read: buffers can be reused.
  const reader = new ByteReader(await openSource(op, 'weights', o.weights, openFile, { reuse: true }), { onProgress: o.onProgress, signal });
  let handle: BertHandle | undefined;
  try {
    const header = await readHeader(reader);
    const plan = planTensors(op, header, dims, config);
    handle = kernels.createBert(dims, dtype);
    const sinks = new Map<string, TensorSink>();
    for (const { entry, slot } of plan) sinks.set(entry.name, handle.sink(slot, entry.dtype as CheckpointDtype));
    await streamTensors(reader, header, sinks);
    handle.ready?.();
    return new BertModel(handle, config, dims, tokenizer);
  } catch (err) {
    handle?.free();
    await reader.close().catch(() => {});
    throw err;
  }
}

/** The checkpoint tensor of every weight, checked against the config; throws naming the tensor or key. */
function planTensors(op: string, header: Header, dims: BertDims, config: BertConfig): { entry: TensorEntry; slot: number }[] {
  const { tensors } = header;
  const prefix = tensors.has('bert.embeddings.word_embeddings.weight') ? 'bert.' : '';
  const plan: { entry: TensorEntry; slot: number }[] = [];
  for (const w of bertWeights(dims)) {
    const name = prefix + w.name;
    // Checkpoints converted from TensorFlow name LayerNorm's weight and bias gamma and beta.
    const entry = tensors.get(name) ?? tensors.get(name.replace(/LayerNorm\.weight$/, 'LayerNorm.gamma').replace(/LayerNorm\.bias$/, 'LayerNorm.beta'));
    if (entry === undefined) {
      const why = w.layer >= 0 ? ` (config.num_hidden_layers = ${dims.layers})` : '';
      throw new Error(`${op}: the checkpoint has no tensor "${name}"${why}`);
    }
    if (!SUPPORTED.includes(entry.dtype)) throw new Error(`${op}: tensor "${entry.name}" is ${entry.dtype}; weights must be F32, F16 or BF16`);
    if (entry.shape.length !== w.shape.length || entry.shape.some((n, i) => n !== w.shape[i])) {
      throw new Error(`${op}: tensor "${entry.name}" has shape [${entry.shape.join(', ')}], but the config (${configKeys(w.name, config)}) needs [${w.shape.join(', ')}]`);
    }
    plan.push({ entry, slot: w.slot });
  }
  for (const name of tensors.keys()) {
    const layer = /^(?:bert\.)?encoder\.layer\.(\d+)\./.exec(name);
    if (layer !== null && Number(layer[1]) >= dims.layers) {
      throw new Error(`${op}: the checkpoint has tensor "${name}" but config.num_hidden_layers is ${dims.layers}`);
    }
  }
  return plan;
}

/** The config keys a weight's shape comes from, with their values. */
function configKeys(name: string, c: BertConfig): string {
  const E = `hidden_size = ${c.hiddenSize}`;
  if (name.includes('word_embeddings')) return `vocab_size = ${c.vocabSize}, ${E}`;
  if (name.includes('position_embeddings')) return `max_position_embeddings = ${c.maxPositions}, ${E}`;
  if (name.includes('token_type')) return `type_vocab_size = ${c.typeVocabSize}, ${E}`;
  if (name.includes('intermediate') || name.includes('output.dense')) return `intermediate_size = ${c.intermediateSize}, ${E}`;
  return E;
}

class BertModel implements Model {
  private readonly resident: Resident<BertHandle>;
  readonly memoryBytes: number;

  constructor(
    handle: BertHandle,
    readonly config: BertConfig,
    private readonly dims: BertDims,
    private readonly tokenizer: TokenizerPort | undefined,
  ) {
    this.resident = new Resident(handle, 'model');
    this.memoryBytes = handle.bytes;
  }

  forward(input: ModelInput, out?: Float32Array): Float32Array {
    const op = 'model.forward';
    const handle = this.resident.use(op);
    const call = this.checkInput(op, input);
    const length = call.batch * call.seqLen * this.dims.hidden;
    const result = checkOut(op, out, length, 'batch × seqLen × hiddenSize') ?? new Float32Array(length);
    if (length > 0) handle.forward(call, result);
    return result;
  }

  tokenize(texts: readonly string[], opts?: TokenizeOptions): TokenizedBatch {
    const op = 'model.tokenize';
    this.resident.use(op);
    if (this.tokenizer === undefined) throw new Error(`${op}: this model was loaded without a tokenizer; pass tokenizer (tokenizer.json) to loadModel, or give embed/forward token ids`);
    if (!Array.isArray(texts) || !texts.every((t) => typeof t === 'string')) throw new TypeError(`${op}: texts must be an array of strings, got ${describe(texts)}`);
    const o = checkOptions<TokenizeOptions>(op, 'opts', opts, true);
    const maxLength = checkInt(op, 'opts.maxLength', o.maxLength, 2, this.config.maxPositions, this.config.maxPositions);
    return this.tokenizer.encodeBatch(texts, maxLength);
  }

  embed(input: readonly string[] | ModelInput, opts?: EmbedOptions): Float32Array {
    const op = 'model.embed';
    const o = checkOptions<EmbedOptions>(op, 'opts', opts, true);
    const pooling = o.pooling ?? 'mean';
    if (pooling !== 'mean' && pooling !== 'cls' && pooling !== 'none') throw new RangeError(`${op}: opts.pooling must be 'mean', 'cls' or 'none', got ${describe(pooling)}`);
    const normalize = o.normalize ?? true;
    if (typeof normalize !== 'boolean') throw new TypeError(`${op}: opts.normalize must be a boolean, got ${describe(normalize)}`);
    this.resident.use(op);
    const batch: ModelInput = Array.isArray(input) ? this.tokenize(input as readonly string[]) : (input as ModelInput);
    const hidden = this.forward(batch);
    const { batch: B, seqLen: S } = this.checkInput(op, batch);
    const E = this.dims.hidden;
    const mask = batch.attentionMask;
    if (pooling === 'none') {
      if (normalize) for (let r = 0; r < B * S; r++) normalizeRow(hidden, r * E, E);
      return hidden;
    }
    const out = new Float32Array(B * E);
    const sum = new Float64Array(E);
    for (let b = 0; b < B; b++) {
      if (pooling === 'cls') {
        out.set(hidden.subarray(b * S * E, b * S * E + E), b * E);
      } else {
        sum.fill(0);
        let count = 0;
        for (let s = 0; s < S; s++) {
          if (mask !== undefined && mask[b * S + s] === 0) continue;
          count++;
          for (let j = 0; j < E; j++) sum[j] += hidden[(b * S + s) * E + j];
        }
        for (let j = 0; j < E; j++) out[b * E + j] = sum[j] / Math.max(count, MIN_TOKENS);
      }
      if (normalize) normalizeRow(out, b * E, E);
    }
    return out;
  }

  dispose(): void {
    this.resident.dispose();
  }

  /** The call's ids, types and padding, checked against the config. */
  private checkInput(op: string, input: ModelInput) {
    const i = checkOptions<ModelInput>(op, 'input', input, false);
    const batch = checkInt(op, 'input.batch', i.batch, 0, 2 ** 31 - 1, 1);
    const seqLen = checkInt(op, 'input.seqLen', i.seqLen, 0, this.config.maxPositions);
    const n = batch * seqLen;
    const ids = checkIds(op, i.ids, this.config.vocabSize);
    if (ids.length !== n) throw new RangeError(`${op}: input.ids must hold batch × seqLen = ${n} ids, got length ${ids.length}`);
    let typeIds: ArrayLike<number> | undefined;
    if (i.tokenTypeIds !== undefined) {
      typeIds = checkIds(op, i.tokenTypeIds, this.config.typeVocabSize);
      if (typeIds.length !== n) throw new RangeError(`${op}: input.tokenTypeIds must hold batch × seqLen = ${n} ids, got length ${typeIds.length}`);
    }
    let padding: Uint8Array | undefined;
    if (i.attentionMask !== undefined) {
      if (!(i.attentionMask instanceof Uint8Array)) throw new TypeError(`${op}: input.attentionMask must be a Uint8Array, got ${describe(i.attentionMask)}`);
      if (i.attentionMask.length !== n) throw new RangeError(`${op}: input.attentionMask must hold batch × seqLen = ${n} elements, got length ${i.attentionMask.length}`);
      padding = i.attentionMask.map((m) => (m === 0 ? 1 : 0));
    }
    return { ids, typeIds, padding, batch, seqLen };
  }
}

/** row ← row / max(‖row‖₂, 1e-12), as F.normalize. */
function normalizeRow(a: Float32Array, at: number, n: number): void {
  let sq = 0;
  for (let j = 0; j < n; j++) sq += a[at + j] * a[at + j];
  const inv = 1 / Math.max(Math.sqrt(sq), MIN_NORM);
  for (let j = 0; j < n; j++) a[at + j] *= inv;
}
