// Runs the golden cases in Bun, importing attnkit the way a Bun user of the npm package
// would; prints the report as one line of JSON. Run by test/runtime-golden.test.ts.

import { createEngine } from 'attnkit';
import { OPS, runGolden, type Fixtures } from '../shared/golden-run.js';

declare const Bun: { version: string; file(url: URL): { json(): Promise<unknown> } };

const fixtures: Fixtures = {};
for (const op of OPS) fixtures[op] = (await Bun.file(new URL(`../../golden/${op}.json`, import.meta.url)).json()) as Fixtures[string];
const engine = await createEngine({ backend: 'wasm' });
console.log(JSON.stringify(await runGolden(`bun ${Bun.version}`, engine, fixtures)));
