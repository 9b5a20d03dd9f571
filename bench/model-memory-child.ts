/**
 * One memory measurement in a fresh process (RSS never shrinks reliably, so each case
 * runs alone): create the wasm engine, then load a checkpoint from a file and embed one
 * batch, recording the process's resident set size before, at every progress report and
 * after, and the peak the OS reports (Linux: VmHWM from just before loading). Prints one JSON line.
 *
 * argv: checkpoint path, config JSON, dtype, batch, seqLen.
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { createEngine } from 'attnkit';

const [path, configJson, dtype, batchArg, seqArg] = process.argv.slice(2);
const batch = Number(batchArg);
const seqLen = Number(seqArg);
const config = JSON.parse(configJson) as { vocab_size: number };

const engine = await createEngine({ backend: 'wasm' });
const ids = Int32Array.from({ length: batch * seqLen }, (_, i) => (i * 7919) % config.vocab_size);
const attentionMask = new Uint8Array(batch * seqLen).fill(1);
(globalThis as { gc?: () => void }).gc?.();
const rss = () => process.memoryUsage.rss();
// The peak: Linux's high-water RSS (VmHWM), reset to the current RSS here by writing 5 to
// clear_refs; getrusage's maxRSS of a spawned child also counts its parent's memory (kept
// from before the exec), hundreds of MB when the parent is `pnpm bench`.
const status = () => (process.platform === 'linux' ? readFileSync('/proc/self/status', 'utf8') : '');
const highWater = () => {
  const kB = /VmHWM:\s+(\d+) kB/.exec(status())?.[1];
  return kB === undefined ? process.resourceUsage().maxRSS * 1024 : Number(kB) * 1024;
};
if (process.platform === 'linux') writeFileSync('/proc/self/clear_refs', '5');
const before = rss();
const peakBefore = highWater();
let sampled = before;
const model = await engine.loadModel({ config, weights: path, dtype: dtype as 'f32' | 'f16', onProgress: () => (sampled = Math.max(sampled, rss())) });
sampled = Math.max(sampled, rss());
const loaded = rss();
const embedding = model.embed({ ids, batch, seqLen, attentionMask });
sampled = Math.max(sampled, rss());
if (!(Math.abs(Math.hypot(...embedding.subarray(0, model.config.hiddenSize)) - 1) < 1e-4)) throw new Error('the embedding is not a unit vector');
const peak = highWater();
console.log(JSON.stringify({ before, peakBefore, loaded, sampled, peak, modelBytes: model.memoryBytes, engineBytes: engine.memoryBytes }));
