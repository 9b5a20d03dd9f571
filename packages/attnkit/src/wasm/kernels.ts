/** The WebAssembly backend: each kernel copies its inputs in, runs the Rust core, copies out. */

import type { Kernels, TableHandle } from '../kernels.js';
import { embeddingLookup as gatherInPlace } from '../ts/embedding.js';
import { attention } from './attention.js';
import type { WasmCore } from './core.js';
import { createWasmLayer } from './mha.js';

export function createWasmKernels(core: WasmCore): Kernels {
  const wasm = core.exports;
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

    sinusoidalEncoding(seqLen, dim, base, offset, out) {
      core.scoped((scope) => {
        const pe = scope.empty(out.length);
        wasm.attnkit_sinusoidal_encoding(seqLen, dim, base, offset, pe);
        out.set(core.f32(pe, out.length));
      });
    },

    rope(x, shape, positions, base, interleaved, out) {
      core.scoped((scope) => {
        const rotated = scope.f32(x);
        const pos = scope.i32(positions);
        wasm.attnkit_rope(rotated, shape.batch, shape.seqLen, shape.numHeads, shape.headDim, pos, base, interleaved ? 1 : 0);
        out.set(core.f32(rotated, out.length));
      });
    },

    createTable(table, dim): TableHandle {
      const block = core.alloc(table.length * 4);
      core.f32(block.ptr, table.length).set(table);
      return {
        // The rows are copied straight from linear memory into `out`, one `set` (a
        // memcpy) per row. A wasm kernel would gather into linear memory and then need a
        // second pass to copy its result out: measured 0.69× the speed of this one pass
        // (bench/RESULTS.md). The Rust gather serves the paths whose result stays inside
        // the module (the encoder's fused lookup + positional add).
        lookup(ids, out) {
          const resident = core.f32(block.ptr, table.length);
          for (let i = 0; i < ids.length; i++) out.set(resident.subarray(ids[i] * dim, (ids[i] + 1) * dim), i * dim);
        },
        lookupAdd(ids, addend, out) {
          core.scoped((scope) => {
            const idsPtr = scope.ids(ids);
            const addendPtr = scope.f32(addend);
            const sum = scope.empty(out.length);
            wasm.attnkit_embedding_lookup_add(block.ptr, table.length / dim, dim, idsPtr, ids.length, addendPtr, sum);
            out.set(core.f32(sum, out.length));
          });
        },
        free: () => core.free(block),
      };
    },

    attention: (q, k, v, shape, scale, masks, out, weights) => attention(core, q, k, v, shape, scale, masks, out, weights),

    createLayer: (params, dims) => createWasmLayer(core, params, dims),
  };
}
