// `--svg FILE` writes a well-formed SVG heatmap with a cell per weight and token labels.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { attnkit } from './helpers/cli.js';

/** A small well-formedness check: every tag closes in order, attributes are quoted. */
function checkXml(text: string): void {
  const stack: string[] = [];
  for (const m of text.matchAll(/<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g)) {
    const [, closing, name, , selfClosing] = m;
    if (selfClosing) continue;
    if (closing) expect(stack.pop(), `</${name}>`).toBe(name);
    else stack.push(name);
  }
  expect(stack).toEqual([]);
  // Nothing tag-like left that the pattern did not accept.
  expect(text.replace(/<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g, '')).not.toMatch(/[<>]/);
}

it('writes a valid SVG with one rect per cell and the token labels', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'attnkit-')), 'heatmap.svg');
  const { code, stdout } = attnkit('encode', 'I love <machine> learning', '--svg', file);
  expect(code).toBe(0);
  expect(stdout).toContain(`Heatmap written to ${file}`);
  const svg = readFileSync(file, 'utf8');
  checkXml(svg);
  expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+" viewBox="0 0 \d+ \d+"/);
  const tokens = ['I', 'love', '&lt;', 'machine', '&gt;', 'learning'];
  const cells = svg.match(/<rect [^>]*stroke="white"/g) ?? [];
  expect(cells.length).toBe(tokens.length ** 2);
  for (const t of tokens) expect(svg).toContain(`>${t}</text>`);
});
