/**
 * Finding, compiling and instantiating the core module.
 *
 * The module is compiled once per process (per distinct source) and instantiated once
 * per engine, so engines do not share memory. It has no imports.
 */

import { WasmCore, type CoreExports } from './core.js';

/**
 * The smallest module that uses SIMD128: `(func (result v128) i32.const 0 i8x16.splat
 * i8x16.popcnt)`. Runtimes without SIMD reject it in `WebAssembly.validate`.
 */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

/** Whether this runtime runs WebAssembly SIMD128; a reason string when it does not. */
export function wasmSimdUnavailable(): string | undefined {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.validate !== 'function') {
    return 'this runtime has no WebAssembly';
  }
  try {
    if (!WebAssembly.validate(SIMD_PROBE)) return 'this runtime has WebAssembly but not its SIMD128 extension';
  } catch (err) {
    return `WebAssembly.validate failed: ${String(err)}`;
  }
  return undefined;
}

let ownModule: Promise<WebAssembly.Module> | undefined;

/** The package's own `.wasm`, found beside the built files (Node, Deno, Bun, browsers). */
async function compileOwnModule(): Promise<WebAssembly.Module> {
  const url = new URL('../attnkit.wasm', import.meta.url);
  if (url.protocol === 'file:') {
    // Node has no fetch for file: URLs; Deno and Bun read the file the same way.
    const { readFile } = await import('node:fs/promises');
    return WebAssembly.compile(await readFile(url));
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`attnkit: could not load ${url.href}: HTTP ${response.status}`);
  if (typeof WebAssembly.compileStreaming === 'function' && response.headers.get('content-type') === 'application/wasm') {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

/** Instantiates the core from a given module or bytes, or from the package's own file. */
export async function instantiateCore(source?: WebAssembly.Module | BufferSource): Promise<WasmCore> {
  let module: WebAssembly.Module;
  if (source === undefined) {
    ownModule ??= compileOwnModule().catch((err: unknown) => {
      ownModule = undefined; // let a later call try again
      throw err;
    });
    module = await ownModule;
  } else if (source instanceof WebAssembly.Module) {
    module = source;
  } else if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    module = await WebAssembly.compile(source);
  } else {
    throw new TypeError('createEngine: module must be a WebAssembly.Module, an ArrayBuffer or a typed array of the .wasm bytes');
  }
  const instance = await WebAssembly.instantiate(module, {});
  return new WasmCore(instance.exports as unknown as CoreExports);
}
