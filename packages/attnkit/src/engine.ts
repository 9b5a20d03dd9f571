/**
 * The public engine: checks every argument (validate.ts), allocates the result, and hands
 * the work to a backend's kernels. Both backends share this file, so they accept and
 * reject exactly the same calls.
 */

import { checkAttention } from './checks/attention.js';
import { checkConfig, checkDims, checkForward, checkMhaRope, checkParams } from './checks/mha.js';
import { checkRope } from './checks/rope.js';
import { checkSinusoidal } from './checks/sinusoidal.js';
import { checkGelu } from './checks/gelu.js';
import { checkLayerNorm } from './checks/layernorm.js';
import { checkLinear } from './checks/linear.js';
import { PipelineEncoder } from './encoder.js';
import { loadModel } from './model/bert.js';
import type { Kernels, EmbeddingHandle } from './backend.js';
import { Resident } from './resident.js';
import type { OpenFile, Source } from './source.js';
import { loadVectors } from './vectors.js';
import { ResidentMha, runForward } from './mha.js';
import type {
  AttentionOptions,
  AttentionParams,
  AttentionResult,
  Backend,
  Encoder,
  EncoderConfig,
  Engine,
  GeluOptions,
  LayerNormOptions,
  LinearOptions,
  LoadModelOptions,
  Model,
  Ids,
  MultiHeadAttentionOptions,
  MultiHeadAttentionResult,
  ResidentEmbedding,
  RopeOptions,
  SelfAttentionConfig,
  SelfAttentionLayer,
  SinusoidalOptions,
  LoadVectorsOptions,
  WordVectors,
} from './types.js';
import { checkDisjoint, checkIds, checkOptions, checkOut, checkTable } from './validate.js';

/** What an engine knows besides its kernels. */
export interface EngineContext {
  /** Why an automatic choice fell back to 'ts'. */
  fallbackReason?: string;
  /** Threads the kernels use; default 1. */
  threads?: number;
  /** Opens a file path for loaders (absent where there is no file system). */
  openFile?: OpenFile;
}

export class KernelEngine implements Engine {
  readonly fallbackReason?: string;
  readonly threads: number;
  /** Opens file paths given to loaders as sources. */
  readonly openFile?: OpenFile;

  constructor(
    private readonly kernels: Kernels,
    context: EngineContext = {},
  ) {
    if (context.fallbackReason !== undefined) this.fallbackReason = context.fallbackReason;
    this.threads = context.threads ?? 1;
    this.openFile = context.openFile;
  }

  get backend(): Backend {
    return this.kernels.backend;
  }

  get memoryBytes(): number {
    return this.kernels.memoryBytes;
  }

  embeddingLookup(table: Float32Array, dim: number, ids: Ids, out?: Float32Array): Float32Array {
    const op = 'embeddingLookup';
    const shape = checkTable(op, table, dim);
    const checkedIds = checkIds(op, ids, shape.rows);
    const result = checkOut(op, out, checkedIds.length * shape.dim, `[ids.length, dim]`) ?? new Float32Array(checkedIds.length * shape.dim);
    this.kernels.embeddingLookup(table, shape.dim, checkedIds, result);
    return result;
  }

  sinusoidalEncoding(seqLen: number, dim: number, opts?: SinusoidalOptions): Float32Array {
    const c = checkSinusoidal('sinusoidalEncoding', seqLen, dim, opts);
    const out = new Float32Array(c.seqLen * c.dim);
    this.kernels.sinusoidalEncoding(c.seqLen, c.dim, c.base, c.offset, out);
    return out;
  }

  rope(x: Float32Array, opts: RopeOptions, out?: Float32Array): Float32Array {
    const op = 'rope';
    const c = checkRope(op, x, opts);
    const result = checkOut(op, out, c.x.length, 'batch × seqLen × numHeads × headDim') ?? new Float32Array(c.x.length);
    this.kernels.rope(c.x, c.shape, c.positions, c.base, c.interleaved, result);
    return result;
  }

  embedding(table: Float32Array, dim: number): ResidentEmbedding {
    const shape = checkTable('embedding', table, dim);
    return new Embedding(this.kernels.createEmbedding(table, shape.dim), shape.rows, shape.dim);
  }

