/**
 * What a pool offers, as tables: the engine's stateless ops and its resident objects, with
 * where each method keeps its options (and so its `signal`), its `out` array, and how
 * concurrent calls run as one batch. The pool's thread and every worker read the same
 * tables, so a new op or resident object is one entry here, not new plumbing.
 *
 * An entry for a loader (`engine.loadVectors(source, opts)`, `engine.loadModel(opts)`)
 * names the arguments that hold a Source in `sources`: the pool reads such a source once,
 * on its own thread, into a SharedArrayBuffer that every worker then loads from (and a
 * replaced worker reloads from); an async maker is awaited in each worker.
 *
 * Nothing here names a Node built-in.
 */

import type { PipelineEncoder } from '../encoder.js';
import type { ForwardOptions, Ids, ResidentEmbedding, SelfAttentionLayer } from '../types.js';

/** How concurrent calls of one method on one object run as one. */
export interface BatchSpec {
  /**
   * Calls with equal keys may run together; `undefined`: this call runs alone. Runs on the
   * pool's thread, before the call is queued; `props` are the object's properties.
   */
  key(args: readonly unknown[], props: Readonly<Record<string, unknown>>): string | undefined;
  /** Rows a call adds to a batch (a batch stops growing at {@link MAX_BATCH_ROWS}). */
  rows(args: readonly unknown[]): number;
  /**
   * Runs calls sharing one key on `object` in a worker: one result per call, each what the
   * call alone returns. Throwing makes the worker run the calls one by one instead (so a
   * bad call gets its own error and the others their results).
   */
  run(object: never, calls: unknown[][]): unknown[];
}

export interface MethodSpec {
  /** Index of the options argument, whose `signal` the pool takes; absent: the method accepts a last `{ signal }`. */
  options?: number;
  /**
   * Without `options`: how many leading arguments are always the method's own, so a plain
   * object among them (a model's `forward({ ids, … })`) is not taken for `{ signal }`;
   * default 1.
   */
  leading?: number;
  /** Index of an optional `out` array: the worker fills a copy, the pool copies it into the caller's array. */
  out?: number;
  batch?: BatchSpec;
}

export interface ResidentSpec {
  /** Index of the creation's options argument (its `signal` and `onProgress` stay on the pool's thread). */
  options?: number;
  /** Paths of arguments holding a Source, e.g. `'0'` or `'0.weights'`: read once and shared as bytes. */
  sources?: readonly string[];
  /** What the object is called in errors ("this layer was disposed"). */
  noun: string;
  /** Plain properties copied from the worker's object when it is created. */
  props: readonly string[];
  methods: Readonly<Record<string, MethodSpec>>;
}

/** A batch stops growing at this many rows (tokens, ids, or batch × sequence rows). */
export const MAX_BATCH_ROWS = 256;

/** The engine's stateless ops, each run whole by one worker. */
export const STATELESS: Readonly<Record<string, MethodSpec>> = {
  embeddingLookup: { out: 3 },
  sinusoidalEncoding: { options: 2 },
  rope: { options: 1, out: 2 },
  attention: { options: 3, out: 4 },
  multiHeadAttention: { options: 2 },
  layerNorm: { options: 3, out: 4 },
  gelu: { options: 1, out: 2 },
  linear: { options: 3, out: 4 },
};

const isIds = (ids: unknown): ids is Ids => Array.isArray(ids) || ids instanceof Int32Array || ids instanceof Uint32Array;

/** Lookups concatenate their ids: one gather, then each caller's rows. */
const lookupBatch: BatchSpec = {
  key: (args) => (args[1] === undefined && isIds(args[0]) ? 'ids' : undefined),
  rows: (args) => (args[0] as Ids).length,
  run(object: ResidentEmbedding, calls) {
    const all: number[] = [];
    for (const [ids] of calls) for (const id of ids as Ids) all.push(id);
    const rows = object.lookup(all);
    const E = object.dim;
    let at = 0;
    return calls.map(([ids]) => rows.slice(at * E, (at += (ids as Ids).length) * E));
  },
};

/**
 * Encodes of one length run as one batch [k, S, dim]: the lookups and positional adds row
 * by row, the attention layer once with batch k.
 */
const encodeBatch: BatchSpec = {
  key: (args) => (args[1] === undefined && isIds(args[0]) ? `${(args[0] as Ids).length}` : undefined),
  rows: (args) => (args[0] as Ids).length,
  run: (object: PipelineEncoder, calls) => object.encodeBatch(calls.map(([ids]) => ids as Ids)),
};

