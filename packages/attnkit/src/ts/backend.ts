/**
 * The pure-TypeScript backend: every kernel of `Kernels`, one op per file beside this one.
 * It is the fallback where WebAssembly SIMD is missing, tuned for speed (register tiles,
 * packed rows); the plain float64 definitions the tests check both backends against are in
 * test/helpers/reference.ts.
 */

import type { Kernels, EmbeddingHandle } from '../backend.js';
import type { Ids } from '../types.js';
import { attention } from './attention.js';
import { embeddingLookup } from './embedding.js';
import { createTsBert } from './bert.js';
import { gelu } from './gelu.js';
import { layerNorm } from './layernorm.js';
import { linear } from './linear.js';
import { createTsMha } from './mha.js';
import { rope } from './rope.js';
import { sinusoidalEncoding } from './sinusoidal.js';
import { TsVectors } from './vectors.js';

/** A table copied once; `lookupAdd` reads another TsEmbedding's rows as its addend. */
class TsEmbedding implements EmbeddingHandle {
  constructor(private data: Float32Array | undefined, private readonly dim: number) {}

  lookup(ids: Ids, out: Float32Array): void {
    embeddingLookup(this.data!, this.dim, ids, out);
  }

  lookupAdd(ids: Ids, positions: EmbeddingHandle, out = new Float32Array(ids.length * this.dim)): Float32Array {
    embeddingLookup(this.data!, this.dim, ids, out);
    const addend = (positions as TsEmbedding).data!;
    for (let i = 0; i < out.length; i++) out[i] += addend[i];
    return out;
  }

  free(): void {
    this.data = undefined;
  }
}

export function createTsBackend(): Kernels {
  return {
    backend: 'ts',
    memoryBytes: 0,
    embeddingLookup,
    sinusoidalEncoding,
    rope,
    attention,
    createMha: createTsMha,
    createEmbedding: (table, dim) => new TsEmbedding(table.slice(), dim),
    layerNorm: (x, rows, dim, weight, bias, eps, out) => layerNorm(x, rows, dim, weight, bias, eps, out),
    gelu,
    linear: (x, m, k, weight, n, bias, out) => linear(x, m, k, Float64Array.from(weight), n, bias, out),
    createBert: createTsBert,
    createVectors: (dim, dtype, capacity) => new TsVectors(dim, dtype, capacity),
  };
}
