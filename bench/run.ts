/** `pnpm bench`: every benchmark, one after another in this process, into bench/RESULTS.md. */

import { attentionBench } from './attention.bench.js';
import { coldStartBench } from './cold-start.bench.js';
import { embeddingBench } from './embedding.bench.js';
import { writeSection } from './harness.js';

const benches: [string, () => Promise<string>][] = [
  ['embedding', embeddingBench],
  ['attention', attentionBench],
  ['cold-start', coldStartBench],
];

for (const [name, run] of benches) {
  console.log(`bench: ${name}…`);
  const section = await run();
  writeSection(name, section);
  console.log(section, '\n');
}
