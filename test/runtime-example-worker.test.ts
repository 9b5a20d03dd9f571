// examples/worker in workerd (wrangler's dev server, as `npx wrangler dev` runs it): GET
// /?q=… answers the sentence's tokens and per-head attention weights, each row a
// probability distribution, equal to the same toy model in Node.

import { fileURLToPath } from 'node:url';
import { createEngine } from 'attnkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { attend, HEADS, toyEncoder } from '../examples/toy-model.js';
import { startWorker } from './runtimes/drivers.js';

let worker: Awaited<ReturnType<typeof startWorker>>;
beforeAll(async () => {
  worker = await startWorker(fileURLToPath(new URL('../examples/worker/wrangler.jsonc', import.meta.url)));
}, 60_000); // starting a runtime on a busy 2-core machine can take a while
afterAll(() => worker?.dispose());

it("returns the sentence's attention weights, as Node computes them", async () => {
  const response = await worker.fetch('/?q=' + encodeURIComponent('The cat sat on the mat.'));
  expect(response.status).toBe(200);
  const body = (await response.json()) as { tokens: string[]; weights: number[][][] };
  expect(body.tokens).toEqual(['the', 'cat', 'sat', 'on', 'the', 'mat', '.']);
  expect(body.weights).toHaveLength(HEADS);
  for (const head of body.weights) {
    expect(head).toHaveLength(7);
    // softmax rows: f32 sums of 7 probabilities are 1 within a few ulp.
    for (const row of head) expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-6);
  }
  expect(body).toEqual(attend(toyEncoder(await createEngine({ backend: 'wasm' })), 'The cat sat on the mat.'));
});

it("defaults to the worked example's sentence", async () => {
  const body = (await (await worker.fetch('/')).json()) as { tokens: string[] };
  expect(body.tokens).toEqual(['i', 'love', 'machine', 'learning']);
});
