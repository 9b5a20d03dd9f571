// A tokenizer.json that cannot be used, and bad arguments to encodeBatch, are errors naming
// what was wrong, raised before any text is tokenized.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { createTokenizer } from '../packages/attnkit/dist/model/tokenizer.js';
import { expectRejects } from './helpers/bad-input.js';

const text = readFileSync(fileURLToPath(new URL('./golden/wordpiece-tokenizer.json', import.meta.url)), 'utf8');
const json = () => JSON.parse(text) as Record<string, unknown>;

it('text that is not JSON is a SyntaxError naming tokenizer.json', () => {
  expectRejects(() => createTokenizer('{"model": '), SyntaxError, /tokenizer\.json/, /not valid JSON/);
});

it('JSON that is not an object is a TypeError saying what it was', () => {
  expectRejects(() => createTokenizer('[1, 2]'), TypeError, /tokenizer\.json/, /expected an object/, /an array/);
  expectRejects(() => createTokenizer('null'), TypeError, /tokenizer\.json/, /null/);
  expectRejects(() => createTokenizer('"text"'), TypeError, /tokenizer\.json/, /string/);
});

it('a file without a model, or with a model type the library does not know, names tokenizer.json', () => {
  const { model: _, ...noModel } = json();
  expectRejects(() => createTokenizer(noModel), SyntaxError, /tokenizer\.json/, /model/);
  expectRejects(() => createTokenizer({ ...json(), model: { type: 'NoSuchModel' } }), SyntaxError, /tokenizer\.json/, /NoSuchModel/);
});

it('a post-processor naming a token the vocabulary lacks is an error naming the token', () => {
  const file = json();
  const vocab = { ...(file.model as { vocab: Record<string, number> }).vocab };
  delete vocab['[CLS]'];
  const addedTokens = (file.added_tokens as { content: string }[]).filter((t) => t.content !== '[CLS]');
  expectRejects(() => createTokenizer({ ...file, added_tokens: addedTokens, model: { ...(file.model as object), vocab } }), SyntaxError, /tokenizer\.json/, /\[CLS\]/);
});

it('texts must be an array of strings; the error names the bad element', () => {
  const tokenizer = createTokenizer(text);
  expectRejects(() => tokenizer.encodeBatch('one text' as unknown as string[], 512), TypeError, /texts/, /array of strings/, /string/);
  expectRejects(() => tokenizer.encodeBatch(['ok', 3 as unknown as string], 512), TypeError, /texts\[1\]/, /number/);
});

it('maxLength must be an integer with room for [CLS] and [SEP]', () => {
  const tokenizer = createTokenizer(text);
  for (const bad of [1, 0, -3, 2.5, Number.NaN]) expectRejects(() => tokenizer.encodeBatch(['a'], bad), RangeError, /maxLength/, /≥ 2/, new RegExp(String(bad)));
  expect(tokenizer.encodeBatch(['a b c'], 2).seqLen).toBe(2);
});
