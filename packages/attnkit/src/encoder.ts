/**
 * The worked example's pipeline as one resident object:
 *   ids [S] → embeddings [S, E] → + positional encoding → self-attention → output [S, E].
 * With `{ rope }` the position enters inside attention (q and k are rotated), so the
 * inputs are the bare embeddings.
 */

import type { EmbeddingHandle, Kernels, MhaCall, MhaDims, MhaHandle } from './backend.js';
import { checkEncoder, type Position } from './checks/encoder.js';
import { Resident } from './resident.js';
import { runForward } from './mha.js';
import type { EncodeResult, Encoder, EncoderConfig, Ids } from './types.js';
import { checkIds, checkOut, describe } from './validate.js';
import { KeptVectors } from './vectors.js';

/** A positional table kept by the backend beside the embedding table, and its rows. */
interface Positions {
  table: Resident<EmbeddingHandle>;
  rows: number;
}

/** Word vectors as the encoder's table: the same engine's, and `dim` (when given) their width. */
function checkVectors(op: string, vectors: KeptVectors, dim: unknown, kernels: Kernels): { rows: number; dim: number } {
  if (vectors.kernels !== kernels) throw new TypeError(`${op}: config.table holds word vectors loaded by another engine`);
  vectors.use(op);
  if (dim !== undefined && dim !== vectors.dim) throw new RangeError(`${op}: config.dim (${describe(dim)}) must equal the word vectors' width (${vectors.dim})`);
  return { rows: vectors.rows, dim: vectors.dim };
}

/**
 * The word vectors' table, read in place: every call goes through the vectors (so using
 * them after their `dispose()` throws), and the encoder's `dispose()` leaves them alone.
 */
function borrow(vectors: KeptVectors): EmbeddingHandle {
  return {
    lookup: (ids, out) => vectors.use('encoder.encode').lookup(ids, out),
    lookupAdd: (ids, positions, out) => vectors.use('encoder.encode').lookupAdd(ids, positions, out),
    free: () => {},
  };
}

interface Attention {
  layer: Resident<MhaHandle>;
  dims: MhaDims;
  causal: boolean;
}

export class PipelineEncoder implements Encoder {
  readonly dim: number;
  private readonly rows: number;
  private readonly table: Resident<EmbeddingHandle>;
  private readonly position: Position;
  private readonly attention: Attention | undefined;
  /** The positional table in the backend: learned, or the sinusoidal rows so far (grown on demand). */
  private positions: Positions | undefined;

  constructor(private readonly kernels: Kernels, config: EncoderConfig) {
    const op = 'encoder';
    const given = typeof config === 'object' && config !== null ? (config as Partial<EncoderConfig>) : undefined;
    const vectors = given?.table instanceof KeptVectors ? given.table : undefined;
    const { rows, dim, position, attention } = checkEncoder(op, config, vectors && checkVectors(op, vectors, given?.dim, kernels));
    this.rows = rows;
    this.dim = dim;
    this.position = position;
    // All checks passed: now take the engine's memory.
    const table = vectors === undefined ? kernels.createEmbedding((config as EncoderConfig).table as Float32Array, dim) : borrow(vectors);
    let learned: EmbeddingHandle | undefined;
    let layer: MhaHandle | undefined;
    try {
      if (this.position.kind === 'learned') learned = kernels.createEmbedding(this.position.table, dim);
      layer = attention && kernels.createMha(attention.params, attention.dims);
    } catch (err) {
      // Out of memory for the positional table or the layer: keep nothing.
      learned?.free();
      table.free();
      throw err;
    }
    this.table = new Resident(table, 'encoder');
    if (learned !== undefined && this.position.kind === 'learned') this.positions = { table: new Resident(learned, 'encoder'), rows: this.position.maxLen };
    this.attention = attention && layer && { layer: new Resident(layer, 'encoder'), dims: attention.dims, causal: attention.causal };
  }

