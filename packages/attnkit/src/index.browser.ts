/**
 * attnkit for browsers (the `browser` export condition): the same API as index.ts; the
 * package's own `.wasm` is fetched beside this file (bundlers see the
 * `new URL('./attnkit.wasm', import.meta.url)` and emit it as an asset), and nothing
 * here names a Node built-in.
 */

import { createEngineOn } from './create.js';
import type { Engine, EngineOptions } from './types.js';
import type { Platform } from './wasm/load.js';

export type * from './types.js';
export { ACCURACY } from './accuracy.js';

const platform: Platform = { ownModule: () => new URL('./attnkit.wasm', import.meta.url) };

/** Creates an engine; see index.ts. */
export function createEngine(options: EngineOptions = {}): Promise<Engine> {
  return createEngineOn(platform, options);
}
