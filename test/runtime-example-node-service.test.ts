// examples/node-service: POST /attention with a sentence answers its tokens and attention
// weights; POST /encode (on a pool of workers) the encoder's output, as nested arrays or
// base64 float32; bad requests get a 400 with the reason, other routes a 404; a closed
// pool answers 503.

import type { AddressInfo } from 'node:net';
import { createEngine, createPool, type Pool } from 'attnkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createService } from '../examples/node-service/server.js';
import { attend, tokenize, toyConfig, toyEncoder } from '../examples/toy-model.js';

let origin: string;
let close: () => void;
let pool: Pool;
beforeAll(async () => {
  pool = await createPool({ size: 1 });
  const server = await createService({ pool });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close?.());

const post = (body: string) => fetch(`${origin}/attention`, { method: 'POST', body });

it('answers the tokens and attention weights of a sentence', async () => {
  const response = await post(JSON.stringify({ sentence: 'Hello, world' }));
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual(attend(toyEncoder(await createEngine({ backend: 'wasm' })), 'Hello, world'));
});

it('rejects a body without a sentence (400) and unknown routes (404)', async () => {
  const bad = await post(JSON.stringify({ text: 'x' }));
  expect(bad.status).toBe(400);
  expect((await bad.json()).error).toMatch(/expected \{ "sentence": string \}/);
  expect((await fetch(`${origin}/`)).status).toBe(404);
});

it('/encode answers the encoder output of a sentence (nested rows) and of ids (base64 float32)', async () => {
  const engine = await createEngine({ backend: 'wasm' });
  const encoder = engine.encoder(toyConfig());
  const { tokens, ids } = tokenize('Hello, world');
  const want = encoder.encode(ids).output;
  const nestedAnswer = await (await fetch(`${origin}/encode`, { method: 'POST', body: JSON.stringify({ sentence: 'Hello, world' }) })).json();
  expect(nestedAnswer.tokens).toEqual(tokens);
  expect(nestedAnswer.output.flat()).toEqual(Array.from(want));
  const base64 = await (await fetch(`${origin}/encode`, { method: 'POST', body: JSON.stringify({ ids: Array.from(ids), format: 'base64' }) })).json();
  expect(base64.output).toBe(Buffer.from(want.buffer).toString('base64'));
  const bad = await fetch(`${origin}/encode`, { method: 'POST', body: JSON.stringify({ ids: [1, 5000] }) });
  expect(bad.status).toBe(400);
  expect((await bad.json()).error).toMatch(/integers in \[0, 1024\)/);
});

it('/encode answers 503 with Retry-After when the pool cannot take the call', async () => {
  await pool.close();
  const response = await fetch(`${origin}/encode`, { method: 'POST', body: JSON.stringify({ ids: [1, 2] }) });
  expect(response.status).toBe(503);
  expect(response.headers.get('retry-after')).toBe('1');
  expect((await response.json()).code).toBe('ATTNKIT_POOL_CLOSED');
});
