/**
 * A word-level tokenizer: words (letters, digits, apostrophes) and single punctuation
 * marks, in order. Lookup is case-insensitive; the surface form is kept for display.
 */

export interface Token {
  /** As written in the sentence. */
  text: string;
  /** The vocabulary key: lower case. */
  key: string;
}

export function tokenize(sentence: string): Token[] {
  const matches = sentence.match(/[\p{L}\p{N}']+|[^\s\p{L}\p{N}']/gu) ?? [];
  return matches.map((text) => ({ text, key: text.toLowerCase() }));
}
