/**
 * An engine on the wasm backend whose allocator can be probed: `probe()` allocates and
 * frees a block and returns where it went. After a call that frees everything it took,
 * the allocator is in the same state and the probe lands in the same place.
 */

import { readFileSync } from 'node:fs';
import { KernelEngine } from '../../packages/attnkit/src/engine.js';
import { instantiateCore } from '../../packages/attnkit/src/wasm/load.js';
import { createWasmBackend } from '../../packages/attnkit/src/wasm/backend.js';

const wasm = readFileSync(new URL('../../packages/attnkit/dist/attnkit.wasm', import.meta.url));

const openFile = async (path: string | URL) => {
  const fs = await import('node:fs');
  return { chunks: fs.createReadStream(path, { highWaterMark: 1 << 16 }), size: (await fs.promises.stat(path)).size };
};

export async function probedEngine(): Promise<{ engine: KernelEngine; probe: () => number[] }> {
  const core = await instantiateCore(wasm, { ownModule: () => new URL('file:///unused') });
  const engine = new KernelEngine(createWasmBackend(core), { openFile });
  // Blocks of several sizes: small ones come from the allocator's bins, large ones from its top.
  const probe = () =>
    [16, 4096, 1 << 20].map((bytes) => {
      const block = core.alloc(bytes);
      core.free(block);
      return block.ptr;
    });
  return { engine, probe };
}
