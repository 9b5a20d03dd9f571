// The package's export conditions: `workerd` and `browser` get their own entries, Node,
// Deno and Bun the default one, and the .wasm is a subpath of its own. No Node built-in is
// reachable from the workerd and browser entries, and the Node entry only imports one
// dynamically (to read its file: URL), so bundlers for other platforms never see one.

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const dist = fileURLToPath(new URL('../packages/attnkit/dist/', import.meta.url));

async function resolveWith(conditions: string[], specifier = 'attnkit'): Promise<string> {
  const script = `console.log(import.meta.resolve(${JSON.stringify(specifier)}))`;
  const args = [...conditions.map((c) => `--conditions=${c}`), '--input-type=module', '-e', script];
  const { stdout } = await run(process.execPath, args, { cwd: fileURLToPath(new URL('..', import.meta.url)) });
  return relative(dist, fileURLToPath(stdout.trim()));
}

it.each([
  [['workerd', 'worker', 'browser'], 'index.workerd.js'], // wrangler's conditions
  [['browser'], 'index.browser.js'],
  [[], 'index.js'],
])('with conditions %j, attnkit resolves to dist/%s', async (conditions, entry) => {
  expect(await resolveWith(conditions)).toBe(entry);
});

it('attnkit/attnkit.wasm resolves to the module itself', async () => {
  expect(await resolveWith([], 'attnkit/attnkit.wasm')).toBe('attnkit.wasm');
});

/** Every specifier statically imported from `file`, followed through relative imports. */
function staticImports(file: string, seen = new Map<string, string[]>()): Map<string, string[]> {
  if (seen.has(file)) return seen;
  const source = readFileSync(file, 'utf8');
  const specifiers = [...source.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? m[2]);
  seen.set(file, specifiers);
  for (const s of specifiers) if (s.startsWith('.') && s.endsWith('.js')) staticImports(join(dirname(file), s), seen);
  return seen;
}

it.each(['index.workerd.js', 'index.browser.js', 'index.js'])('%s imports no Node built-in statically', (entry) => {
  const graph = staticImports(join(dist, entry));
  const builtins = [...graph].flatMap(([file, specifiers]) => specifiers.filter((s) => !s.startsWith('.')).map((s) => `${relative(dist, file)} → ${s}`));
  expect(builtins).toEqual([]);
  expect(graph.size).toBeGreaterThan(5);
});

it.each(['index.workerd.js', 'index.browser.js'])('%s names no Node built-in at all, not even dynamically', (entry) => {
  const files = [...staticImports(join(dist, entry)).keys()];
  expect(files.filter((f) => /['"]node:/.test(readFileSync(f, 'utf8'))).map((f) => relative(dist, f))).toEqual([]);
});
