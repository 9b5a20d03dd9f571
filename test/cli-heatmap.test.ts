// The terminal heatmap: ANSI colour on a terminal, plain shades and values otherwise; compact for long sentences.

import { expect, it } from 'vitest';
import { useColor } from '../packages/attnkit/dist/cli/args.js';
import { COMPACT_FROM, heatmap } from '../packages/attnkit/dist/cli/heatmap.js';

const weights = Float32Array.from([1, 0, 0.25, 0.75]);

it('plain: a shade character before each value, no escape codes', () => {
  const text = heatmap(weights, ['a', 'b'], false);
  expect(text).not.toMatch(/\x1b/);
  expect(text.split('\n')).toEqual(['            a      b', '    a  █    1      0', '    b  ░ 0.25 ▓ 0.75']);
});

it('colour: a 256-colour background per cell, reset after each', () => {
  const text = heatmap(weights, ['a', 'b'], true);
  expect(text.match(/\x1b\[48;5;\d+m/g)).toHaveLength(4);
  expect(text).toContain('\x1b[48;5;255m'); // weight 1: the lightest grey
  expect(text).toContain('\x1b[48;5;232m'); // weight 0: the darkest
  expect(text.match(/\x1b\[0m/g)).toHaveLength(4);
  expect(text.replace(/\x1b\[[\d;]*m/g, '')).toContain('0.75');
});

it('columns widen to show labels up to 9 characters', () => {
  const text = heatmap(Float32Array.from([0.5, 0.5, 0.5, 0.5]), ['machine', 'learning'], false);
  expect(text.split('\n')[0]).toContain(' machine learning');
});

it(`from ${COMPACT_FROM} tokens: two characters a cell, shades relative to each row's largest weight`, () => {
  const n = COMPACT_FROM;
  const w = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) w[i * n + j] = 1 / (i + 1); // causal, even
  const labels = Array.from({ length: n }, (_, i) => `t${i}`);
  const lines = heatmap(w, labels, false).split('\n');
  expect(lines).toHaveLength(n + 3);
  expect(lines[0]).toContain("each row's largest weight");
  expect(lines[1].endsWith(' 1'.repeat(8))).toBe(true); // ruler: tens of columns 10…17
  expect(lines[2].endsWith(' 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7')).toBe(true); // units
  expect(lines[3].endsWith('t0 ██' + '  '.repeat(n - 1))).toBe(true);
  expect(lines[n + 2].endsWith('t16 ' + '██'.repeat(17))).toBe(true); // an even row is all its own maximum
  w[(n - 1) * n] = 2 / n; // one key twice the others: the rest drop to the middle shade
  expect(heatmap(w, labels, false).split('\n')[n + 2].endsWith('t16 ██' + '▒▒'.repeat(16))).toBe(true);
  const colour = heatmap(w, labels, true);
  expect(colour.match(/\x1b\[48;5;\d+m(\x1b\[\d+m)? {2}\x1b\[0m/g)).toHaveLength(n * n);
});

it('colour only on a terminal, without NO_COLOR and --no-color', () => {
  expect(useColor(true, true, {})).toBe(true);
  expect(useColor(true, true, { NO_COLOR: '' })).toBe(true); // no-color.org: only a non-empty value counts
  expect(useColor(true, true, { NO_COLOR: '1' })).toBe(false);
  expect(useColor(true, false, {})).toBe(false);
  expect(useColor(true, undefined, {})).toBe(false);
  expect(useColor(false, true, {})).toBe(false);
});
