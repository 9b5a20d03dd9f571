/**
 * Text to BERT input ids from a Hugging Face `tokenizer.json`, through Hugging Face's own
 * JavaScript implementation (`@huggingface/tokenizers`). The model imports this module only
 * when it is given a tokenizer, so a program that brings its own ids never loads the library.
 *
 * Batch layout (B texts, T = the longest text's token count after truncation):
 *   ids            [B, T]  [CLS] tokens… [SEP], then the tokenizer's pad id
 *   attentionMask  [B, T]  1 for every token (specials included), 0 for padding
 *   tokenTypeIds   [B, T]  0 (one sequence per text)
 * Truncation keeps the first `maxLength − specials` tokens of the text, so that a row with
 * its [CLS] and [SEP] is at most `maxLength` long.
 */

import { Tokenizer } from '@huggingface/tokenizers';
import type { TokenizedBatch } from '../types.js';
import type { CreateTokenizer, TokenizerPort } from './tokenizer-port.js';

const SENTINEL = '\u0000sequence\u0000';

/**
 * CJK ideographs outside the Basic Multilingual Plane (the extensions B to F and the
 * compatibility supplement). Hugging Face's BertNormalizer puts a space on each side of
 * every CJK ideograph; the JavaScript library tests UTF-16 units one at a time and so
 * misses these (a surrogate pair is not an ideograph), which this module does for it.
 */
const ASTRAL_CJK = /[\u{20000}-\u{2A6DF}\u{2A700}-\u{2B73F}\u{2B740}-\u{2B81F}\u{2B820}-\u{2CEAF}\u{2F800}-\u{2FA1F}]/gu;

/** Whether the file's normalizer is BertNormalizer with `handle_chinese_chars`. */
function splitsChinese(json: Record<string, unknown>): boolean {
  const normalizer = json.normalizer as { type?: unknown; handle_chinese_chars?: unknown } | null | undefined;
  return normalizer?.type === 'BertNormalizer' && Boolean(normalizer.handle_chinese_chars);
}

/** The tokenizer.json as an object: parsed when it is text, checked to be an object. */
function parseJson(json: object | string): Record<string, unknown> {
  let value: unknown = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (err) {
      throw new SyntaxError(`tokenizer.json: not valid JSON (${(err as Error).message})`);
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`tokenizer.json: expected an object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  }
  return value as Record<string, unknown>;
}

/** The ids the post-processor puts before and after a single sequence ([CLS] / [SEP] for BERT). */
function specials(tokenizer: Tokenizer): { before: number[]; after: number[] } {
  const idOf = (token: string): number => {
    const id = tokenizer.token_to_id(token);
    if (id === undefined) throw new SyntaxError(`tokenizer.json: special token ${JSON.stringify(token)} is not in the vocabulary`);
    return id;
  };
  if (tokenizer.post_processor === null) return { before: [idOf('[CLS]')], after: [idOf('[SEP]')] };
  const tokens = tokenizer.post_processor.post_process([SENTINEL], null, true).tokens;
  const at = tokens.indexOf(SENTINEL);
  if (at < 0 || tokens.lastIndexOf(SENTINEL) !== at) throw new SyntaxError('tokenizer.json: the post_processor does not keep the text as one sequence');
  return { before: tokens.slice(0, at).map(idOf), after: tokens.slice(at + 1).map(idOf) };
}

/** The pad id: `padding.pad_id` when the file sets one, else the id of [PAD], else 0. */
function padId(json: Record<string, unknown>, tokenizer: Tokenizer): number {
  const padding = json.padding as { pad_id?: unknown } | null | undefined;
  if (padding && Number.isInteger(padding.pad_id)) return padding.pad_id as number;
  return tokenizer.token_to_id('[PAD]') ?? 0;
}

/**
 * A tokenizer from a `tokenizer.json` (its object or its text). Throws a `SyntaxError` or
 * `TypeError` naming `tokenizer.json` when the file cannot be used.
 */
export function createTokenizer(json: object | string): TokenizerPort {
  const parsed = parseJson(json);
  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(parsed, {});
  } catch (err) {
    throw new SyntaxError(`tokenizer.json: ${(err as Error).message}`);
  }
  const { before, after } = specials(tokenizer);
  const pad = padId(parsed, tokenizer);
  const reserved = before.length + after.length;
  const prepare = splitsChinese(parsed) ? (text: string) => text.replace(ASTRAL_CJK, ' $& ') : (text: string) => text;

  return {
    encodeBatch(texts: readonly string[], maxLength: number): TokenizedBatch {
      if (!Array.isArray(texts)) throw new TypeError(`texts: expected an array of strings, got ${texts === null ? 'null' : typeof texts}`);
      if (!Number.isInteger(maxLength) || maxLength < reserved) {
        throw new RangeError(`maxLength: expected an integer ≥ ${reserved} (room for the special tokens), got ${maxLength}`);
      }
      for (let b = 0; b < texts.length; b++) {
        if (typeof texts[b] !== 'string') throw new TypeError(`texts[${b}]: expected a string, got ${typeof texts[b]}`);
      }
      const rows = texts.map((text) => {
        const content = tokenizer.encode(prepare(text), { add_special_tokens: false }).ids;
        return [...before, ...content.slice(0, maxLength - reserved), ...after];
      });
      const batch = rows.length;
      const seqLen = rows.reduce((longest, row) => Math.max(longest, row.length), 0);
      const ids = new Int32Array(batch * seqLen).fill(pad);
      const attentionMask = new Uint8Array(batch * seqLen);
      for (let b = 0; b < batch; b++) {
        ids.set(rows[b], b * seqLen);
        attentionMask.fill(1, b * seqLen, b * seqLen + rows[b].length);
      }
      return { ids, attentionMask, tokenTypeIds: new Int32Array(batch * seqLen), batch, seqLen };
    },
  };
}

createTokenizer satisfies CreateTokenizer;
