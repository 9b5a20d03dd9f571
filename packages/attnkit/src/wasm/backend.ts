/** The WebAssembly backend: each kernel copies its inputs in, runs the Rust core, copies out; one op per file beside this one. */

import type { Kernels } from '../backend.js';
import { embeddingLookup as gatherInPlace } from '../ts/embedding.js';
import { attention } from './attention.js';
import type { WasmCore } from './core.js';
import { createWasmBert } from './bert.js';
import { gelu } from './gelu.js';
import { layerNorm } from './layernorm.js';
import { linear } from './linear.js';
import { createWasmMha } from './mha.js';
import { rope } from './rope.js';
import { sinusoidalEncoding } from './sinusoidal.js';
import { WasmEmbedding } from './embedding.js';
import { WasmVectors } from './vectors.js';

export function createWasmBackend(core: WasmCore): Kernels {
  return {
    backend: 'wasm',
    get memoryBytes() {
      return core.memoryBytes;
    },

    // A stateless lookup reads N rows of a table that lives in JS memory. Copying the
    // table into linear memory first would move all R rows to use N of them, so the
    // gather is done where the table is: one `TypedArray.set` per row (a memcpy in the
    // engine). The SIMD gather runs on resident tables: `engine.embedding(table, dim)`.
    embeddingLookup: gatherInPlace,

    sinusoidalEncoding: (seqLen, dim, base, offset, out) => sinusoidalEncoding(core, seqLen, dim, base, offset, out),

    rope: (x, shape, positions, base, interleaved, out) => rope(core, x, shape, positions, base, interleaved, out),

    createEmbedding: (table, dim) => new WasmEmbedding(core, table, dim),

    createVectors: (dim, dtype, capacity) => new WasmVectors(core, dim, dtype, capacity),

    attention: (q, k, v, shape, scale, masks, out, weights) => attention(core, q, k, v, shape, scale, masks, out, weights),

    createMha: (params, dims) => createWasmMha(core, params, dims),

    layerNorm: (x, rows, dim, weight, bias, eps, out) => layerNorm(core, x, rows, dim, weight, bias, eps, out),
    gelu: (x, tanh, out) => gelu(core, x, tanh, out),
    linear: (x, m, k, weight, n, bias, out) => linear(core, x, m, k, weight, n, bias, out),
    createBert: (dims, dtype) => createWasmBert(core, dims, dtype),
  };
}
