/**
 * The public engine: checks every argument (validate.ts), allocates the result, and hands
 * the work to a backend's kernels. Both backends share this file, so they accept and
 * reject exactly the same calls.
 */

import { checkAttention, checkConfig, checkDims, checkForward, checkParams, checkRope } from './checks/attention.js';
import { PipelineEncoder } from './encoder.js';
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
import { checkBool, checkFloat32, checkIds, checkInt, checkOptions, checkOut, checkPositive, checkTable } from './validate.js';

const INT32_MAX = 2 ** 31 - 1;

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
    const op = 'sinusoidalEncoding';
    const s = checkInt(op, 'seqLen', seqLen, 0);
    const d = checkInt(op, 'dim', dim, 1);
    const o = checkOptions<SinusoidalOptions>(op, 'opts', opts, true);
    const base = checkPositive(op, 'opts.base', o.base, 10000);
    const offset = checkInt(op, 'opts.offset', o.offset ?? 0, -INT32_MAX, INT32_MAX);
    const length = s * d;
    if (length > INT32_MAX) throw new RangeError(`${op}: seqLen × dim = ${length} elements is too large`);
    const out = new Float32Array(length);
    this.kernels.sinusoidalEncoding(s, d, base, offset, out);
    return out;
  }

  rope(x: Float32Array, opts: RopeOptions, out?: Float32Array): Float32Array {
    const op = 'rope';
    const o = checkOptions<RopeOptions>(op, 'opts', opts, false);
    const batch = checkInt(op, 'opts.batch', o.batch, 0, INT32_MAX, 1);
    const seqLen = checkInt(op, 'opts.seqLen', o.seqLen, 0);
    const numHeads = checkInt(op, 'opts.numHeads', o.numHeads, 1);
    const headDim = checkInt(op, 'opts.headDim', o.headDim, 2);
    if (headDim % 2 !== 0) throw new RangeError(`${op}: opts.headDim must be even (rotary pairs), got ${headDim}`);
    const length = batch * seqLen * numHeads * headDim;
    const input = checkFloat32(op, 'x', x, length, `batch × seqLen × numHeads × headDim`);
    const base = checkPositive(op, 'opts.base', o.base, 10000);
    const interleaved = checkBool(op, 'opts.interleaved', o.interleaved, false);
    let positions: Int32Array;
    if (o.positions !== undefined) {
      if (!(o.positions instanceof Int32Array)) {
        throw new TypeError(`${op}: opts.positions must be an Int32Array, got ${describeKind(o.positions)}`);
      }
      if (o.positions.length !== seqLen) {
        throw new RangeError(`${op}: opts.positions must hold seqLen = ${seqLen} positions, got length ${o.positions.length}`);
      }
      positions = o.positions;
    } else {
      const offset = checkInt(op, 'opts.offset', o.offset ?? 0, -INT32_MAX, INT32_MAX - seqLen);
      positions = Int32Array.from({ length: seqLen }, (_, i) => offset + i);
    }
    const result = checkOut(op, out, length, 'batch × seqLen × numHeads × headDim') ?? new Float32Array(length);
    this.kernels.rope(input, { batch, seqLen, numHeads, headDim }, positions, base, interleaved, result);
    return result;
  }

  embedding(table: Float32Array, dim: number): ResidentEmbedding {
    const shape = checkTable('embedding', table, dim);
    return new Embedding(this.kernels.createEmbedding(table, shape.dim), shape.rows, shape.dim);
  }

  attention(q: Float32Array, k: Float32Array, v: Float32Array, opts: AttentionOptions): AttentionResult {
    const { shape, scale, masks, returnWeights } = checkAttention('attention', q, k, v, opts);
    const { batch, seqQ, seqK, numHeads, headDim } = shape;
    const output = new Float32Array(batch * seqQ * numHeads * headDim);
    const weights = returnWeights ? new Float32Array(batch * numHeads * seqQ * seqK) : undefined;
    this.kernels.attention(q, k, v, shape, scale, masks, output, weights);
    return weights ? { output, weights } : { output };
  }

  multiHeadAttention(x: Float32Array, params: AttentionParams, opts: MultiHeadAttentionOptions): MultiHeadAttentionResult {
    const op = 'multiHeadAttention';
    const o = checkOptions<MultiHeadAttentionOptions>(op, 'opts', opts, false);
    const dims = checkDims(op, o, 'opts');
    const checkedParams = checkParams(op, params, dims);
    const rope = checkRope(op, 'opts.rope', o.rope, dims.headDim);
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

  loadVectors(source: Source, opts?: LoadVectorsOptions): Promise<WordVectors> {
    return loadVectors(this.kernels, this.openFile, source, opts);
  }
}

function describeKind(value: unknown): string {
  return value === null ? 'null' : typeof value === 'object' ? `a ${value.constructor?.name ?? 'Object'}` : typeof value;
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
