/** `pnpm bench`: every benchmark, one after another in this process, into bench/RESULTS.md. */

import { attentionProfile } from './attention-profile.js';
import { attentionBench } from './attention.bench.js';
import { coldStartBench } from './cold-start.bench.js';
import { embeddingBench } from './embedding.bench.js';
import { encoderBench } from './encoder.bench.js';
import { fusionBench } from './fusion.bench.js';
import { writeSection } from './harness.js';
import { longSequenceBench } from './long-sequence.bench.js';
import { mhaBench } from './mha.bench.js';
import { modelMemoryBench } from './model-memory.js';
import { modelBench } from './model.bench.js';
import { peersBench } from './peers.bench.js';
import { poolBench } from './pool.bench.js';
import { ropeBench } from './rope.bench.js';
import { sinusoidalBench } from './sinusoidal.bench.js';
import { threadsBench } from './threads.bench.js';
import { tsTwinBench } from './ts-twin.bench.js';
import { vectorsBench } from './vectors.bench.js';

const benches: [string, () => Promise<string>][] = [
  ['embedding', embeddingBench],
  ['sinusoidal', sinusoidalBench],
  ['rope', ropeBench],
  ['encoder', encoderBench],
  ['attention', attentionBench],
  ['mha', mhaBench],
  ['cold-start', coldStartBench],
  // installs bench/peers (npm ci, outside the workspace) and writes bench/peers.svg; three
  // runs, each in its own process, since the targets are judged over three
  ['peers', () => peersBench(3)],
  // one attention call split into its parts, with the core's profiling build
  ['attention-profile', () => attentionProfile()],
  ['long-sequence', longSequenceBench],
  // the TypeScript backend against the naive float64 reference
  ['ts-twin', () => tsTwinBench()],
  // 1 thread against 2 (createEngine({ threads: 2 })), three rounds
  ['threads', () => threadsBench()],
  // peak RSS of loadModel through the first embedding, one fresh process per row
  ['model-memory', async () => modelMemoryBench()],
  // the model's fused epilogue and residual + LayerNorm against two passes, interleaved
  ['model-fusion', fusionBench],
  // the example service under autocannon: sync, pool of 2, pool without batching; chaos
  ['pool', () => poolBench()],
  // word-vector loads (100k × 300 files, generated once in the temp folder) and nearest over
  // 400k × 300, against plain JS, gensim and numpy in python processes
  ['vectors', vectorsBench],
  // a MiniLM-L6-shaped BERT: forward and embed against onnxruntime and transformers.js, peak
  // memory beside transformers.js's (fresh processes), cold start in workerd; writes the
  // model into bench/.out
  ['model', modelBench],
];

for (const [name, run] of benches) {
  console.log(`bench: ${name}…`);
  const section = await run();
  writeSection(name, section);
  console.log(section, '\n');
}