/** T of a forward call, as the engine derives it. */
function keyLength(o: ForwardOptions, embedDim: number): number {
  return o.seqK ?? (o.kv !== undefined ? o.kv.length / ((o.batch ?? 1) * embedDim) : o.seqLen);
}

/**
 * Forwards of one shape (S, T, flags; no `mask`) run as one call whose batch is the sum of
 * theirs: x, kv and keyPaddingMask are concatenated along the batch, the result split back.
 */
const forwardBatch: BatchSpec = {
  key(args, props) {
    const o = args[1] as ForwardOptions | undefined;
    if (typeof o !== 'object' || o === null || o.mask !== undefined || !(args[0] instanceof Float32Array)) return undefined;
    const E = props.embedDim as number;
    return [o.seqLen, keyLength(o, E), String(o.causal), Boolean(o.returnWeights), Boolean(o.averageWeights), o.kv !== undefined, o.keyPaddingMask !== undefined].join('|');
  },
  rows: (args) => ((args[1] as ForwardOptions).batch ?? 1) * (args[1] as ForwardOptions).seqLen,
  run(layer: SelfAttentionLayer, calls) {
    const E = layer.embedDim;
    const H = layer.numHeads;
    const first = calls[0][1] as ForwardOptions;
    const S = first.seqLen;
    const T = keyLength(first, E);
    const sizes = calls.map(([, o]) => (o as ForwardOptions).batch ?? 1);
    const B = sizes.reduce((a, b) => a + b, 0);
    // Every call must be whole on its own: a short x next to a long one must not pass as one.
    calls.forEach(([x, o], i) => {
      const opts = o as ForwardOptions;
      if ((x as Float32Array).length !== sizes[i] * S * E || (opts.kv !== undefined && opts.kv.length !== sizes[i] * T * E) || (opts.keyPaddingMask !== undefined && opts.keyPaddingMask.length !== sizes[i] * T)) {
        throw new RangeError('a call of the batch has the wrong size');
      }
    });
    const concat = <A extends Float32Array | Uint8Array>(parts: A[], make: (n: number) => A): A => {
      const out = make(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        out.set(p as never, at);
        at += p.length;
      }
      return out;
    };
    const opts = calls.map(([, o]) => o as ForwardOptions);
    const x = concat(calls.map(([x]) => x as Float32Array), (n) => new Float32Array(n));
    const kv = first.kv && concat(opts.map((o) => o.kv!), (n) => new Float32Array(n));
    const keyPaddingMask = first.keyPaddingMask && concat(opts.map((o) => o.keyPaddingMask!), (n) => new Uint8Array(n));
    const { output, weights } = layer.forward(x, { ...first, batch: B, kv, keyPaddingMask });
    const perBatch = first.averageWeights ? S * T : H * S * T;
    let b = 0;
    return sizes.map((n) => {
      const result = { output: output.slice(b * S * E, (b + n) * S * E), ...(weights ? { weights: weights.slice(b * perBatch, (b + n) * perBatch) } : {}) };
      b += n;
      return result;
    });
  },
};

/** The engine's resident objects, by the name of the method that makes them. */
export const RESIDENT: Readonly<Record<string, ResidentSpec>> = {
  embedding: { noun: 'embedding', props: ['rows', 'dim'], methods: { lookup: { out: 1, batch: lookupBatch } } },
  selfAttention: { noun: 'layer', props: ['embedDim', 'numHeads', 'numKvHeads'], methods: { forward: { options: 1, batch: forwardBatch } } },
  encoder: { noun: 'encoder', props: ['dim'], methods: { encode: { out: 1, batch: encodeBatch } } },
  loadVectors: {
    noun: 'word vectors',
    options: 1,
    sources: ['0', '1.vocab'],
    props: ['rows', 'dim', 'dtype', 'words', 'duplicates'],
    methods: {
      lookup: { out: 1, batch: lookupBatch },
      id: {},
      ids: {},
      vector: {},
      similarity: { leading: 2 },
      nearest: { options: 2 },
      analogy: { leading: 3 },
    },
  },
  loadModel: {
    noun: 'model',
    options: 0,
    sources: ['0.weights'],
    props: ['config', 'memoryBytes'],
    methods: { forward: { out: 1 }, tokenize: { options: 1 }, embed: { options: 1 } },
  },
};

/** Both tables, as the scheduler and the workers take them. */
export interface Tables {
  stateless: Readonly<Record<string, MethodSpec>>;
  resident: Readonly<Record<string, ResidentSpec>>;
}

export const TABLES: Tables = { stateless: STATELESS, resident: RESIDENT };
