// attnkit inside workerd over HTTP: a Worker (test/runtimes/workerd/worker.ts) answers a
// POST with the JSON of an encoded sentence, equal to the last bit to the same encoding in
// Node; each request creates an engine from the one imported module, in a runtime that
// refuses to compile wasm bytes (as Cloudflare's does), and createEngine says why bytes fail.

import { fileURLToPath } from 'node:url';
import { createEngine } from 'attnkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorker } from './runtimes/drivers.js';
import { encodeSentence } from './runtimes/shared/sentence.js';

let worker: Awaited<ReturnType<typeof startWorker>>;
beforeAll(async () => {
  worker = await startWorker(fileURLToPath(new URL('./runtimes/workerd/wrangler.jsonc', import.meta.url)));
}, 60_000); // starting a runtime on a busy 2-core machine can take a while
afterAll(() => worker?.dispose());

const post = (sentence: string) => worker.fetch('/encode', { method: 'POST', body: JSON.stringify({ sentence }) });

it('POST /encode returns the encoded sentence as JSON, bit-identical to Node', async () => {
  const response = await post('I love machine learning');
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/application\/json/);
  const body = await response.json();
  expect(body).toEqual(encodeSentence(await createEngine({ backend: 'wasm' }), 'I love machine learning'));
  expect(body.backend).toBe('wasm');
  expect(body.weights).toHaveLength(2 * 4 * 4);
});

it('serves request after request from the one imported module', async () => {
  const bodies = await Promise.all(['a b', 'a b a', 'the cat sat'].map(async (s) => (await post(s)).json()));
  expect(bodies.map((b) => b.ids)).toEqual([[0, 1], [0, 1, 0], [0, 1, 2]]);
});

it('workerd refuses to compile wasm bytes, and createEngine says what to pass instead', async () => {
  const { compiled, fromBytes } = await (await worker.fetch('/codegen')).json();
  expect(compiled).toMatch(/Wasm code generation disallowed by embedder/);
  expect(fromBytes).toMatch(/could not compile the core module.*pass the imported WebAssembly\.Module/);
});
