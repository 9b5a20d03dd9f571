// --help lists every option with an example; --version prints the package's version.

import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { attnkit } from './helpers/cli.js';

it.each([['--help'], ['-h'], ['help'], ['encode', 'hi', '--help']])('%s prints the usage and exits 0', (...args) => {
  const { code, stdout, stderr } = attnkit(...args);
  expect(code).toBe(0);
  expect(stderr).toBe('');
  for (const option of ['--backend', '--dim', '--heads', '--positional', '--causal', '--seed', '--embeddings', '--json', '--svg', '--no-color', '--help', '--version']) {
    expect(stdout).toContain(option);
  }
  for (const kind of ['sinusoidal', 'learned', 'rope', 'none', 'example']) expect(stdout).toContain(kind);
  expect(stdout).toContain('averaged over heads');
  expect(stdout).toMatch(/Examples?:\n {2}attnkit /);
});

it('--version prints the version of packages/attnkit', () => {
  const { version } = JSON.parse(readFileSync(new URL('../packages/attnkit/package.json', import.meta.url), 'utf8')) as { version: string };
  for (const flag of ['--version', '-v']) expect(attnkit(flag)).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
});

it('encode joins several words into one sentence; -- lets a sentence start with a dash', () => {
  const words = JSON.parse(attnkit('encode', 'I', 'love', 'cats', '--json').stdout) as { sentence: string };
  expect(words.sentence).toBe('I love cats');
  const dashed = JSON.parse(attnkit('encode', '--json', '--', '--dashes--').stdout) as { tokens: string[] };
  expect(dashed.tokens).toEqual(['-', '-', 'dashes', '-', '-']);
});
