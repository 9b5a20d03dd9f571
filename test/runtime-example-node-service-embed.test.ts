// examples/node-service with a model folder: POST /embed answers one unit vector per text,
// computed on the pool's workers, equal to the library's own embeddings; a body without
// texts is a 400; a service without a model has no /embed (404).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine, createPool, type Pool } from 'attnkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createService, modelFolder } from '../examples/node-service/server.js';
import { bertConfig, randomCheckpoint, type BertShape } from './helpers/bert-checkpoint.js';

const SHAPE: BertShape = { hiddenSize: 32, numLayers: 2, numHeads: 4, intermediateSize: 64, vocabSize: 300, maxPositions: 64, typeVocabSize: 2 };
const dir = mkdtempSync(join(tmpdir(), 'attnkit-service-model-'));
writeFileSync(join(dir, 'config.json'), JSON.stringify(bertConfig(SHAPE)));
writeFileSync(join(dir, 'model.safetensors'), randomCheckpoint(SHAPE, 31));
writeFileSync(join(dir, 'tokenizer.json'), readFileSync(fileURLToPath(new URL('./golden/wordpiece-tokenizer.json', import.meta.url))));
const TEXTS = ['I love machine learning', 'Café, naïve résumé', 'the quick brown fox'];

let pool: Pool;
const servers: { close(): void }[] = [];
async function listen(withModel: boolean): Promise<string> {
  const server = await createService({ pool, ...(withModel ? { model: modelFolder(dir) } : {}) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
beforeAll(async () => {
  pool = await createPool({ size: 2 });
});
afterAll(async () => {
  for (const s of servers) s.close();
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
});

it('/embed answers the library’s embeddings, computed on the pool', async () => {
  const origin = await listen(true);
  const engine = await createEngine();
  const model = await engine.loadModel(modelFolder(dir));
  const want = model.embed(TEXTS);
  const answers = await Promise.all([0, 1, 2].map(async () => (await fetch(`${origin}/embed`, { method: 'POST', body: JSON.stringify({ texts: TEXTS }) })).json()));
  for (const answer of answers) {
    expect(answer.dim).toBe(SHAPE.hiddenSize);
    expect(answer.embeddings.flat()).toEqual(Array.from(want));
  }
  const bad = await fetch(`${origin}/embed`, { method: 'POST', body: JSON.stringify({ text: 'x' }) });
  expect(bad.status).toBe(400);
  expect((await bad.json()).error).toMatch(/expected \{ "texts": \[string, …\] \}/);
});

it('a service without a model has no /embed', async () => {
  const origin = await listen(false);
  expect((await fetch(`${origin}/embed`, { method: 'POST', body: JSON.stringify({ texts: ['a'] }) })).status).toBe(404);
});
