/**
 * attnkit: token ids → embeddings → positional encodings → self-attention, on a Rust
 * WebAssembly SIMD core ('wasm') or its pure TypeScript twin ('ts'), with one API.
 *
 * ```ts
 * const engine = await createEngine();                 // 'wasm' where SIMD runs, else 'ts'
 * const x = engine.embeddingLookup(table, 768, ids);   // [N, 768]
 * ```
 */

import { KernelEngine } from './engine.js';
import { createTsKernels } from './ts/kernels.js';
import type { Engine, EngineOptions } from './types.js';
import { describe } from './validate.js';
import { createWasmKernels } from './wasm/kernels.js';
import { instantiateCore, wasmSimdUnavailable } from './wasm/load.js';

export type * from './types.js';

/**
 * Creates an engine. `backend: 'wasm'` needs WebAssembly SIMD128 and throws without it;
 * `backend: 'ts'` always works; no backend picks 'wasm' where it runs and otherwise 'ts',
 * recording why in `engine.fallbackReason`.
 */
export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`createEngine: options must be an object, got ${describe(options)}`);
  }
  const { backend } = options;
  if (backend !== undefined && backend !== 'wasm' && backend !== 'ts') {
    throw new RangeError(`createEngine: backend must be 'wasm', 'ts' or absent, got ${describe(backend)}`);
  }
  if (backend === 'ts') return new KernelEngine(createTsKernels());
  const missing = wasmSimdUnavailable();
  if (missing !== undefined) {
    if (backend === 'wasm') throw new Error(`createEngine: the 'wasm' backend needs WebAssembly SIMD128: ${missing}`);
    return new KernelEngine(createTsKernels(), `${missing}; using the 'ts' backend`);
  }
  return new KernelEngine(createWasmKernels(await instantiateCore(options.module)));
}
