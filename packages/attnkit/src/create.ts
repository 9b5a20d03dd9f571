/**
 * `createEngine` for every entry point: the entries (index.ts for Node, Deno and Bun,
 * index.browser.ts, index.workerd.ts) differ only in how they find the package's own
 * `.wasm`, which they pass here as a {@link Platform}.
 */

import { KernelEngine } from './engine.js';
import type { Kernels } from './backend.js';
import { createTsBackend } from './ts/backend.js';
import type { Engine, EngineOptions } from './types.js';
import { checkInt, describe } from './validate.js';
import type { WasmCore } from './wasm/core.js';
import { createWasmBackend } from './wasm/backend.js';
import { compileCore, instantiateCore, wasmSimdUnavailable, type Platform } from './wasm/load.js';

/**
 * How an entry runs the wasm kernels on more threads (only the Node entry has one, so no
 * other entry names a Node built-in): the kernels to use and how many threads they use.
 */
export type StartThreads = (module: WebAssembly.Module, core: WasmCore, kernels: Kernels, threads: number) => Promise<{ kernels: Kernels; threads: number }>;

/** The body of every entry's `createEngine`. */
export async function createEngineOn(platform: Platform, options: EngineOptions, startThreads?: StartThreads): Promise<Engine> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`createEngine: options must be an object, got ${describe(options)}`);
  }
  const { backend } = options;
  if (backend !== undefined && backend !== 'wasm' && backend !== 'ts') {
    throw new RangeError(`createEngine: backend must be 'wasm', 'ts' or absent, got ${describe(backend)}`);
  }
  const threads = checkInt('createEngine', 'options.threads', options.threads, 1, 256, 1);
  const { openFile } = platform;
  if (backend === 'ts') return new KernelEngine(createTsBackend(), { openFile });
  const missing = wasmSimdUnavailable();
  if (missing !== undefined) {
    if (backend === 'wasm') throw new Error(`createEngine: the 'wasm' backend needs WebAssembly SIMD128: ${missing}`);
    return new KernelEngine(createTsBackend(), { fallbackReason: `${missing}; using the 'ts' backend`, openFile });
  }
  const core = await instantiateCore(options.module, platform);
  const kernels = createWasmBackend(core);
  if (threads > 1 && startThreads !== undefined) {
    const started = await startThreads(await compileCore(options.module, platform), core, kernels, threads);
    return new KernelEngine(started.kernels, { threads: started.threads, openFile });
  }
  return new KernelEngine(kernels, { openFile });
}
