// The terminal heatmap: ANSI colour on a terminal, plain shades and values otherwise.

import { expect, it } from 'vitest';
import { heatmap } from '../packages/attnkit/dist/cli/heatmap.js';

const weights = Float32Array.from([1, 0, 0.25, 0.75]);

it('plain: shade characters and values, no escape codes', () => {
  const text = heatmap(weights, ['a', 'b'], false);
  expect(text).not.toMatch(/\x1b/);
  expect(text.split('\n')).toHaveLength(3);
  expect(text).toContain('█    1');
  expect(text).toContain('▓ 0.75');
});

it('colour: a 256-colour background per cell, reset after each', () => {
  const text = heatmap(weights, ['a', 'b'], true);
  expect(text.match(/\x1b\[48;5;\d+m/g)).toHaveLength(4);
  expect(text).toContain('\x1b[48;5;255m'); // weight 1: the lightest grey
  expect(text).toContain('\x1b[48;5;232m'); // weight 0: the darkest
  expect(text.match(/\x1b\[0m/g)).toHaveLength(4);
});
