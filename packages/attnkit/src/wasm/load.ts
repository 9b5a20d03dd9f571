/**
 * Finding, compiling and instantiating the core module.
 *
 * A source is compiled once per process (a `WebAssembly.Module` is used as it is; bytes,
 * a `Response` or a `URL` are compiled on first use and the compilation is cached by the
 * source object, or by the URL's address) and instantiated once per engine, so engines do
 * not share memory. The module has no imports.
 *
 * Nothing here imports a Node built-in: reading a `file:` URL is a function the entry
 * point passes in (the Node entry imports fs/promises dynamically).
 */

import type { OpenFile } from '../source.js';
import type { ModuleSource } from '../types.js';
import { WasmCore, type CoreExports } from './core.js';


/** How an entry point finds the package's own module and reads `file:` URLs. */
export interface Platform {
  /** The package's own `.wasm`: a module (workerd imports it precompiled) or its URL. */
  ownModule(): WebAssembly.Module | URL;
  /** Reads a `file:` URL (absent where there is no file system: browsers, workerd). */
  readFile?: (url: URL) => Promise<Uint8Array<ArrayBuffer>>;
  /** Opens a file path or `file:` URL that a loader was given as its source (absent without a file system). */
  openFile?: OpenFile;
}

/**
 * The smallest module that uses SIMD128: `(func (result v128) i32.const 0 i8x16.splat
 * i8x16.popcnt)`. Runtimes without SIMD reject it in `WebAssembly.validate`.
 */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

/**
 * Whether this runtime runs WebAssembly SIMD128; a reason string when it does not.
 * Tests force the fallback by stubbing `WebAssembly.validate` or `WebAssembly` itself.
 */
export function wasmSimdUnavailable(): string | undefined {
  if (typeof WebAssembly !== 'object' || WebAssembly === null || typeof WebAssembly.validate !== 'function') {
    return 'this runtime has no WebAssembly';
  }
  try {
    if (!WebAssembly.validate(SIMD_PROBE)) return 'this runtime has WebAssembly but not its SIMD128 extension';
  } catch (err) {
    return `WebAssembly.validate failed: ${String(err)}`;
  }
  return undefined;
}

/** Compilations by source object (bytes, Response, promise of a Response). */
const byObject = new WeakMap<object, Promise<WebAssembly.Module>>();
/** Compilations by URL address (the package's own module, or a user's URL). */
const byUrl = new Map<string, Promise<WebAssembly.Module>>();

/** Caches a compilation under `key`; a failed one is forgotten so a later call can retry. */
function cached<K>(
  cache: { get(k: K): Promise<WebAssembly.Module> | undefined; set(k: K, v: Promise<WebAssembly.Module>): unknown; delete(k: K): unknown },
  key: K,
  compile: () => Promise<WebAssembly.Module>,
): Promise<WebAssembly.Module> {
  let promise = cache.get(key);
  if (promise === undefined) {
    promise = compile().catch((err: unknown) => {
      cache.delete(key);
      throw err;
    });
    cache.set(key, promise);
  }
  return promise;
}

async function compileBytes(bytes: BufferSource): Promise<WebAssembly.Module> {
  try {
    return await WebAssembly.compile(bytes);
  } catch (err) {
    // Cloudflare Workers: "Wasm code generation disallowed by embedder".
    const hint = /disallowed/i.test(String(err))
      ? ' (this runtime forbids compiling WebAssembly at run time: pass the imported WebAssembly.Module, as the workerd entry of attnkit does)'
      : '';
    throw new Error(`createEngine: could not compile the core module: ${String(err)}${hint}`, { cause: err });
  }
}

async function compileResponse(response: Response, what: string): Promise<WebAssembly.Module> {
  if (!response.ok) throw new Error(`createEngine: could not load ${what}: HTTP ${response.status}`);
  const streaming = typeof WebAssembly.compileStreaming === 'function' && response.headers.get('content-type') === 'application/wasm';
  if (streaming) {
    try {
      return await WebAssembly.compileStreaming(response);
    } catch (err) {
      throw new Error(`createEngine: could not compile ${what}: ${String(err)}`, { cause: err });
    }
  }
  return compileBytes(await response.arrayBuffer());
}

function compileUrl(url: URL, platform: Platform): Promise<WebAssembly.Module> {
  return cached(byUrl, url.href, async () => {
    if (url.protocol === 'file:') {
      if (platform.readFile === undefined) throw new Error(`createEngine: this runtime cannot read ${url.href}; pass the module or its bytes`);
      return compileBytes(await platform.readFile(url));
    }
    return compileResponse(await fetch(url), url.href);
  });
}

function isResponse(value: unknown): value is Response {
  return typeof Response === 'function' && value instanceof Response;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** The compiled module for a source (the package's own one when `source` is undefined). */
export function compileCore(source: ModuleSource | undefined, platform: Platform): Promise<WebAssembly.Module> {
  if (source === undefined) {
    const own = platform.ownModule();
    return own instanceof WebAssembly.Module ? Promise.resolve(own) : compileUrl(own, platform);
  }
  if (source instanceof WebAssembly.Module) return Promise.resolve(source);
  if (source instanceof URL) return compileUrl(source, platform);
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return cached(byObject, source, () => compileBytes(source));
  if (isResponse(source)) return cached(byObject, source, () => compileResponse(source, source.url || 'the response'));
  if (isThenable(source)) {
    return cached(byObject, source, async () => {
      const response = await source;
      if (!isResponse(response)) throw new TypeError(`createEngine: module promise must resolve to a Response, got ${typeof response}`);
      return compileResponse(response, response.url || 'the response');
    });
  }
  return Promise.reject(
    new TypeError(
      'createEngine: module must be a WebAssembly.Module, an ArrayBuffer or a typed array of the .wasm bytes, a Response or a URL',
    ),
  );
}

/** Instantiates the core (a fresh instance and memory) from a source or the package's own module. */
export async function instantiateCore(source: ModuleSource | undefined, platform: Platform): Promise<WasmCore> {
  const module = await compileCore(source, platform);
  const instance = await WebAssembly.instantiate(module, {});
  return new WasmCore(instance.exports as unknown as CoreExports);
}
