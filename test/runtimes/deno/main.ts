// Runs the golden cases in Deno, importing attnkit the way a Deno user of the npm package
// would; prints the report as one line of JSON. Run by test/runtime-golden.test.ts.

import { createEngine } from 'attnkit';
import { OPS, runGolden, type Fixtures } from '../shared/golden-run.js';

declare const Deno: { version: { deno: string }; readTextFile(url: URL): Promise<string> };

const fixtures: Fixtures = {};
for (const op of OPS) fixtures[op] = JSON.parse(await Deno.readTextFile(new URL(`../../golden/${op}.json`, import.meta.url)));
const engine = await createEngine({ backend: 'wasm' });
console.log(JSON.stringify(await runGolden(`deno ${Deno.version.deno}`, engine, fixtures)));
