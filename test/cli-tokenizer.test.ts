// The word-level tokenizer and the built-in vocabulary.

import { expect, it } from 'vitest';
import { tokenize } from '../packages/attnkit/dist/cli/tokenizer.js';
import { builtinVocabulary, lookupIds } from '../packages/attnkit/dist/cli/vocab.js';

it('splits words and punctuation, keeping the surface form and a lower-case key', () => {
  expect(tokenize("I love machine learning.").map((t) => t.text)).toEqual(['I', 'love', 'machine', 'learning', '.']);
  expect(tokenize("Don't stop, Émile!").map((t) => t.key)).toEqual(["don't", 'stop', ',', 'émile', '!']);
  expect(tokenize('   ')).toEqual([]);
});

it("gives the seed's words the seed's vectors at dim 3, [UNK] a zero row", () => {
  const v = builtinVocabulary(3, 1);
  const ids = lookupIds(v, ['i', 'love', 'machine', 'learning', 'zyzzyva']);
  const rows = Array.from(ids, (id) => Array.from(v.table.subarray(id * 3, id * 3 + 3)));
  expect(rows.slice(0, 4)).toEqual([[0.1, 0.3, 0.5], [0.2, 0.4, 0.6], [0.3, 0.5, 0.7], [0.4, 0.6, 0.8]].map((r) => r.map(Math.fround)));
  expect(ids[4]).toBe(0);
  expect(rows[4]).toEqual([0, 0, 0]);
});

it('is deterministic per seed and differs across seeds', () => {
  expect(builtinVocabulary(16, 7).table).toEqual(builtinVocabulary(16, 7).table);
  expect(builtinVocabulary(16, 7).table).not.toEqual(builtinVocabulary(16, 8).table);
});
