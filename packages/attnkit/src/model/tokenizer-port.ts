/**
 * The model's view of a tokenizer: texts in, a padded batch of ids out. The tokenizer
 * itself (Hugging Face `tokenizer.json`, through `@huggingface/tokenizers`) lives in
 * ./tokenizer.ts, which is imported only when a model is loaded with a tokenizer: users
 * who bring ids never load it.
 */

import type { TokenizedBatch } from '../types.js';

/** A batch as `Model.tokenize` returns it: row-major [batch, seqLen]. */
export type { TokenizedBatch };

export interface TokenizerPort {
  /**
   * Encodes `texts` with the tokenizer's special tokens ([CLS] … [SEP] for BERT), truncated
   * to `maxLength` tokens counting them, padded with the pad id to the longest in the batch.
   */
  encodeBatch(texts: readonly string[], maxLength: number): TokenizedBatch;
}

/** What ./tokenizer.ts exports. */
export type CreateTokenizer = (tokenizerJson: object) => TokenizerPort | Promise<TokenizerPort>;

/** Parses `tokenizer` (tokenizer.json's object or text) and loads the tokenizer module. */
export async function loadTokenizer(op: string, tokenizer: unknown): Promise<TokenizerPort> {
  let json = tokenizer;
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json);
    } catch (err) {
      throw new SyntaxError(`${op}: tokenizer is not valid JSON: ${(err as Error).message}`);
    }
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new TypeError(`${op}: tokenizer must be tokenizer.json's object or its text`);
  }
  const { createTokenizer } = (await import('./tokenizer.js')) as { createTokenizer: CreateTokenizer };
  return createTokenizer(json);
}
