/**
 * attnkit: token ids → embeddings → positional encodings → self-attention, on a Rust
 * WebAssembly SIMD core ('wasm') or its pure TypeScript twin ('ts'), with one API.
 *
 * ```ts
 * const engine = await createEngine();                 // 'wasm' where SIMD runs, else 'ts'
 * const x = engine.embeddingLookup(table, 768, ids);   // [N, 768]
 * ```
 *
 * This is the entry for Node, Deno and Bun (and the default); index.browser.ts and
 * index.workerd.ts are the same API with their own way of finding the `.wasm`.
 */

import { createEngineOn, type StartThreads } from './create.js';
import type { Engine, EngineOptions } from './types.js';
import type { Platform } from './wasm/load.js';

export type * from './types.js';
export { ACCURACY } from './accuracy.js';

const platform: Platform = {
  ownModule: () => new URL('./attnkit.wasm', import.meta.url),
  // Node has no fetch for file: URLs; Deno and Bun read the file the same way.
  readFile: async (url) => (await import('node:fs/promises')).readFile(url),
  openFile: async (path) => {
    const fs = await import('node:fs');
    const { size } = await fs.promises.stat(path);
    return { chunks: fs.createReadStream(path, { highWaterMark: 1 << 20 }), size };
  },
};

// `threads` > 1: worker_threads, loaded only when asked for (Node; elsewhere it reports 1).
const startThreads: StartThreads = async (module, core, kernels, threads) => (await import('./threads/node.js')).startThreads(module, core, kernels, threads);

/**
 * Creates an engine. `backend: 'wasm'` needs WebAssembly SIMD128 and throws without it;
 * `backend: 'ts'` always works; no backend picks 'wasm' where it runs and otherwise 'ts',
 * recording why in `engine.fallbackReason`.
 */
export function createEngine(options: EngineOptions = {}): Promise<Engine> {
  return createEngineOn(platform, options, startThreads);
}
