// The tokenizer module (and the npm `@huggingface/tokenizers` it imports on demand) inside
// five real runtimes: Node (here), Deno and Bun (child processes), workerd under an old and
// a current compatibility date (wrangler's dev server bundles it into the Worker) and
// headless Chromium (through an import map, as a bundler would resolve it). Every runtime
// gives the reference's ids for every case.

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createTokenizer } from '../packages/attnkit/dist/model/tokenizer.js';
import { launchChromium } from './runtimes/chromium.js';
import { COMPATIBILITY_DATES, startWorker } from './runtimes/drivers.js';
import { ROOT, serve } from './runtimes/serve.js';
import { runTokenize, type TokenizeCase, type TokenizeReport } from './runtimes/shared/tokenize-run.js';

const run = promisify(execFile);
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const bin = (name: string) => here(`../node_modules/.bin/${name}`);
const fixture = (name: string) => readFile(here(`./golden/${name}`), 'utf8');

async function reportOf(command: string, args: string[]): Promise<TokenizeReport> {
  const { stdout } = await run(command, args, { cwd: ROOT, maxBuffer: 16 << 20, env: { ...process.env, NO_COLOR: '1' } });
  return JSON.parse(stdout) as TokenizeReport;
}

async function tokenizeInWorkerd(compatibilityDate: string): Promise<TokenizeReport> {
  const worker = await startWorker(here('runtimes/workerd/wrangler.jsonc'), compatibilityDate);
  try {
    const response = await worker.fetch('/tokenize');
    if (!response.ok) throw new Error(`workerd /tokenize: HTTP ${response.status}: ${await response.text()}`);
    return (await response.json()) as TokenizeReport;
  } finally {
    await worker.dispose();
  }
}

const RUNTIMES: Record<string, () => Promise<TokenizeReport>> = {
  node: async () => runTokenize(`node ${process.versions.node}`, createTokenizer, await fixture('wordpiece-tokenizer.json'), JSON.parse(await fixture('tokenize.json')).cases as TokenizeCase[]),
  deno: () => reportOf(bin('deno'), ['run', '--quiet', '--sloppy-imports', '--allow-read', '--allow-env', here('runtimes/deno/tokenize.ts')]),
  bun: () => reportOf(bin('bun'), [here('runtimes/bun/tokenize.ts')]),
  ...Object.fromEntries(Object.entries(COMPATIBILITY_DATES).map(([age, date]) => [`workerd (${age} compatibility date ${date})`, () => tokenizeInWorkerd(date)])),
  chromium: async () => {
    const [server, browser] = await Promise.all([serve(), launchChromium()]);
    try {
      const page = await browser.newPage();
      await page.goto(`${server.origin}/test/runtimes/chromium/tokenize.html`);
      await page.waitForFunction(() => 'tokenizeReport' in window || 'tokenizeError' in window, undefined, { timeout: 30_000 });
      const { report, error } = await page.evaluate(() => {
        const w = window as unknown as { tokenizeReport?: TokenizeReport; tokenizeError?: string };
        return { report: w.tokenizeReport, error: w.tokenizeError };
      });
      if (report === undefined) throw new Error(`chromium: ${error}`);
      return report;
    } finally {
      await browser.close();
      await server.close();
    }
  },
};

describe.each(Object.keys(RUNTIMES))('%s', (runtime) => {
  it('tokenizes every case as the reference does', async () => {
    const report = await RUNTIMES[runtime]();
    const cases = JSON.parse(await fixture('tokenize.json')).cases as TokenizeCase[];
    console.log(`${report.runtime}: ${report.results.length} tokenization cases`);
    expect(report.results.map((r) => r.name)).toEqual(cases.map((c) => c.name));
    expect(report.results.filter((r) => !r.ok)).toEqual([]);
  });
});
