/**
 * Pretrained word vectors kept in the engine: `engine.loadVectors` and the `WordVectors`
 * object, with gensim `KeyedVectors` semantics (cosine against unit-normalised rows,
 * analogies as `most_similar(positive=[b, c], negative=[a])`, ties by lower id).
 *
 * Shared by both backends: the words and their index live here; the rows, their norms,
 * the gathers and the scan live in the backend's `VectorsHandle`.
 */

import type { EmbeddingHandle, Kernels, VectorsHandle } from './backend.js';
import { Resident } from './resident.js';
import type { OpenFile } from './source.js';
import type { Ids, LoadVectorsOptions, Neighbour, VectorDtype, WordVectors } from './types.js';
import { checkFloat32, checkIds, checkInt, checkOptions, checkOut, describe } from './validate.js';
import { readVectors, type LoadSettings } from './vectors-load.js';

const FORMATS = ['auto', 'glove', 'word2vec', 'word2vec-binary', 'npy'] as const;
const DTYPES = ['f32', 'f16', 'int8'] as const;

/** The k `nearest` and `analogy` return when none is given. */
const DEFAULT_K = 10;

function checkLoadOptions(opts: unknown): LoadSettings {
  const op = 'loadVectors';
  const o = checkOptions<LoadVectorsOptions>(op, 'opts', opts, true);
  const format = o.format ?? 'auto';
  if (!FORMATS.includes(format)) throw new TypeError(`${op}: opts.format must be one of ${FORMATS.map((f) => `'${f}'`).join(', ')}, got ${describe(format)}`);
  const dtype = o.dtype ?? 'f32';
  if (!DTYPES.includes(dtype)) throw new TypeError(`${op}: opts.dtype must be 'f32', 'f16' or 'int8', got ${describe(dtype)}`);
  const limit = o.limit === undefined ? Infinity : checkInt(op, 'opts.limit', o.limit, 1);
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') throw new TypeError(`${op}: opts.onProgress must be a function, got ${describe(o.onProgress)}`);
  if (o.signal !== undefined && !(typeof AbortSignal === 'function' && o.signal instanceof AbortSignal)) {
    throw new TypeError(`${op}: opts.signal must be an AbortSignal, got ${describe(o.signal)}`);
  }
  if (o.vocab !== undefined && format !== 'npy' && format !== 'auto') throw new TypeError(`${op}: opts.vocab is for 'npy' files only, got format '${format}'`);
  return { format, dtype, limit, vocab: o.vocab, onProgress: o.onProgress, signal: o.signal };
}

/** Loads a word-vector file into a new table of `kernels` (see `Engine.loadVectors`). */
export async function loadVectors(kernels: Kernels, openFile: OpenFile | undefined, source: unknown, opts?: LoadVectorsOptions): Promise<WordVectors> {
  const settings = checkLoadOptions(opts);
  const loaded = await readVectors(kernels, openFile, source, settings);
  return new KeptVectors(kernels, loaded.handle, loaded.words, loaded.index, loaded.duplicates, settings.dtype);
}

/** x ← x / ‖x‖ in f64 (a zero vector stays zero). */
function normalise(x: Float64Array): Float64Array {
  let s = 0;
  for (const v of x) s += v * v;
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let i = 0; i < x.length; i++) x[i] *= inv;
  return x;
}

/** A table loaded by `loadVectors`. */
export class KeptVectors implements WordVectors {
  readonly rows: number;
  readonly dim: number;
  private readonly resident: Resident<VectorsHandle>;

  constructor(
    /** The backend the rows live in. */
    readonly kernels: Kernels,
    handle: VectorsHandle,
    readonly words: readonly string[],
    private readonly index: Map<string, number>,
    readonly duplicates: number,
    readonly dtype: VectorDtype,
  ) {
    this.rows = handle.rows;
    this.dim = handle.dim;
    this.resident = new Resident(handle, 'WordVectors');
  }

  /** The live table (for an encoder that reads these rows in place). */
  use(op: string): EmbeddingHandle {
    return this.resident.use(op);
  }

  lookup(ids: Ids, out?: Float32Array): Float32Array {
    const op = 'WordVectors.lookup';
    const table = this.resident.use(op);
    const checked = checkIds(op, ids, this.rows);
    const result = checkOut(op, out, checked.length * this.dim, '[ids.length, dim]') ?? new Float32Array(checked.length * this.dim);
    table.lookup(checked, result);
    return result;
  }

