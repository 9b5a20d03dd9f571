// Runs the tokenization cases in Deno, importing the package's tokenizer module (and through
// it the npm `@huggingface/tokenizers`) as Deno resolves it; prints the report as JSON.
// Run by test/runtime-tokenize.test.ts.

import { createTokenizer } from '../../../packages/attnkit/dist/model/tokenizer.js';
import { runTokenize } from '../shared/tokenize-run.js';

declare const Deno: { version: { deno: string }; readTextFile(url: URL): Promise<string> };

const read = (name: string) => Deno.readTextFile(new URL(`../../golden/${name}`, import.meta.url));
const { cases } = JSON.parse(await read('tokenize.json'));
console.log(JSON.stringify(runTokenize(`deno ${Deno.version.deno}`, createTokenizer, await read('wordpiece-tokenizer.json'), cases)));
