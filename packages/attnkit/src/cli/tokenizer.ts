/**
 * A word-level tokenizer: words (letters and digits, with apostrophes inside them, as in
 * "don't") and single punctuation marks, in order. Lookup is case-insensitive (the key is
 * lower case); the surface form is kept for display. Hyphens, quotes and brackets are
 * punctuation of their own: "world-class" → "world", "-", "class".
 */

export interface Token {
  /** As written in the sentence. */
  text: string;
  /** The vocabulary key: lower case, ’ written as '. */
  key: string;
}

const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu;

export function tokenize(sentence: string): Token[] {
  const matches = sentence.match(TOKEN) ?? [];
  return matches.map((text) => ({ text, key: text.toLowerCase().replace(/’/g, "'") }));
}
