// Runs the tokenization cases in Bun, importing the package's tokenizer module (and through
// it the npm `@huggingface/tokenizers`) as Bun resolves it; prints the report as JSON.
// Run by test/runtime-tokenize.test.ts.

import { createTokenizer } from '../../../packages/attnkit/dist/model/tokenizer.js';
import { runTokenize, type TokenizeCase } from '../shared/tokenize-run.js';

declare const Bun: { version: string; file(url: URL): { text(): Promise<string> } };

const read = (name: string) => Bun.file(new URL(`../../golden/${name}`, import.meta.url)).text();
const { cases } = JSON.parse(await read('tokenize.json')) as { cases: TokenizeCase[] };
console.log(JSON.stringify(runTokenize(`bun ${Bun.version}`, createTokenizer, await read('wordpiece-tokenizer.json'), cases)));
