// Tokenization of a BERT WordPiece tokenizer.json (written by scripts/golden/tokenizer.py
// with its own plain-Python BasicTokenizer + WordPiece) matches that reference's ids for
// every sentence: accents, punctuation, Chinese characters, unknown words, whitespace and
// control characters, special tokens typed in the text, and truncation of a 600-token text.
// The batch is padded to its longest row with the pad id; the mask is 1 on tokens only.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createTokenizer } from '../packages/attnkit/dist/model/tokenizer.js';

interface TokenizeCase {
  name: string;
  texts: string[];
  maxLength: number;
  expected: { ids: number[][]; batch: number; seqLen: number; padId: number };
}

const golden = (name: string) => readFileSync(fileURLToPath(new URL(`./golden/${name}`, import.meta.url)), 'utf8');
const text = golden('wordpiece-tokenizer.json');
const { cases } = JSON.parse(golden('tokenize.json')) as { cases: TokenizeCase[] };

describe.each([
  ['its text', () => createTokenizer(text)],
  ['its parsed object', () => createTokenizer(JSON.parse(text) as object)],
])('a tokenizer.json given as %s', (_, make) => {
  const tokenizer = make();
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = tokenizer.encodeBatch(c.texts, c.maxLength);
    expect([r.batch, r.seqLen]).toEqual([c.expected.batch, c.expected.seqLen]);
    expect(r.ids).toBeInstanceOf(Int32Array);
    expect(r.attentionMask).toBeInstanceOf(Uint8Array);
    expect(r.tokenTypeIds).toBeInstanceOf(Int32Array);
    for (let b = 0; b < r.batch; b++) {
      const want = c.expected.ids[b];
      const padded = [...want, ...new Array<number>(r.seqLen - want.length).fill(c.expected.padId)];
      const mask = padded.map((_, t) => (t < want.length ? 1 : 0));
      expect(Array.from(r.ids.subarray(b * r.seqLen, (b + 1) * r.seqLen)), `ids of text ${b}`).toEqual(padded);
      expect(Array.from(r.attentionMask.subarray(b * r.seqLen, (b + 1) * r.seqLen)), `mask of text ${b}`).toEqual(mask);
    }
    expect(r.tokenTypeIds.every((t) => t === 0)).toBe(true);
    expect(r.tokenTypeIds).toHaveLength(r.batch * r.seqLen);
  });
});

it('the fixtures cover truncation: a text of 600 tokens with [CLS] and [SEP] gives a row of exactly maxLength', () => {
  const long = cases.find((c) => c.name.includes('600'))!;
  const r = createTokenizer(text).encodeBatch(long.texts, long.maxLength);
  expect(r.seqLen).toBe(long.maxLength);
  expect(r.ids[r.seqLen - 1]).toBe(createTokenizer(text).encodeBatch([''], 2).ids[1]); // ends with [SEP]
  expect(createTokenizer(text).encodeBatch(long.texts, 1000).seqLen).toBe(600);
});

it('an empty batch has no rows', () => {
  const r = createTokenizer(text).encodeBatch([], 512);
  expect([r.batch, r.seqLen, r.ids.length, r.attentionMask.length, r.tokenTypeIds.length]).toEqual([0, 0, 0, 0, 0]);
});

it("pads with padding.pad_id when the file sets one, else with [PAD]'s id", () => {
  const json = JSON.parse(text) as Record<string, unknown>;
  const withPadding = createTokenizer({ ...json, padding: { pad_id: 7, pad_token: '[MASK]' } });
  const r = withPadding.encodeBatch(['a', 'the quick'], 512);
  expect(Array.from(r.ids.subarray(0, r.seqLen))).toEqual([2, 46, 3, 7]);
  const vocab = (json.model as { vocab: Record<string, number> }).vocab;
  expect(Array.from(createTokenizer(text).encodeBatch(['a', 'the quick'], 512).ids.subarray(0, 4))).toEqual([2, 46, 3, vocab['[PAD]']]);
});

it('does not modify the texts array', () => {
  const texts = Object.freeze(['Café', 'déjà vu']);
  createTokenizer(text).encodeBatch(texts, 512);
  expect(texts).toEqual(['Café', 'déjà vu']);
});
