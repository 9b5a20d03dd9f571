// Runs the tokenization cases in the page (served by test/runtimes/serve.ts, which compiles
// this file to JavaScript); the report is left in `window.tokenizeReport` (or `tokenizeError`).

import { runTokenize } from '../shared/tokenize-run.js';

const w = window as unknown as { tokenizeReport?: unknown; tokenizeError?: string };
try {
  const { createTokenizer } = await import('../../../packages/attnkit/dist/model/tokenizer.js');
  const { cases } = await (await fetch('/test/golden/tokenize.json')).json();
  const json = await (await fetch('/test/golden/wordpiece-tokenizer.json')).text();
  w.tokenizeReport = runTokenize(`chromium ${navigator.userAgent.match(/Chrom\w+\/[\d.]+/)?.[0] ?? ''}`, createTokenizer, json, cases);
} catch (err) {
  w.tokenizeError = String(err);
}
