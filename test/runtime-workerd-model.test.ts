// A MiniLM-L6-shaped BERT (6 layers, 384 wide, 12 heads, 1536 intermediate, 30522 × 384
// word embeddings, 512 positions; random weights) loaded inside workerd from the body of a
// fetch Response, as a Worker loads a model from a URL: the ids and sentence embeddings are
// bit-identical to Node's, for f32 and f16 storage, under a current and an old Workers
// compatibility date.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from 'attnkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bertConfig, MINILM_L6, randomCheckpoint } from './helpers/bert-checkpoint.js';
import { serveDirectory } from './helpers/static-server.js';
import { COMPATIBILITY_DATES, startWorker } from './runtimes/drivers.js';

const TEXTS = ['I love machine learning', 'Café, naïve résumé: déjà vu', '我爱学习', 'the quick brown fox jumps over the lazy dog'];
const dir = mkdtempSync(join(tmpdir(), 'attnkit-minilm-'));
const tokenizer = readFileSync(fileURLToPath(new URL('./golden/wordpiece-tokenizer.json', import.meta.url)), 'utf8');
let server: Awaited<ReturnType<typeof serveDirectory>>;
const workers: Record<string, Awaited<ReturnType<typeof startWorker>>> = {};

beforeAll(async () => {
  writeFileSync(join(dir, 'config.json'), JSON.stringify(bertConfig(MINILM_L6)));
  writeFileSync(join(dir, 'tokenizer.json'), tokenizer);
  writeFileSync(join(dir, 'model.safetensors'), randomCheckpoint(MINILM_L6, 2026));
  server = await serveDirectory(dir);
  for (const date of Object.values(COMPATIBILITY_DATES)) workers[date] = await startWorker(fileURLToPath(new URL('./runtimes/workerd/wrangler.jsonc', import.meta.url)), date);
}, 120_000);
afterAll(async () => {
  await Promise.all([...Object.values(workers).map((w) => w.dispose()), server?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe.each([
  ['f32', COMPATIBILITY_DATES.current],
  ['f16', COMPATIBILITY_DATES.current],
  ['f16', COMPATIBILITY_DATES.old],
] as const)('stored as %s, compatibility date %s', (dtype, date) => {
  it('embeds in workerd exactly as in Node', async () => {
    const response = await workers[date].fetch('/model', { method: 'POST', body: JSON.stringify({ url: server.url, texts: TEXTS, dtype }) });
    expect(response.status, await response.clone().text()).toBe(200);
    const body = (await response.json()) as { ids: number[]; embeddings: number[]; memoryBytes: number };
    expect(server.requests).toContain('/model.safetensors');

    const engine = await createEngine({ backend: 'wasm' });
    const model = await engine.loadModel({ config: JSON.stringify(bertConfig(MINILM_L6)), weights: join(dir, 'model.safetensors'), tokenizer, dtype });
    const node = { ids: Array.from(model.tokenize(TEXTS).ids), embeddings: model.embed(TEXTS), memoryBytes: model.memoryBytes };
    model.dispose();

    expect(body.ids).toEqual(node.ids);
    expect(body.embeddings).toHaveLength(TEXTS.length * MINILM_L6.hiddenSize);
    const bits = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);
    expect(bits(Float32Array.from(body.embeddings))).toEqual(bits(node.embeddings));
    expect(body.memoryBytes).toBe(node.memoryBytes);
    // The weights in their storage dtype: 22.7 M parameters.
    expect(body.memoryBytes).toBeGreaterThanOrEqual(22_713_216 * (dtype === 'f32' ? 4 : 2) * 0.99);
  }, 120_000);
});
