// `attnkit embed` refuses bad arguments and incomplete model folders with one line naming
// what is wrong (exit 2 for usage, 1 otherwise), before loading anything.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { attnkit } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'attnkit-embed-'));
const noWeights = join(dir, 'no-weights');
mkdirSync(noWeights);
writeFileSync(join(noWeights, 'config.json'), '{"model_type": "bert"}');
writeFileSync(join(noWeights, 'tokenizer.json'), '{}');
const noTokenizer = join(dir, 'no-tokenizer');
mkdirSync(noTokenizer);
writeFileSync(join(noTokenizer, 'config.json'), '{"model_type": "bert"}');

it.each([
  ['no --model', ['embed', 'hello'], 2, /embed needs --model DIR/],
  ['no text', ['embed', '--model', dir], 2, /embed needs at least one text/],
  ['an empty text', ['embed', '--model', dir, 'a', '  '], 2, /text 2 is empty/],
  ['a bad pooling', ['embed', '--model', dir, 'a', '--pooling', 'max'], 2, /--pooling must be mean or cls, got "max"/],
  ['a bad dtype', ['embed', '--model', dir, 'a', '--dtype', 'f64'], 2, /--dtype must be f32 or f16, got "f64"/],
  ['an option of encode', ['embed', '--model', dir, 'a', '--dim', '8'], 2, /--dim is not an option of embed/],
  ['an option of embed given to encode', ['encode', 'hi', '--model', dir], 2, /--model is an option of embed, not of encode/],
  ['a folder without config.json', ['embed', '--model', join(dir, 'missing'), 'a'], 1, /cannot read config\.json \(ENOENT\).*config\.json, model\.safetensors, tokenizer\.json/],
  ['a folder without tokenizer.json', ['embed', '--model', noTokenizer, 'a'], 1, /cannot read tokenizer\.json \(ENOENT\)/],
  ['a folder without model.safetensors', ['embed', '--model', noWeights, 'a'], 1, /no model\.safetensors/],
])('%s', (_, args, exitCode, message) => {
  const { code, stdout, stderr } = attnkit(...(args as string[]));
  expect(code).toBe(exitCode);
  expect(stdout).toBe('');
  expect(stderr).toMatch(/^attnkit: /);
  expect(stderr).toMatch(message);
  expect(stderr.trim().split('\n')).toHaveLength(1);
});

it('--help describes embed and its options', () => {
  const { stdout } = attnkit('--help');
  for (const text of ['attnkit embed --model DIR', '--pooling mean|cls', '--dtype f32|f16', 'cosine-similarity']) expect(stdout).toContain(text);
});
