/**
 * `createEngine` for every entry point: the entries (index.ts for Node, Deno and Bun,
 * index.browser.ts, index.workerd.ts) differ only in how they find the package's own
 * `.wasm`, which they pass here as a {@link Platform}.
 */

import { KernelEngine } from './engine.js';
import { createTsKernels } from './ts/kernels.js';
import type { Engine, EngineOptions } from './types.js';
import { describe } from './validate.js';
import { createWasmKernels } from './wasm/kernels.js';
import { instantiateCore, wasmSimdUnavailable, type ModuleSource, type Platform } from './wasm/load.js';

export type { ModuleSource } from './wasm/load.js';

/** Options of `createEngine`: {@link EngineOptions} with every accepted module source. */
export interface CreateEngineOptions extends Omit<EngineOptions, 'module'> {
  /**
   * The core module: a `WebAssembly.Module` (what Cloudflare Workers and bundlers hand
   * you), its bytes, a `Response` or a promise of one (`fetch(url)`), or a `URL`. Each
   * source is compiled once per process. Without it the package loads its own `.wasm`.
   */
  module?: ModuleSource;
}

/** The body of every entry's `createEngine`. */
export async function createEngineOn(platform: Platform, options: CreateEngineOptions): Promise<Engine> {
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
  return new KernelEngine(createWasmKernels(await instantiateCore(options.module, platform)));
}
