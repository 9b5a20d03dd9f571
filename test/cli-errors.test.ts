// Bad input: one line on stderr starting with "attnkit:", a non-zero exit (2 usage, 1 other), no stack trace.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { attnkit } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'attnkit-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const glove3 = file('three.txt', 'cat 0.1 0.2 0.3\nsat 0.4 0.5 0.6\n');
const ragged = file('ragged.txt', 'cat 0.1 0.2 0.3\nsat 0.4 0.5\n');
const words = file('words.txt', 'cat 0.1 x 0.3\n');
const hex = file('hex.txt', 'cat 0.1 0.2\ndog 0x10 0.2\n');
const alone = file('alone.txt', '\n\nlonely\n');
const empty = file('empty.txt', '');
const odd = file('odd.txt', 'cat 0.1 0.2 0.3\n');
mkdirSync(join(dir, 'a-directory'));

it.each([
  ['no command', [], 2, /missing command/],
  ['unknown command', ['frob'], 2, /unknown command "frob"/],
  ['unknown option', ['encode', 'hi', '--bogus'], 2, /unknown option --bogus/],
  ['unknown short option', ['encode', 'hi', '-x'], 2, /unknown option -x/],
  ['option without its value', ['encode', 'hi', '--dim'], 2, /--dim needs a value/],
  ['option followed by another option', ['encode', 'hi', '--dim', '--json'], 2, /--dim needs a value/],
  ['value given to a flag', ['encode', 'hi', '--json=1'], 2, /--json does not take a value/],
  ['no sentence', ['encode'], 2, /needs a sentence/],
  ['empty sentence', ['encode', '   '], 2, /sentence is empty/],
  ['demo with a sentence', ['demo', 'hello'], 2, /demo takes no sentence/],
  ['non-numeric dim', ['encode', 'hi', '--dim', 'eight'], 2, /--dim must be an integer, got "eight"/],
  ['fractional seed', ['encode', 'hi', '--seed', '1.5'], 2, /--seed must be an integer, got "1.5"/],
  ['zero dim', ['encode', 'hi', '--dim', '0'], 2, /--dim must be between 1 and 1024, got 0/],
  ['huge dim', ['encode', 'hi', '--dim', '100000000000'], 2, /--dim must be between 1 and 1024/],
  ['negative seed', ['encode', 'hi', '--seed=-3'], 2, /--seed must be between 0 and 4294967295, got -3/],
  ['zero heads', ['encode', 'hi', '--heads', '0'], 2, /--heads must be between 1/],
  ['heads not dividing dim', ['encode', 'hi', '--dim', '8', '--heads', '3'], 2, /--heads 3 must divide the embedding width 8/],
  ['odd dim with rope', ['encode', 'hi', '--dim', '5', '--heads', '1', '--positional', 'rope'], 2, /rope needs an even head width/],
  ['odd head width with rope', ['encode', 'hi', '--dim', '6', '--heads', '2', '--positional', 'rope'], 2, /rope needs an even head width/],
  ['odd file width with rope', ['encode', 'cat', '--embeddings', odd, '--positional', 'rope'], 2, /rope needs an even head width, got dim \/ heads = 3\/1/],
  ['unknown positional', ['encode', 'hi', '--positional', 'alibi'], 2, /--positional must be/],
  ['unknown backend', ['encode', 'hi', '--backend', 'gpu'], 2, /--backend must be wasm or ts/],
  ['unreadable embeddings file', ['encode', 'hi', '--embeddings', join(dir, 'missing.txt')], 1, /cannot read embeddings file .*ENOENT/],
  ['embeddings path is a directory', ['encode', 'hi', '--embeddings', join(dir, 'a-directory')], 1, /cannot read embeddings file .*EISDIR/],
  ['empty embeddings file', ['encode', 'hi', '--embeddings', empty], 1, /empty\.txt: the file is empty/],
  ['ragged embeddings file', ['encode', 'hi', '--embeddings', ragged], 1, /ragged\.txt: glove line 2: expected 3 values after the word "sat", got 2/],
  ['non-number in embeddings file', ['encode', 'hi', '--embeddings', words], 1, /words\.txt: glove line 1: value "x" is not a number/],
  ['hex number in embeddings file', ['encode', 'hi', '--embeddings', hex], 1, /hex\.txt: glove line 2: value "0x10" is not a number/],
  ['word without a vector', ['encode', 'hi', '--embeddings', alone], 1, /alone\.txt: glove line 3: a word with no values/],
  ['similar without --embeddings', ['similar', 'cat'], 2, /similar needs --embeddings FILE/],
  ['similar with two words', ['similar', 'cat', 'dog', '--embeddings', glove3], 2, /similar takes one word, got 2/],
  ['analogy with two words', ['analogy', 'man', 'king', '--embeddings', glove3], 2, /analogy takes three words, got 2/],
  ['a word not in the file', ['similar', 'zebra', '--embeddings', glove3], 1, /"zebra" is not in .*three\.txt/],
  ['unknown dtype', ['similar', 'cat', '--embeddings', glove3, '--dtype', 'f64'], 2, /--dtype must be f32, f16 or int8, got "f64"/],
  ['zero k', ['similar', 'cat', '--embeddings', glove3, '-k', '0'], 2, /-k must be between 1 and 10000, got 0/],
  ['-k with encode', ['encode', 'hi', '-k', '3'], 2, /-k is for similar and analogy/],
  ['dim mismatch with the embeddings file', ['encode', 'hi', '--embeddings', glove3, '--dim', '4'], 1, /--dim 4 does not match the embeddings file's 3/],
  ['unwritable --svg path', ['encode', 'hi', '--svg', join(dir, 'missing-dir', 'x.svg')], 1, /cannot write .*x\.svg: ENOENT/],
] as const)('%s', (_, args, exitCode, message) => {
  const { code, stdout, stderr } = attnkit(...args);
  expect(code).toBe(exitCode);
  expect(stdout).toBe('');
  expect(stderr).toMatch(/^attnkit: /);
  expect(stderr).toMatch(message);
  expect(stderr.endsWith('\n')).toBe(true);
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at |Error:/);
});
