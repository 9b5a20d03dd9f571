// The tokenizer library is loaded only on demand: no entry of the package (Node, browser,
// workerd, the CLI) reaches `@huggingface/tokenizers` through static imports, so a program
// that brings its own token ids never loads it; only dist/model/tokenizer.js imports it.

import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../packages/attnkit/dist/', import.meta.url));
const STATIC_IMPORT = /(?:^|[;\n])\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[;\n])\s*import\s*['"]([^'"]+)['"]/g;

/** Every module specifier `file` and the relative files it imports statically import. */
function staticGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      const specifier = m[1] ?? m[2];
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
      else seen.add(specifier);
    }
  };
  visit(join(dist, entry));
  return seen;
}

it.each(['index.js', 'index.browser.js', 'index.workerd.js', 'cli.js'])('%s does not import @huggingface/tokenizers statically', (entry) => {
  const graph = staticGraph(entry);
  expect(graph.size).toBeGreaterThan(5);
  expect([...graph].filter((s) => s.startsWith('@huggingface/') || s.endsWith('model/tokenizer.js'))).toEqual([]);
});

it('dist/model/tokenizer.js is the module that imports it', () => {
  expect([...staticGraph('model/tokenizer.js')]).toContain('@huggingface/tokenizers');
});
