// The word-level tokenizer and the built-in vocabulary.

import { expect, it } from 'vitest';
import { tokenize } from '../packages/attnkit/dist/cli/tokenizer.js';
import { builtinVocabulary, lookupIds } from '../packages/attnkit/dist/cli/vocab.js';

const texts = (s: string) => tokenize(s).map((t) => t.text);

it('splits words and punctuation, keeping the surface form and a lower-case key', () => {
  expect(texts('I love machine learning.')).toEqual(['I', 'love', 'machine', 'learning', '.']);
  expect(tokenize("Don't stop, Émile!").map((t) => t.key)).toEqual(["don't", 'stop', ',', 'émile', '!']);
  expect(tokenize('   ')).toEqual([]);
});

it('keeps apostrophes inside words only; quotes, hyphens and brackets are tokens of their own', () => {
  expect(texts("'quoted' (world-class) rock'n'roll 42nd")).toEqual(["'", 'quoted', "'", '(', 'world', '-', 'class', ')', "rock'n'roll", '42nd']);
  expect(tokenize('Isn’t it').map((t) => t.key)).toEqual(["isn't", 'it']); // typographic apostrophe
  expect(texts('a...b')).toEqual(['a', '.', '.', '.', 'b']);
});

it("gives the worked example's words their vectors at dim 3, [UNK] a zero row", () => {
  const v = builtinVocabulary(3, 1);
  const ids = lookupIds(v, ['i', 'love', 'machine', 'learning', 'zyzzyva']);
  const rows = Array.from(ids, (id) => Array.from(v.table.subarray(id * 3, id * 3 + 3)));
  expect(rows.slice(0, 4)).toEqual([[0.1, 0.3, 0.5], [0.2, 0.4, 0.6], [0.3, 0.5, 0.7], [0.4, 0.6, 0.8]].map((r) => r.map(Math.fround)));
  expect(ids[4]).toBe(0);
  expect(rows[4]).toEqual([0, 0, 0]);
});

it('has a few hundred words and common punctuation; tokens look up by surface form, then key', () => {
  const v = builtinVocabulary(4, 1);
  expect(v.ids.size).toBeGreaterThan(400);
  expect(v.table.length).toBe(v.ids.size * 4);
  for (const w of ['the', 'cat', 'attention', '.', ',', '?', "don't"]) expect(v.ids.get(w)).toBeGreaterThan(0);
  expect(lookupIds(v, tokenize('The CAT, zyzzyva.'))).toEqual(Int32Array.from([v.ids.get('the')!, v.ids.get('cat')!, v.ids.get(',')!, 0, v.ids.get('.')!]));
});

it('is deterministic per seed, differs across seeds, and a word keeps its vector at other dims than 3', () => {
  expect(builtinVocabulary(16, 7).table).toEqual(builtinVocabulary(16, 7).table);
  expect(builtinVocabulary(16, 7).table).not.toEqual(builtinVocabulary(16, 8).table);
  const v = builtinVocabulary(8, 1);
  const love = v.table.subarray(v.ids.get('love')! * 8, v.ids.get('love')! * 8 + 8);
  expect(Array.from(love).every((x) => x >= -0.5 && x < 0.5)).toBe(true);
  expect(Array.from(love.subarray(0, 3))).not.toEqual([0.2, 0.4, 0.6].map(Math.fround));
  // The vector depends on the word and seed only: the first 4 values at dim 8 are the values at dim 4.
  const v4 = builtinVocabulary(4, 1);
  expect(Array.from(love.subarray(0, 4))).toEqual(Array.from(v4.table.subarray(v4.ids.get('love')! * 4, v4.ids.get('love')! * 4 + 4)));
});
