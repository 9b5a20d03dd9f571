// The npm tarball (`pnpm pack`) holds only what a user needs — the built JavaScript and
// its types, the .wasm, README, LICENSE, package.json — and works once installed: in Node,
// and in workerd running the README's "Cloudflare Worker" snippet against the packed files,
// under an old Workers compatibility date (no FinalizationRegistry) and a current one.

import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEngine } from 'attnkit';
import { COMPATIBILITY_DATES, startWorker } from './runtimes/drivers.js';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('../packages/attnkit/', import.meta.url));

let dir: string;
let files: string[];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'attnkit-pack-'));
  await run('pnpm', ['pack', '--pack-destination', dir], { cwd: packageDir });
  const [tarball] = (await readdir(dir)).filter((f) => f.endsWith('.tgz'));
  const installed = join(dir, 'node_modules', 'attnkit');
  await mkdir(installed, { recursive: true });
  await run('tar', ['xzf', join(dir, tarball), '-C', installed, '--strip-components=1']);
  files = (await run('tar', ['tzf', join(dir, tarball)])).stdout.trim().split('\n').map((f) => f.replace(/^package\//, ''));
}, 60_000);
afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

it('contains only dist (JavaScript, declarations, the .wasm), README, LICENSE and package.json', () => {
  console.log(`attnkit tarball: ${files.length} files`);
  const unexpected = files.filter((f) => !/^(package\.json|README\.md|LICENSE|dist\/.+\.(js|d\.ts)|dist\/attnkit\.wasm)$/.test(f));
  expect(unexpected).toEqual([]);
  expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'dist/attnkit.wasm', 'dist/index.js', 'dist/index.d.ts']));
  expect(files.filter((f) => /\.map$|(^|\/)(test|src)\/|\.test\./.test(f))).toEqual([]);
});

it('has every file its exports and bin point to', async () => {
  const pkg = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8'));
  const targets: string[] = [pkg.main, pkg.types, ...Object.values(pkg.bin as Record<string, string>)];
  for (const value of Object.values(pkg.exports as Record<string, string | Record<string, string>>)) {
    targets.push(...(typeof value === 'string' ? [value] : Object.values(value)));
  }
  expect(targets.map((t) => t.replace(/^\.\//, '')).filter((t) => !files.includes(t))).toEqual([]);
});

it('works installed, in Node', async () => {
  const script = "import { createEngine } from 'attnkit'; const e = await createEngine(); console.log(e.backend, e.sinusoidalEncoding(1, 2).join());";
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: dir });
  expect(stdout.trim()).toBe('wasm 0,1');
});

it.each(['2025-01-01', COMPATIBILITY_DATES.current])("runs the README's Worker snippet in workerd dated %s against the packed files, bit-identical to Node", async (date) => {
  const readme = await readFile(join(dir, 'node_modules', 'attnkit', 'README.md'), 'utf8');
  const snippet = /## In a Cloudflare Worker\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(snippet).toBeDefined();
  expect(snippet!.trim().split('\n').filter((l) => l.trim() !== '').length).toBeLessThan(10);
  await writeFile(join(dir, 'worker.ts'), snippet!);
  await writeFile(join(dir, 'wrangler.jsonc'), JSON.stringify({ name: 'readme', main: 'worker.ts', compatibility_date: date }));
  const worker = await startWorker(join(dir, 'wrangler.jsonc'));
  try {
    const response = await worker.fetch('/?n=5');
    expect(response.status).toBe(200);
    const { backend, pe } = (await response.json()) as { backend: string; pe: number[] };
    expect(backend).toBe('wasm');
    expect(pe).toHaveLength(40);
    expect(pe.slice(0, 2)).toEqual([0, 1]); // position 0: sin 0, cos 0
    // JSON numbers round-trip float32 values exactly: equal numbers are equal bits.
    expect(pe).toEqual(Array.from((await createEngine({ backend: 'wasm' })).sinusoidalEncoding(5, 8)));
  } finally {
    await worker.dispose();
  }
});
