// Importing attnkit touches no global that some runtime or Workers compatibility date
// lacks: with each such global deleted before the import (as workerd dated before
// 2025-05-05 has no FinalizationRegistry or WeakRef, browsers no process or Buffer, …), the
// Node and browser entries still import, create an engine on each backend, run ops and
// resident objects, and give the same numbers as with every global present. The workerd
// entry itself runs under an old compatibility date in runtime-golden.test.ts.

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const dist = (file: string) => fileURLToPath(new URL(`../packages/attnkit/dist/${file}`, import.meta.url));

const GLOBALS = [
  'FinalizationRegistry',
  'WeakRef',
  'SharedArrayBuffer',
  'Atomics',
  'performance',
  'TextDecoder',
  'TextEncoder',
  'process',
  'Buffer',
  'DOMException',
  'Blob',
  'ReadableStream',
  'Response',
  'fetch',
  'crypto',
  'navigator',
  'structuredClone',
  'MessageChannel',
  'queueMicrotask',
];

// Reads the module first (the browser entry has no file system), deletes the global, then
// imports both entries and prints what each backend computes.
const script = (name: string) => `
import { readFileSync, writeSync } from 'node:fs';
const wasm = readFileSync(${JSON.stringify(dist('attnkit.wasm'))});
delete globalThis[${JSON.stringify(name)}];
if (${JSON.stringify(name)} !== '__none__' && ${JSON.stringify(name)} in globalThis) throw new Error('could not delete ${name}');
const results = [];
for (const entry of [${JSON.stringify(dist('index.js'))}, ${JSON.stringify(dist('index.browser.js'))}]) {
  const { createEngine } = await import(entry);
  for (const backend of ['wasm', 'ts']) {
    const engine = await createEngine({ backend, module: wasm });
    const emb = engine.embedding(Float32Array.of(0.1, 0.3, 0.5, 0.2, 0.4, 0.6), 3);
    const rows = Array.from(emb.lookup([1, 0]));
    emb.dispose();
    const q = Float32Array.of(1, 0, 0, 1), k = Float32Array.of(1, 0, 0, 1), v = Float32Array.of(1, 2, 3, 4);
    const { output } = engine.attention(q, k, v, { seqQ: 2, seqK: 2, numHeads: 1, headDim: 2 });
    const encoder = engine.encoder({ table: Float32Array.of(0.1, 0.3, 0.5, 0.2, 0.4, 0.6), dim: 3, positional: 'sinusoidal' });
    const { inputs } = encoder.encode([0, 1]);
    encoder.dispose();
    results.push({ backend: engine.backend, rows, output: Array.from(output), inputs: Array.from(inputs) });
  }
}
writeSync(1, JSON.stringify(results));
`;

async function resultsWithout(name: string | undefined): Promise<unknown> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', name === undefined ? script('__none__') : script(name)]);
  return JSON.parse(stdout);
}

const everything = resultsWithout(undefined);

it.each(GLOBALS)('imports and runs without globalThis.%s', async (name) => {
  const results = await resultsWithout(name);
  expect(results).toEqual(await everything);
  expect((results as { backend: string }[]).map((r) => r.backend)).toEqual(['wasm', 'ts', 'wasm', 'ts']);
});
