/**
 * One memory measurement in a fresh process (RSS never shrinks reliably, so each case
 * runs alone): create the wasm engine, then load a checkpoint from a file and embed one
 * batch, recording the process's resident set size before, at every progress report and
 * after, and the peak (maxRSS) the OS reports. Prints one JSON line.
 *
 * argv: checkpoint path, config JSON, dtype, batch, seqLen.
 */

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
const before = rss();
const peakBefore = process.resourceUsage().maxRSS * 1024;
let sampled = before;
const model = await engine.loadModel({ config, weights: path, dtype: dtype as 'f32' | 'f16', onProgress: () => (sampled = Math.max(sampled, rss())) });
sampled = Math.max(sampled, rss());
const loaded = rss();
const embedding = model.embed({ ids, batch, seqLen, attentionMask });
sampled = Math.max(sampled, rss());
if (!(Math.abs(Math.hypot(...embedding.subarray(0, model.config.hiddenSize)) - 1) < 1e-4)) throw new Error('the embedding is not a unit vector');
const peak = process.resourceUsage().maxRSS * 1024;
console.log(JSON.stringify({ before, peakBefore, loaded, sampled, peak, modelBytes: model.memoryBytes, engineBytes: engine.memoryBytes }));
