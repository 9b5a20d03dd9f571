/** The pure-TypeScript backend: every kernel of `Kernels`, one op per file beside this one. */

import type { Kernels, TableHandle } from '../kernels.js';
import { embeddingLookup } from './embedding.js';
import { rope } from './rope.js';
import { sinusoidalEncoding } from './sinusoidal.js';

export function createTsKernels(): Kernels {
  return {
    backend: 'ts',
    memoryBytes: 0,
    embeddingLookup,
    sinusoidalEncoding,
    rope,
    createTable(table: Float32Array, dim: number): TableHandle {
      let copy: Float32Array | undefined = table.slice();
      return {
        lookup: (ids, out) => embeddingLookup(copy!, dim, ids, out),
        free: () => {
          copy = undefined;
        },
      };
    },
  };
}