  id(word: string): number {
    return this.index.get(word) ?? -1;
  }

  ids(words: readonly string[]): Int32Array {
    const op = 'WordVectors.ids';
    if (!Array.isArray(words)) throw new TypeError(`${op}: words must be an array of strings, got ${describe(words)}`);
    const out = new Int32Array(words.length);
    words.forEach((w, i) => {
      const id = this.index.get(w);
      if (id === undefined) throw new RangeError(`${op}: words[${i}] = ${describe(w)} is not in the vocabulary`);
      out[i] = id;
    });
    return out;
  }

  /** The row of a word (or an id), checked. */
  private rowOf(op: string, name: string, word: unknown): number {
    if (typeof word === 'number') {
      if (!Number.isInteger(word) || word < 0 || word >= this.rows) throw new RangeError(`${op}: ${name} = ${word} is not a row id in [0, ${this.rows})`);
      return word;
    }
    if (typeof word !== 'string') throw new TypeError(`${op}: ${name} must be a word (string), got ${describe(word)}`);
    const id = this.index.get(word);
    if (id === undefined) throw new RangeError(`${op}: ${name} = ${describe(word)} is not in the vocabulary`);
    return id;
  }

  vector(word: string | number): Float32Array {
    const op = 'WordVectors.vector';
    const table = this.resident.use(op);
    const out = new Float32Array(this.dim);
    table.lookup([this.rowOf(op, 'word', word)], out);
    return out;
  }

  /** Row `id` as a unit vector in f64. */
  private unit(table: VectorsHandle, id: number): Float64Array {
    const row = new Float32Array(this.dim);
    table.lookup([id], row);
    return normalise(Float64Array.from(row));
  }

  similarity(a: string, b: string): number {
    const op = 'WordVectors.similarity';
    const table = this.resident.use(op);
    const ua = this.unit(table, this.rowOf(op, 'a', a));
    const ub = this.unit(table, this.rowOf(op, 'b', b));
    let dot = 0;
    for (let i = 0; i < this.dim; i++) dot += ua[i] * ub[i];
    return dot;
  }

  nearest(query: string | Float32Array, k: number = DEFAULT_K, opts?: { exclude?: readonly string[] }): Neighbour[] {
    const op = 'WordVectors.nearest';
    const table = this.resident.use(op);
    const count = checkInt(op, 'k', k, 0);
    const o = checkOptions<{ exclude?: readonly string[] }>(op, 'opts', opts, true);
    const exclude: number[] = [];
    let q: Float64Array;
    if (typeof query === 'string') {
      const id = this.rowOf(op, 'query', query);
      exclude.push(id);
      q = this.unit(table, id);
    } else {
      q = normalise(Float64Array.from(checkFloat32(op, 'query', query, this.dim, 'dim')));
    }
    if (o.exclude !== undefined) {
      if (!Array.isArray(o.exclude)) throw new TypeError(`${op}: opts.exclude must be an array of words, got ${describe(o.exclude)}`);
      o.exclude.forEach((w, i) => exclude.push(this.rowOf(op, `opts.exclude[${i}]`, w)));
    }
    return this.scan(table, q, count, exclude);
  }

  analogy(a: string, b: string, c: string, k: number = DEFAULT_K): Neighbour[] {
    const op = 'WordVectors.analogy';
    const table = this.resident.use(op);
    const count = checkInt(op, 'k', k, 0);
    const ids = [this.rowOf(op, 'a', a), this.rowOf(op, 'b', b), this.rowOf(op, 'c', c)];
    const [ua, ub, uc] = ids.map((id) => this.unit(table, id));
    // gensim: the mean of the unit vectors weighted −1 (a), +1 (b), +1 (c), made unit.
    const mean = new Float64Array(this.dim);
    for (let i = 0; i < this.dim; i++) mean[i] = (ub[i] + uc[i] - ua[i]) / 3;
    return this.scan(table, normalise(mean), count, ids);
  }

  /** The k rows nearest the unit query q, best first, without `exclude`. */
  private scan(table: VectorsHandle, q: Float64Array, k: number, exclude: number[]): Neighbour[] {
    const skip = Uint32Array.from(new Set(exclude)).sort();
    const { ids, scores } = table.nearest(Float32Array.from(q), k, skip);
    return Array.from(ids, (id, i) => ({ word: this.words[id], id, score: scores[i] }));
  }

  dispose(): void {
    this.resident.dispose();
  }
}
