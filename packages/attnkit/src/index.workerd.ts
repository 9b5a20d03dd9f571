/**
 * attnkit for Cloudflare Workers (the `workerd` export condition). Workers may not compile
 * WebAssembly at run time, so the `.wasm` is imported as a module: wrangler (and any
 * bundler with a CompiledWasm rule) hands it over already compiled, and every engine
 * instantiates that one module.
 */

import wasmModule from './attnkit.wasm';
import { createEngineOn } from './create.js';
import type { Engine, EngineOptions } from './types.js';
import type { Platform } from './wasm/load.js';

export type * from './types.js';
export { ACCURACY } from './accuracy.js';

const platform: Platform = { ownModule: () => wasmModule };

/** Creates an engine; see index.ts. */
export function createEngine(options: EngineOptions = {}): Promise<Engine> {
  return createEngineOn(platform, options);
}
