// `attnkit demo` walks the seed's worked example and prints its numbers.

import { expect, it } from 'vitest';
import { attnkit } from './helpers/cli.js';

it.each(['wasm', 'ts'])("demo on %s prints the seed's tokens, vectors and sums", (backend) => {
  const { code, stdout, stderr } = attnkit('demo', '--backend', backend);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(stdout).toContain('["I", "love", "machine", "learning"]');
  expect(stdout).toContain('"love"     -> [0.2, 0.4, 0.6]');
  expect(stdout).toContain('Position 4 -> [0.04, 0.05, 0.06]');
  for (const sum of ['[0.11, 0.32, 0.53]', '[0.22, 0.43, 0.64]', '[0.33, 0.54, 0.75]', '[0.44, 0.65, 0.86]']) expect(stdout).toContain(sum);
  expect(stdout).toContain('[0.1+0.01, 0.3+0.02, 0.5+0.03] = [0.11, 0.32, 0.53]');
  expect(stdout).toContain(`backend ${backend}`);
  expect(stdout).not.toMatch(/\x1b\[/); // piped: no colour codes
});
