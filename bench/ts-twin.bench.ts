/**
 * The TypeScript twin against the naive JS baseline (bench/naive.ts), in one process, on
 * issue 4's attention workloads: the self-attention layer (batch 1, S, E 768, 12 heads,
 * resident) and bare attention 12 heads × 64, plain and causal. Each call is seconds long,
 * so each cell is the median of a few timed calls after one untimed call; outputs are
 * checked against the naive ones first. Issue 4's target: ts ≥ 3× naive.
 *
 *   tsx bench/ts-twin.bench.ts [S_layer=512] [S_attention=2048] [calls=3]
 */

import { createEngine } from 'attnkit';
import { assertClose } from './harness.js';
import { D, E, H, naiveAttention, naiveSelfAttention, type Params } from './naive.js';
import { seeded, uniform } from './random.js';

const [sLayer, sAttention, calls] = [Number(process.argv[2] ?? 512), Number(process.argv[3] ?? 2048), Number(process.argv[4] ?? 3)];

function medianMs(run: () => unknown): number {
  run();
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[times.length >> 1];
}

const ts = await createEngine({ backend: 'ts' });
const random = seeded(5);
const w = () => uniform(random, E * E, 1 / Math.sqrt(E));
const params: Params = { wq: w(), wk: w(), wv: w(), wo: w(), bq: uniform(random, E, 0.1), bk: uniform(random, E, 0.1), bv: uniform(random, E, 0.1), bo: uniform(random, E, 0.1) };
const x = uniform(random, sLayer * E, 1);
const layer = ts.selfAttention(params, { embedDim: E, numHeads: H });
const q = uniform(random, sAttention * E, 1);
const k = uniform(random, sAttention * E, 1);
const v = uniform(random, sAttention * E, 1);
const opts = (causal: boolean) => ({ seqQ: sAttention, seqK: sAttention, numHeads: H, headDim: D, causal });

const rows: [string, () => unknown, () => Float32Array, () => Float32Array][] = [
  [`layer S${sLayer}`, () => layer.forward(x, { seqLen: sLayer }), () => layer.forward(x, { seqLen: sLayer }).output, () => naiveSelfAttention(x, params, sLayer)],
  [`attention S${sAttention}`, () => ts.attention(q, k, v, opts(false)), () => ts.attention(q, k, v, opts(false)).output, () => naiveAttention(q, k, v, sAttention, false)],
  [`causal S${sAttention}`, () => ts.attention(q, k, v, opts(true)), () => ts.attention(q, k, v, opts(true)).output, () => naiveAttention(q, k, v, sAttention, true)],
];
console.log(`Node ${process.versions.node}; median of ${calls} calls after one untimed call`);
console.log('| workload | ts ms | naive JS ms | naive / ts |');
console.log('|---|---:|---:|---:|');
for (const [name, runTs, outTs, runNaive] of rows) {
  assertClose(name, outTs(), runNaive(), 1e-4);
  const a = medianMs(runTs);
  const b = medianMs(runNaive);
  console.log(`| ${name} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${(b / a).toFixed(2)}× |`);
}
