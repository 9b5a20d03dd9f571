// createEngine's `module`: a WebAssembly.Module, bytes, a Response (or a promise of one)
// or a URL (file: or http:) all give a working 'wasm' engine, and each source is compiled
// once per process: later engines reuse the compilation (a fresh instance each).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { createEngine, type ModuleSource } from 'attnkit';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { serve } from './runtimes/serve.js';

const path = createRequire(import.meta.url).resolve('attnkit/attnkit.wasm');
const bytes = readFileSync(path);
const expected = (await createEngine({ backend: 'ts' })).sinusoidalEncoding(3, 8);

let server: Awaited<ReturnType<typeof serve>>;
beforeAll(async () => {
  server = await serve();
});
afterAll(() => server?.close());
afterEach(() => {
  vi.restoreAllMocks();
});

const wasmResponse = () => new Response(bytes, { headers: { 'content-type': 'application/wasm' } });

const sources: [string, () => ModuleSource][] = [
  ['a WebAssembly.Module', () => new WebAssembly.Module(bytes)],
  ['a Uint8Array', () => new Uint8Array(bytes)],
  ['an ArrayBuffer', () => new Uint8Array(bytes).buffer],
  ['a Response (application/wasm: streaming compile)', wasmResponse],
  ['a Response without a wasm content type', () => new Response(new Uint8Array(bytes))],
  ['a promise of a Response', () => Promise.resolve(wasmResponse())],
  ['a file: URL', () => pathToFileURL(path)],
  ['an http: URL', () => new URL('/packages/attnkit/dist/attnkit.wasm', server.origin)],
];

describe.each(sources)('%s', (_, make) => {
  it('gives a wasm engine whose results match the ts backend', async () => {
    const engine = await createEngine({ backend: 'wasm', module: make() });
    expect(engine.backend).toBe('wasm');
    expect(engine.sinusoidalEncoding(3, 8)).toEqual(expected);
  });

  it('is compiled once: a second engine from the same source compiles nothing', async () => {
    const source = make();
    const first = await createEngine({ backend: 'wasm', module: source });
    const compile = vi.spyOn(WebAssembly, 'compile');
    const streaming = vi.spyOn(WebAssembly, 'compileStreaming');
    const second = await createEngine({ backend: 'wasm', module: source });
    expect(compile).not.toHaveBeenCalled();
    expect(streaming).not.toHaveBeenCalled();
    expect(second).not.toBe(first);
    expect(second.sinusoidalEncoding(3, 8)).toEqual(expected);
  });
});

it("the package's own module is compiled once per process", async () => {
  await createEngine();
  const compile = vi.spyOn(WebAssembly, 'compile');
  const engines = await Promise.all([createEngine(), createEngine({ backend: 'wasm' })]);
  expect(compile).not.toHaveBeenCalled();
  expect(engines.map((e) => e.backend)).toEqual(['wasm', 'wasm']);
});

it('engines made from one compilation do not share memory', async () => {
  const module = new WebAssembly.Module(bytes);
  const [a, b] = await Promise.all([createEngine({ module }), createEngine({ module })]);
  const before = b.memoryBytes;
  const table = a.embedding(new Float32Array(1 << 20), 64);
  expect(a.memoryBytes).toBeGreaterThan(before);
  expect(b.memoryBytes).toBe(before);
  table.dispose();
});

it('a URL that cannot be loaded rejects with its address and status, and a retry may succeed', async () => {
  const missing = new URL('/packages/attnkit/dist/missing.wasm', server.origin);
  await expect(createEngine({ backend: 'wasm', module: missing })).rejects.toThrow(/could not load http:.*missing\.wasm: HTTP 404/);
  await expect(createEngine({ backend: 'wasm', module: missing })).rejects.toThrow(/HTTP 404/);
});

it('bytes that are not a module reject naming the failed compilation', async () => {
  await expect(createEngine({ backend: 'wasm', module: new Uint8Array([1, 2, 3]) })).rejects.toThrow(/could not compile the core module/);
});
