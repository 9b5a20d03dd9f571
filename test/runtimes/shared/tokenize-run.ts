/**
 * The tokenization cases (test/golden/tokenize.json) inside any runtime: no Node built-ins,
 * only what Node, workerd, Chromium, Deno and Bun all have. The caller passes the module's
 * `createTokenizer`, the tokenizer.json text and the parsed cases; the report lists every
 * case with whether its padded ids and mask equal the reference's.
 */

import type { createTokenizer as CreateTokenizer } from '../../../packages/attnkit/dist/model/tokenizer.js';

export interface TokenizeCase {
  name: string;
  texts: string[];
  maxLength: number;
  expected: { ids: number[][]; batch: number; seqLen: number; padId: number };
}

export interface TokenizeReport {
  runtime: string;
  results: { name: string; ok: boolean; error?: string }[];
}

function check(c: TokenizeCase, r: ReturnType<ReturnType<typeof CreateTokenizer>['encodeBatch']>): string | undefined {
  if (r.batch !== c.expected.batch || r.seqLen !== c.expected.seqLen) return `shape ${r.batch}×${r.seqLen}, expected ${c.expected.batch}×${c.expected.seqLen}`;
  for (let b = 0; b < r.batch; b++) {
    const want = c.expected.ids[b];
    for (let t = 0; t < r.seqLen; t++) {
      const id = t < want.length ? want[t] : c.expected.padId;
      const mask = t < want.length ? 1 : 0;
      const at = b * r.seqLen + t;
      if (r.ids[at] !== id || r.attentionMask[at] !== mask || r.tokenTypeIds[at] !== 0) return `text ${b} token ${t}: id ${r.ids[at]} mask ${r.attentionMask[at]}, expected ${id} ${mask}`;
    }
  }
  return undefined;
}

/** Tokenizes every case; never throws for a failing case. */
export function runTokenize(runtime: string, createTokenizer: typeof CreateTokenizer, tokenizerJson: string, cases: TokenizeCase[]): TokenizeReport {
  const report: TokenizeReport = { runtime, results: [] };
  const tokenizer = createTokenizer(tokenizerJson);
  for (const c of cases) {
    try {
      const error = check(c, tokenizer.encodeBatch(c.texts, c.maxLength));
      report.results.push(error === undefined ? { name: c.name, ok: true } : { name: c.name, ok: false, error });
    } catch (err) {
      report.results.push({ name: c.name, ok: false, error: String(err) });
    }
  }
  return report;
}
