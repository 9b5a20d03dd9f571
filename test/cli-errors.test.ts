// Bad input: one line on stderr starting with "attnkit:", a non-zero exit, no stack trace.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { attnkit } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'attnkit-'));
const glove3 = join(dir, 'three.txt');
writeFileSync(glove3, 'cat 0.1 0.2 0.3\nsat 0.4 0.5 0.6\n');
const ragged = join(dir, 'ragged.txt');
writeFileSync(ragged, 'cat 0.1 0.2 0.3\nsat 0.4 0.5\n');
const words = join(dir, 'words.txt');
writeFileSync(words, 'cat 0.1 x 0.3\n');

it.each([
  ['no command', [], 2, /missing command/],
  ['unknown command', ['frob'], 2, /unknown command "frob"/],
  ['unknown option', ['encode', 'hi', '--bogus'], 2, /Unknown option '--bogus'/],
  ['option without its value', ['encode', 'hi', '--dim'], 2, /--dim/],
  ['no sentence', ['encode'], 2, /needs a sentence/],
  ['empty sentence', ['encode', '   '], 2, /sentence is empty/],
  ['non-numeric dim', ['encode', 'hi', '--dim', 'eight'], 2, /--dim must be an integer, got "eight"/],
  ['heads not dividing dim', ['encode', 'hi', '--dim', '8', '--heads', '3'], 2, /--heads 3 must divide the embedding width 8/],
  ['odd head width with rope', ['encode', 'hi', '--dim', '6', '--heads', '2', '--positional', 'rope'], 2, /rope needs an even head width/],
  ['unknown positional', ['encode', 'hi', '--positional', 'alibi'], 2, /--positional must be/],
  ['unknown backend', ['encode', 'hi', '--backend', 'gpu'], 2, /--backend must be wasm or ts/],
  ['unreadable embeddings file', ['encode', 'hi', '--embeddings', join(dir, 'missing.txt')], 1, /cannot read embeddings file .*ENOENT/],
  ['ragged embeddings file', ['encode', 'hi', '--embeddings', ragged], 1, /ragged\.txt:2: expected 3 values after "sat", got 2/],
  ['non-number in embeddings file', ['encode', 'hi', '--embeddings', words], 1, /words\.txt:1: "x" is not a number/],
  ['dim mismatch with the embeddings file', ['encode', 'hi', '--embeddings', glove3, '--dim', '4'], 1, /--dim 4 does not match the embeddings file's 3/],
] as const)('%s', (_, args, exitCode, message) => {
  const { code, stdout, stderr } = attnkit(...args);
  expect(code).toBe(exitCode);
  expect(stdout).toBe('');
  expect(stderr).toMatch(/^attnkit: /);
  expect(stderr).toMatch(message);
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
});
