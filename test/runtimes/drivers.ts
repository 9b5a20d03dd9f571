/**
 * Runs the golden cases (shared/golden-run.ts) inside each runtime and brings back their
 * reports: Node in this process, Deno and Bun as child processes, workerd through
 * wrangler's dev server, Chromium through playwright-core on a page of serve.ts.
 */

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createEngine } from 'attnkit';
import { launchChromium } from './chromium.js';
import { serve, ROOT } from './serve.js';
import { OPS, runGolden, type Fixtures, type GoldenReport } from './shared/golden-run.js';

const run = promisify(execFile);
const bin = (name: string) => fileURLToPath(new URL(`../../node_modules/.bin/${name}`, import.meta.url));
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export async function goldenInNode(): Promise<GoldenReport> {
  const fixtures: Fixtures = {};
  for (const op of OPS) fixtures[op] = JSON.parse(await readFile(here(`../golden/${op}.json`), 'utf8'));
  return runGolden(`node ${process.versions.node}`, await createEngine({ backend: 'wasm' }), fixtures);
}

async function reportOf(command: string, args: string[]): Promise<GoldenReport> {
  const { stdout } = await run(command, args, { cwd: ROOT, maxBuffer: 16 << 20, env: { ...process.env, NO_COLOR: '1' } });
  return JSON.parse(stdout) as GoldenReport;
}

export function goldenInDeno(): Promise<GoldenReport> {
  // --sloppy-imports: the shared TypeScript imports its siblings as '.js', as tsc wants.
  return reportOf(bin('deno'), ['run', '--quiet', '--sloppy-imports', '--allow-read', '--allow-env', here('deno/main.ts')]);
}

export function goldenInBun(): Promise<GoldenReport> {
  return reportOf(bin('bun'), [here('bun/main.ts')]);
}

/**
 * Workers' compatibility dates the runtime tests run under: the oldest the pinned workerd
 * accepts (no `FinalizationRegistry` or `WeakRef` before 2025-05-05, as most deployed
 * Workers are dated) and a current one.
 */
export const COMPATIBILITY_DATES = { old: '2022-01-01', current: '2026-04-01' } as const;

/**
 * A Worker (its wrangler.jsonc) running in workerd on a free port, until `dispose()`;
 * `compatibilityDate` replaces the config's.
 */
export async function startWorker(config: string, compatibilityDate?: string): Promise<{ fetch: (path: string, init?: RequestInit) => Promise<Response>; dispose: () => Promise<void> }> {
  process.env.WRANGLER_LOG ??= 'error'; // not its request log and offline warnings
  const { unstable_startWorker } = await import('wrangler'); // large: loaded only by the tests that start a Worker
  const worker = await unstable_startWorker({ config, ...(compatibilityDate ? { compatibilityDate } : {}), dev: { server: { hostname: '127.0.0.1', port: 0 }, inspector: false, persist: false, watch: false }, sendMetrics: false });
  await worker.ready;
  const url = await worker.url;
  return { fetch: (path, init) => fetch(new URL(path, url), init), dispose: () => worker.dispose() };
}

export async function goldenInWorkerd(compatibilityDate: string): Promise<GoldenReport> {
  const worker = await startWorker(here('workerd/wrangler.jsonc'), compatibilityDate);
  try {
    const response = await worker.fetch('/golden');
    if (!response.ok) throw new Error(`workerd /golden: HTTP ${response.status}: ${await response.text()}`);
    return (await response.json()) as GoldenReport;
  } finally {
    await worker.dispose();
  }
}

export async function goldenInChromium(): Promise<GoldenReport> {
  const [server, browser] = await Promise.all([serve(), launchChromium()]);
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(String(err)));
    await page.goto(`${server.origin}/test/runtimes/chromium/golden.html`);
    await page.waitForFunction(() => 'goldenReport' in window || 'goldenError' in window || document.title === 'error', undefined, { timeout: 30_000 }).catch(() => {
      throw new Error(`chromium: no report; page errors: ${errors.join('; ') || 'none'}`);
    });
    const { report, error } = await page.evaluate(() => {
      const w = window as unknown as { goldenReport?: GoldenReport; goldenError?: string };
      return { report: w.goldenReport, error: w.goldenError };
    });
    if (report === undefined) throw new Error(`chromium: ${error}`);
    return report;
  } finally {
    await browser.close();
    await server.close();
  }
}
