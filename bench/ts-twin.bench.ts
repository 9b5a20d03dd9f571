/**
 * The TypeScript backend against the naive JS baseline (bench/naive.ts, the tests' float64
 * reference), in one process, on the attention workloads: the self-attention layer
 * (batch 1, S, E 768, 12 heads, resident) and bare attention 12 heads × 64, plain and
 * causal. Each call is seconds long, so each cell is the median of a few timed calls after
 * one untimed call, the two runners alternating; outputs are checked against the naive
 * ones first. Target: ts ≥ 3× naive.
 *
 *   tsx bench/ts-twin.bench.ts [S_layer=512] [S_attention=2048] [calls=3]
 */

import { pathToFileURL } from 'node:url';
import { createEngine } from 'attnkit';
import { assertClose, machine } from './harness.js';
import { D, E, H, naiveAttention, naiveSelfAttention, type Params } from './naive.js';
import { seeded, uniform } from './random.js';

/** Medians of `calls` timed calls of each runner, alternating, after one untimed call each. */
function medians(runners: (() => unknown)[], calls: number): number[] {
  for (const run of runners) run();
  const times = runners.map(() => [] as number[]);
  for (let i = 0; i < calls; i++) {
    runners.forEach((run, r) => {
      const t0 = performance.now();
      run();
      times[r].push(performance.now() - t0);
    });
  }
  return times.map((t) => t.sort((a, b) => a - b)[t.length >> 1]);
}

export async function tsTwinBench(sLayer = 512, sAttention = 2048, calls = 3): Promise<string> {
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

  const rows: [string, () => Float32Array, () => Float64Array][] = [
    [`layer S${sLayer}`, () => layer.forward(x, { seqLen: sLayer }).output, () => naiveSelfAttention(x, params, sLayer)],
    [`attention S${sAttention}`, () => ts.attention(q, k, v, opts(false)).output, () => naiveAttention(q, k, v, sAttention, false)],
    [`causal S${sAttention}`, () => ts.attention(q, k, v, opts(true)).output, () => naiveAttention(q, k, v, sAttention, true)],
  ];
  const lines = ['## The TypeScript backend against the naive JS baseline', '', machine(), `- median of ${calls} calls after one untimed call, the two runners alternating`, '', '| workload | ts ms | naive JS ms | naive / ts |', '|---|---:|---:|---:|'];
  for (const [name, runTs, runNaive] of rows) {
    assertClose(name, runTs(), runNaive(), 1e-4);
    const [a, b] = medians([runTs, runNaive], calls);
    lines.push(`| ${name} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${(b / a).toFixed(2)}× |`);
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [sLayer, sAttention, calls] = [Number(process.argv[2] ?? 512), Number(process.argv[3] ?? 2048), Number(process.argv[4] ?? 3)];
  console.log(await tsTwinBench(sLayer, sAttention, calls));
}
