// examples/browser in headless Chromium: the page draws one heatmap per head for the typed
// sentence on the wasm backend, and redraws as the sentence changes; the drawn weights are
// the ones Node computes with the same toy model.

import { createEngine } from 'attnkit';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { attend, HEADS, toyEncoder } from '../examples/toy-model.js';
import { launchChromium } from './runtimes/chromium.js';
import { serve } from './runtimes/serve.js';

let server: Awaited<ReturnType<typeof serve>>;
let browser: Browser;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([serve(), launchChromium()]);
  page = await browser.newPage();
  page.on('pageerror', (err) => errors.push(String(err)));
  await page.goto(`${server.origin}/examples/browser/index.html`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
}, 60_000); // starting a runtime on a busy 2-core machine can take a while
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The drawn weights: per head, the `title` of every weight cell, row by row. */
const drawn = () =>
  page.$$eval('.grid', (grids) => grids.map((g) => Array.from(g.querySelectorAll<HTMLElement>('.weight'), (c) => Number(c.title))));

it('draws a heatmap per head for the initial sentence on the wasm backend', async () => {
  expect(errors).toEqual([]);
  expect(await page.textContent('#status')).toBe('backend: wasm');
  const expected = attend(toyEncoder(await createEngine({ backend: 'wasm' })), 'I love machine learning');
  expect(await drawn()).toEqual(expected.weights.map((head) => head.flat()));
});

it('redraws for a typed sentence', async () => {
  await page.fill('#sentence', 'attention is all you need');
  const grids = await drawn();
  expect(grids).toHaveLength(HEADS);
  expect(grids.every((g) => g.length === 25)).toBe(true);
  const expected = attend(toyEncoder(await createEngine({ backend: 'wasm' })), 'attention is all you need');
  expect(grids).toEqual(expected.weights.map((head) => head.flat()));
  expect(errors).toEqual([]);
});
