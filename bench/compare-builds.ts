/**
 * Times two builds of attnkit against each other in one process, interleaved (every round
 * runs each op on build A, then on build B, the order alternating between rounds), and
 * prints each op's medians and the ratio B / A. A sample of a short op repeats it until
 * the sample lasts 5 ms, so the timer's resolution does not decide the median. For a change that must not slow anything down (a refactor), on a shared machine
 * whose speed drifts: drift hits both builds alike.
 *
 *   tsx bench/compare-builds.ts <dist of A> <dist of B> [rounds]
 *
 * A dist is a built `packages/attnkit/dist` (e.g. from a git worktree of the older commit).
 */

import { pathToFileURL } from 'node:url';
import type { Engine } from 'attnkit';
import { D, E, H } from './naive.js';
import { seeded, uniform } from './random.js';

const [distA, distB, roundsArg] = process.argv.slice(2);
if (distA === undefined || distB === undefined) throw new Error('usage: tsx bench/compare-builds.ts <dist A> <dist B> [rounds]');
const rounds = Number(roundsArg ?? 15);

type Create = (options?: object) => Promise<Engine>;
const load = async (dist: string) => ((await import(pathToFileURL(`${dist}/index.js`).href)) as { createEngine: Create }).createEngine;

const random = seeded(1);
const table = uniform(random, 30522 * E);
const ids = Int32Array.from({ length: 512 }, () => Math.floor(random() * 30522));
const weights = () => ({ wq: uniform(random, E * E, 0.05), wk: uniform(random, E * E, 0.05), wv: uniform(random, E * E, 0.05), wo: uniform(random, E * E, 0.05), bq: uniform(random, E), bk: uniform(random, E), bv: uniform(random, E), bo: uniform(random, E) });
const params = weights();
const x512 = uniform(random, 512 * E);
const q = uniform(random, 1024 * E);
const k = uniform(random, 1024 * E);
const v = uniform(random, 1024 * E);
const xRope = uniform(random, 2048 * E);

/** The ops timed on one engine: name → a call. */
function ops(engine: Engine): [string, () => unknown][] {
  const layer = engine.selfAttention(params, { embedDim: E, numHeads: H });
  const emb = engine.embedding(table, E);
  const encoder = engine.encoder({ table, dim: E, positional: 'sinusoidal' });
  const out = new Float32Array(512 * E);
  return [
    ['embedding.lookup 512×768', () => emb.lookup(ids, out)],
    ['encoder.encode 512×768 (lookup + sinusoidal)', () => encoder.encode(ids, out)],
    ['sinusoidalEncoding 2048×768', () => engine.sinusoidalEncoding(2048, E)],
    ['rope 2048 × 12 × 64', () => engine.rope(xRope, { seqLen: 2048, numHeads: H, headDim: D })],
    ['attention S1024 12×64', () => engine.attention(q, k, v, { seqQ: 1024, seqK: 1024, numHeads: H, headDim: D })],
    ['attention S1024 causal', () => engine.attention(q, k, v, { seqQ: 1024, seqK: 1024, numHeads: H, headDim: D, causal: true })],
    ['selfAttention.forward S512 E768', () => layer.forward(x512, { seqLen: 512 })],
    ['multiHeadAttention S128 E768', () => engine.multiHeadAttention(x512.subarray(0, 128 * E), params, { seqLen: 128, embedDim: E, numHeads: H })],
  ];
}

const [createA, createB] = await Promise.all([load(distA), load(distB)]);
const runners = await Promise.all([createA, createB].flatMap((create) => [create({ backend: 'wasm' }), create({ backend: 'wasm', threads: 2 })]));
const labels = ['A', 'A threads 2', 'B', 'B threads 2'];
const sets = runners.map(ops);
const names = sets[0].map(([name]) => name);
const times = names.map(() => runners.map(() => [] as number[]));
// Warm-up, and how many calls make a sample of at least 5 ms for each op.
const repeats = names.map((_, o) => {
  for (const set of sets) set[o][1]();
  const t0 = performance.now();
  sets[0][o][1]();
  return Math.max(1, Math.ceil(5 / Math.max(performance.now() - t0, 1e-3)));
});
for (let r = 0; r < rounds; r++) {
  for (let o = 0; o < names.length; o++) {
    const order = r % 2 === 0 ? runners.map((_, i) => i) : runners.map((_, i) => runners.length - 1 - i);
    for (const i of order) {
      const t0 = performance.now();
      for (let k = 0; k < repeats[o]; k++) sets[i][o][1]();
      times[o][i].push((performance.now() - t0) / repeats[o]);
    }
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`| op | ${labels.map((l) => `${l} ms`).join(' | ')} | B / A | B / A threads 2 |`);
console.log(`|---|${labels.map(() => '---:').join('|')}|---:|---:|`);
for (let o = 0; o < names.length; o++) {
  const m = times[o].map(median);
  console.log(`| ${names[o]} | ${m.map((x) => x.toFixed(3)).join(' | ')} | ${(m[2] / m[0]).toFixed(3)} | ${(m[3] / m[1]).toFixed(3)} |`);
}
