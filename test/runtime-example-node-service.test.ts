// examples/node-service: POST /attention with a sentence answers its tokens and attention
// weights; bad requests get a 400 with the reason, other routes a 404.

import type { AddressInfo } from 'node:net';
import { createEngine } from 'attnkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createService } from '../examples/node-service/server.js';
import { attend, toyEncoder } from '../examples/toy-model.js';

let origin: string;
let close: () => void;
beforeAll(async () => {
  const server = await createService();
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
