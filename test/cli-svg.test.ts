// `--svg FILE` writes a well-formed SVG heatmap with a cell per weight, token labels and a colour scale.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { heatmapSvg } from '../packages/attnkit/dist/cli/svg.js';
import { attnkit } from './helpers/cli.js';

const TAG = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<&]*(?:&(?:amp|lt|gt|quot|apos);[^"<&]*)*")*)\s*(\/?)>/g;

/** A small well-formedness check: one root, every tag closes in order, attributes quoted, entities known. */
function checkXml(text: string): void {
  const stack: string[] = [];
  let roots = 0;
  for (const [, closing, name, , selfClosing] of text.matchAll(TAG)) {
    if (stack.length === 0 && !closing) roots++;
    if (selfClosing) continue;
    if (closing) expect(stack.pop(), `</${name}>`).toBe(name);
    else stack.push(name);
  }
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
  const rest = text.replace(TAG, '');
  expect(rest).not.toMatch(/[<>]/); // nothing tag-like the pattern did not accept
  expect(rest.replace(/&(amp|lt|gt|quot|apos);/g, '')).not.toMatch(/&/); // no bare ampersand
}

const cells = (svg: string) => svg.match(/<rect [^>]*stroke="white"/g) ?? [];

it('writes a valid SVG with one rect per cell, the token labels on both axes and a colour scale', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'attnkit-')), 'heatmap.svg');
  const { code, stdout } = attnkit('encode', 'I love <machine> & learning', '--svg', file);
  expect(code).toBe(0);
  expect(stdout).toContain(`Heatmap written to ${file}`);
  const svg = readFileSync(file, 'utf8');
  checkXml(svg);
  expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+" viewBox="0 0 \d+ \d+"/);
  const tokens = ['I', 'love', '&lt;', 'machine', '&gt;', '&amp;', 'learning'];
  expect(cells(svg).length).toBe(tokens.length ** 2);
  for (const t of tokens) expect(svg.split(`>${t}</text>`).length - 1).toBe(2); // row and column label
  expect(svg.match(/<text [^>]*>\d\.\d\d<\/text>/g)).toHaveLength(tokens.length ** 2); // values in the cells
  expect(svg).toContain('>0</text>');
  expect(svg).toContain('>1</text>'); // the scale's ends
});

it('--svg with --json: the picture is written and stdout stays pure JSON', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'attnkit-')), 'heatmap.svg');
  const { code, stdout } = attnkit('demo', '--json', '--svg', file);
  expect(code).toBe(0);
  expect(JSON.parse(stdout)).toHaveProperty('weights');
  checkXml(readFileSync(file, 'utf8'));
});

it('leaves the values out of the cells of long sentences', () => {
  const labels = Array.from({ length: 20 }, (_, i) => `w${i}`);
  const svg = heatmapSvg(new Float32Array(400).fill(0.05), labels, 'twenty');
  checkXml(svg);
  expect(cells(svg).length).toBe(400);
  expect(svg).not.toMatch(/>0\.05<\/text>/);
});
