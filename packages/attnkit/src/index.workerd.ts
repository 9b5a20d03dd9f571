/**
 * attnkit for Cloudflare Workers (the `workerd` export condition). Workers may not compile
 * WebAssembly at run time, so the `.wasm` is imported as a module: wrangler (and any
 * bundler with a CompiledWasm rule) hands it over already compiled, and every engine
 * instantiates that one module.
 */

import wasmModule from './attnkit.wasm';
import { createEngineOn } from './create.js';
import type { Engine, EngineOptions, Pool, PoolOptions } from './types.js';
import type { Platform } from './wasm/load.js';

export type * from './types.js';
export { ACCURACY } from './accuracy.js';

const platform: Platform = { ownModule: () => wasmModule };

/** Creates an engine; see index.ts. */
export function createEngine(options: EngineOptions = {}): Promise<Engine> {
  return createEngineOn(platform, options);
}

/** Worker pools need worker threads (Node, Deno, Bun): here the returned promise rejects; use `createEngine`. */
export function createPool(_options?: PoolOptions): Promise<Pool> {
  return Promise.reject(new Error('createPool: worker pools need worker_threads (Node, Deno, Bun), which the Cloudflare Workers entry of attnkit does not have; use createEngine'));
}