  attention(q: Float32Array, k: Float32Array, v: Float32Array, opts: AttentionOptions, out?: Float32Array): AttentionResult {
    const op = 'attention';
    const { shape, scale, masks, returnWeights } = checkAttention(op, q, k, v, opts);
    const { batch, seqQ, seqK, numHeads, headDim } = shape;
    const length = batch * seqQ * numHeads * headDim;
    const into = checkOut(op, out, length, 'batch × seqQ × numHeads × headDim');
    if (into !== undefined) checkDisjoint(op, 'out', into, { q, k, v });
    const output = into ?? new Float32Array(length);
    const weights = returnWeights ? new Float32Array(batch * numHeads * seqQ * seqK) : undefined;
    this.kernels.attention(q, k, v, shape, scale, masks, output, weights);
    return weights ? { output, weights } : { output };
  }

  multiHeadAttention(x: Float32Array, params: AttentionParams, opts: MultiHeadAttentionOptions): MultiHeadAttentionResult {
    const op = 'multiHeadAttention';
    const o = checkOptions<MultiHeadAttentionOptions>(op, 'opts', opts, false);
    const dims = checkDims(op, o, 'opts');
    const checkedParams = checkParams(op, params, dims);
    const rope = checkMhaRope(op, 'opts.rope', o.rope, dims.headDim);
    const { call, returnWeights, averageWeights } = checkForward(op, x, o, dims, rope, false);
    const layer = this.kernels.createMha(checkedParams, dims);
    try {
      return runForward(layer, x, dims, call, returnWeights, averageWeights);
    } finally {
      layer.free();
    }
  }

  selfAttention(params: AttentionParams, config: SelfAttentionConfig): SelfAttentionLayer {
    const op = 'selfAttention';
    const { dims, rope, causal } = checkConfig(op, config);
    const checkedParams = checkParams(op, params, dims);
    return new ResidentMha(this.kernels.createMha(checkedParams, dims), dims, rope, causal);
  }

  encoder(config: EncoderConfig): Encoder {
    return new PipelineEncoder(this.kernels, config);
  }

  layerNorm(x: Float32Array, weight: Float32Array, bias: Float32Array | undefined, opts: LayerNormOptions, out?: Float32Array): Float32Array {
    const op = 'layerNorm';
    const c = checkLayerNorm(op, x, weight, bias, opts);
    const result = checkOut(op, out, c.x.length, 'x.length') ?? new Float32Array(c.x.length);
    this.kernels.layerNorm(c.x, c.rows, c.dim, c.weight, c.bias, c.eps, result);
    return result;
  }

  gelu(x: Float32Array, opts?: GeluOptions, out?: Float32Array): Float32Array {
    const op = 'gelu';
    const c = checkGelu(op, x, opts);
    const result = checkOut(op, out, c.x.length, 'x.length') ?? new Float32Array(c.x.length);
    this.kernels.gelu(c.x, c.tanh, result);
    return result;
  }

  loadModel(options: LoadModelOptions): Promise<Model> {
    return loadModel(this.kernels, this.openFile, options);
  }

  linear(x: Float32Array, weight: Float32Array, bias: Float32Array | undefined, opts: LinearOptions, out?: Float32Array): Float32Array {
    const op = 'linear';
    const c = checkLinear(op, x, weight, bias, opts);
    const length = c.m * c.outFeatures;
    const result = checkOut(op, out, length, '[x.length / inFeatures, outFeatures]') ?? new Float32Array(length);
    this.kernels.linear(c.x, c.m, c.inFeatures, c.weight, c.outFeatures, c.bias, result);
    return result;
  }

  loadVectors(source: Source, opts?: LoadVectorsOptions): Promise<WordVectors> {
    return loadVectors(this.kernels, this.openFile, source, opts);
  }
}

/** A table kept inside the engine. */
class Embedding implements ResidentEmbedding {
  private readonly resident: Resident<EmbeddingHandle>;

  constructor(handle: EmbeddingHandle, readonly rows: number, readonly dim: number) {
    this.resident = new Resident(handle, 'embedding');
  }

  lookup(ids: Ids, out?: Float32Array): Float32Array {
    const op = 'embedding.lookup';
    const table = this.resident.use(op);
    const checkedIds = checkIds(op, ids, this.rows);
    const result = checkOut(op, out, checkedIds.length * this.dim, '[ids.length, dim]') ?? new Float32Array(checkedIds.length * this.dim);
    table.lookup(checkedIds, result);
    return result;
  }

  dispose(): void {
    this.resident.dispose();
  }
}
