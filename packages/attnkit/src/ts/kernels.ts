/** The pure-TypeScript backend: every kernel of `Kernels`, one op per file beside this one. */

import type { Kernels, TableHandle } from '../kernels.js';
import { attention } from './attention.js';
import { embeddingLookup } from './embedding.js';
import { createTsLayer } from './mha.js';
import { rope } from './rope.js';
import { sinusoidalEncoding } from './sinusoidal.js';

export function createTsKernels(): Kernels {
  return {
    backend: 'ts',
    memoryBytes: 0,
    embeddingLookup,
    sinusoidalEncoding,
    rope,
    attention,
    createLayer: createTsLayer,
    createTable(table: Float32Array, dim: number): TableHandle {
      let copy: Float32Array | undefined = table.slice();
      return {
        lookup: (ids, out) => embeddingLookup(copy!, dim, ids, out),
        lookupAdd(ids, addend, out) {
          embeddingLookup(copy!, dim, ids, out);
          for (let i = 0; i < out.length; i++) out[i] += addend[i];
        },
        free: () => {
          copy = undefined;
        },
      };
    },
  };
}
