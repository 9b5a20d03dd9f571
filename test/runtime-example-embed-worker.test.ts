// examples/embed-worker in workerd (wrangler's dev server, as `npx wrangler dev` runs it),
// its MODEL_URL pointing at a BERT folder this test serves (a small random model and the
// golden WordPiece tokenizer): POST /embed answers the texts' embeddings and POST
// /similarity their cosines, equal to the same model loaded in Node (f16 storage, as the
// example keeps it); bad requests get a 4xx with a reason, a missing model a 502, and the
// model is fetched once for many requests.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from 'attnkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bertConfig, randomCheckpoint, type BertShape } from './helpers/bert-checkpoint.js';
import { serveDirectory } from './helpers/static-server.js';
import { startWorker } from './runtimes/drivers.js';

const SHAPE: BertShape = { hiddenSize: 64, numLayers: 2, numHeads: 4, intermediateSize: 128, vocabSize: 300, maxPositions: 128, typeVocabSize: 2 };
const TEXTS = ['I love machine learning', 'machine learning is what I love', 'the lazy dog sleeps'];
const CONFIG = join(fileURLToPath(new URL('../examples/embed-worker/wrangler.jsonc', import.meta.url)));
const dir = mkdtempSync(join(tmpdir(), 'attnkit-embed-worker-'));
const tokenizer = readFileSync(fileURLToPath(new URL('./golden/wordpiece-tokenizer.json', import.meta.url)), 'utf8');
let server: Awaited<ReturnType<typeof serveDirectory>>;
let worker: Awaited<ReturnType<typeof startWorker>>;

beforeAll(async () => {
  writeFileSync(join(dir, 'config.json'), JSON.stringify(bertConfig(SHAPE)));
  writeFileSync(join(dir, 'tokenizer.json'), tokenizer);
  writeFileSync(join(dir, 'model.safetensors'), randomCheckpoint(SHAPE, 5));
  server = await serveDirectory(dir);
  worker = await startWorker(CONFIG, undefined, { MODEL_URL: server.url });
}, 60_000);
afterAll(async () => {
  await Promise.all([worker?.dispose(), server?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const post = (path: string, body: unknown) => worker.fetch(path, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });

async function inNode(texts: string[]): Promise<Float32Array> {
  const engine = await createEngine({ backend: 'wasm' });
  const model = await engine.loadModel({ config: bertConfig(SHAPE), weights: join(dir, 'model.safetensors'), tokenizer, dtype: 'f16' });
  const out = model.embed(texts);
  model.dispose();
  return out;
}

it('POST /embed answers the embeddings Node computes, unit vectors', async () => {
  const response = await post('/embed', { texts: TEXTS });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { dim: number; embeddings: number[][] };
  expect(body.dim).toBe(SHAPE.hiddenSize);
  expect(body.embeddings).toHaveLength(TEXTS.length);
  expect(Float32Array.from(body.embeddings.flat())).toEqual(await inNode(TEXTS));
  for (const v of body.embeddings) expect(Math.abs(Math.hypot(...v) - 1)).toBeLessThan(1e-6); // f32 unit vectors
});

it('POST /similarity answers the cosines of those embeddings', async () => {
  const response = await post('/similarity', { texts: TEXTS });
  expect(response.status).toBe(200);
  const { similarity } = (await response.json()) as { similarity: number[][] };
  const e = await inNode(TEXTS);
  const d = SHAPE.hiddenSize;
  for (let i = 0; i < TEXTS.length; i++) {
    for (let j = 0; j < TEXTS.length; j++) {
      let dot = 0;
      for (let c = 0; c < d; c++) dot += e[i * d + c] * e[j * d + c];
      expect(similarity[i][j]).toBe(Math.fround(dot));
    }
    expect(Math.abs(similarity[i][i] - 1)).toBeLessThan(1e-6);
  }
});

it('fetches the model once for many requests', async () => {
  await Promise.all([post('/embed', { texts: ['a'] }), post('/similarity', { texts: ['a', 'b'] })]);
  expect(server.requests.filter((r) => r === '/model.safetensors')).toHaveLength(1);
});

it.each([
  ['GET', '/embed', undefined, 405, /takes POST/],
  ['POST', '/other', '{"texts": ["a"]}', 404, /POST \/embed or POST \/similarity/],
  ['POST', '/embed', 'not json', 400, /must be JSON/],
  ['POST', '/embed', '{"texts": []}', 400, /"texts" must be an array of 1 to 64 strings/],
  ['POST', '/embed', '{"texts": "one"}', 400, /"texts" must be an array/],
  ['POST', '/similarity', '{"texts": ["a", 2]}', 400, /texts\[1\] must be a string/],
])('%s %s %s → %i', async (method, path, body, status, message) => {
  const response = await worker.fetch(path, { method, body });
  expect(response.status).toBe(status);
  expect(((await response.json()) as { error: string }).error).toMatch(message);
});

it('a MODEL_URL without a model is a 502 naming the file, and is tried again on the next request', async () => {
  const missing = await startWorker(CONFIG, undefined, { MODEL_URL: `${server.url}nowhere/` });
  try {
    for (let i = 0; i < 2; i++) {
      const response = await missing.fetch('/embed', { method: 'POST', body: '{"texts": ["a"]}' });
      expect(response.status).toBe(502);
      expect(((await response.json()) as { error: string }).error).toMatch(/config\.json: HTTP 404/);
    }
    expect(server.requests.filter((r) => r === '/nowhere/config.json')).toHaveLength(2);
  } finally {
    await missing.dispose();
  }
}, 60_000);
