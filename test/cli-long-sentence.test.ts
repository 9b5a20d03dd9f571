// Long sentences: the text walk-through shows the head and tail of each list and a capped heatmap;
// --json keeps every token; the SVG shows the first 128.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { attnkit } from './helpers/cli.js';

const sentence = (n: number) => Array.from({ length: n }, (_, i) => ['the', 'cat', 'sat', 'on', 'a', 'mat'][i % 6]).join(' ');

it('100 tokens: 23 rows per list, a 64-token heatmap, every token in --json', () => {
  const { code, stdout } = attnkit('encode', sentence(100), '--dim', '4', '--causal');
  expect(code).toBe(0);
  expect(stdout.split('\n').length).toBeLessThan(200);
  expect(stdout.match(/ {2}… 77 more …/g)).toHaveLength(4); // embeddings, positional, sums, outputs
  expect(stdout).toContain('- Position 100 -> ');
  expect(stdout).toContain('… 100 tokens in all]');
  expect(stdout).toContain('the first 64 of 100 tokens; --json has all');
  expect(stdout).toMatch(/\n64 +on /); // the heatmap's last row (token 64 is "on")
  expect(stdout).not.toMatch(/\n65 +a /);
  const json = JSON.parse(attnkit('encode', sentence(100), '--dim', '4', '--json').stdout) as { tokens: string[]; averageWeights: number[][] };
  expect(json.tokens).toHaveLength(100);
  expect(json.averageWeights.map((r) => r.length)).toEqual(new Array(100).fill(100));
});

it('200 tokens: the SVG has the first 128 tokens, and says so', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'attnkit-')), 'long.svg');
  const { code } = attnkit('encode', sentence(200), '--dim', '4', '--heads', '1', '--svg', file);
  expect(code).toBe(0);
  const svg = readFileSync(file, 'utf8');
  expect(svg.match(/<rect [^>]*stroke="white"/g)).toHaveLength(128 * 128);
  expect(svg).toContain('<title>attnkit: attention weights (first 128 of 200 tokens) — ');
});