  encode(ids: Ids, out?: Float32Array): EncodeResult {
    const op = 'encoder.encode';
    const table = this.table.use(op);
    const checked = checkIds(op, ids, this.rows);
    const n = checked.length;
    const { dim, position } = this;
    if (position.kind === 'learned' && n > position.maxLen) {
      throw new RangeError(`${op}: ids.length (${n}) exceeds the learned positional table's ${position.maxLen} positions`);
    }
    const into = checkOut(op, out, n * dim, '[ids.length, dim]');
    let inputs: Float32Array;
    if (position.kind === 'sinusoidal' || position.kind === 'learned') {
      inputs = table.lookupAdd(checked, this.positionTable(n).use(op), into);
    } else {
      inputs = into ?? new Float32Array(n * dim);
      table.lookup(checked, inputs);
    }
    // Without attention the output is the inputs: the same array, not a 2nd copy of it.
    if (this.attention === undefined) return { inputs, output: inputs };

    const { layer, dims, causal } = this.attention;
    const rope = position.kind === 'rope' ? { base: position.base, interleaved: position.interleaved, offset: 0 } : undefined;
    const call: MhaCall = { batch: 1, seqLen: n, seqK: n, masks: { maskPerHead: false, causal }, rope };
    const { output, weights } = runForward(layer.use(op), inputs, dims, call, true, false);
    return { inputs, output, weights };
  }

  /**
   * Sequences of one length S encoded in one pass (what a worker pool does with concurrent
   * calls): each sequence's inputs as `encode` makes them, then the attention layer once on
   * [k, S, dim] with batch k. Each result holds only its own rows, equal to `encode(ids)`
   * alone: rows are projected independently and attention runs per (batch, head).
   */
  encodeBatch(idsList: readonly Ids[]): EncodeResult[] {
    const op = 'encoder.encode';
    const table = this.table.use(op);
    const checked = idsList.map((ids) => checkIds(op, ids, this.rows));
    const k = checked.length;
    const n = k === 0 ? 0 : checked[0].length;
    if (checked.some((ids) => ids.length !== n)) throw new RangeError(`${op}: a batch holds sequences of one length`);
    const { dim, position } = this;
    if (position.kind === 'learned' && n > position.maxLen) {
      throw new RangeError(`${op}: ids.length (${n}) exceeds the learned positional table's ${position.maxLen} positions`);
    }
    const x = new Float32Array(k * n * dim);
    for (let i = 0; i < k; i++) {
      const rows = x.subarray(i * n * dim, (i + 1) * n * dim);
      if (position.kind === 'sinusoidal' || position.kind === 'learned') table.lookupAdd(checked[i], this.positionTable(n).use(op), rows);
      else table.lookup(checked[i], rows);
    }
    const inputsOf = (i: number) => x.slice(i * n * dim, (i + 1) * n * dim);
    if (this.attention === undefined) {
      return checked.map((_, i) => {
        const inputs = inputsOf(i);
        return { inputs, output: inputs };
      });
    }
    const { layer, dims, causal } = this.attention;
    const rope = position.kind === 'rope' ? { base: position.base, interleaved: position.interleaved, offset: 0 } : undefined;
    const call: MhaCall = { batch: k, seqLen: n, seqK: n, masks: { maskPerHead: false, causal }, rope };
    const { output, weights } = runForward(layer.use(op), x, dims, call, true, false);
    const H = dims.numHeads;
    return checked.map((_, i) => ({
      inputs: inputsOf(i),
      output: output.slice(i * n * dim, (i + 1) * n * dim),
      weights: weights!.slice(i * H * n * n, (i + 1) * H * n * n),
    }));
  }

  /**
   * The positional table, with at least n rows. The sinusoidal one is computed when first
   * needed and recomputed with twice the rows (at least n) when a longer sequence arrives.
   */
  private positionTable(n: number): Resident<EmbeddingHandle> {
    if (this.positions === undefined || this.positions.rows < n) {
      const rows = Math.max(n, 2 * (this.positions?.rows ?? 0));
      const pe = new Float32Array(rows * this.dim);
      this.kernels.sinusoidalEncoding(rows, this.dim, 10000, 0, pe);
      const table = new Resident(this.kernels.createEmbedding(pe, this.dim), 'encoder');
      this.positions?.table.dispose();
      this.positions = { table, rows };
    }
    return this.positions.table;
  }

  dispose(): void {
    this.table.dispose();
    this.positions?.table.dispose();
    this.attention?.layer.dispose();
  }
}
