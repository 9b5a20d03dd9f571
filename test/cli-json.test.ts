// `--json`: every step, machine-readable, consistent with itself and across backends.

import { expect, it } from 'vitest';
import { attnkit } from './helpers/cli.js';

interface Output {
  sentence: string;
  tokens: string[];
  ids: number[];
  options: { dim: number; heads: number; backend: string; positional: string; causal: boolean; seed: number };
  embeddings: number[][];
  positional: number[][] | null;
  inputs: number[][];
  weights: number[][][];
  averageWeights: number[][];
  output: number[][];
}

function run(...args: string[]): Output {
  const { code, stdout, stderr } = attnkit(...(args[0] === 'demo' ? args : ['encode', 'The cat sat on the mat', ...args]), '--json');
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(stdout.trimEnd().split('\n')).toHaveLength(1); // the JSON and nothing else
  return JSON.parse(stdout) as Output;
}

const maxDiff = (a: number[][], b: number[][]) => Math.max(...a.flatMap((v, i) => v.map((x, c) => Math.abs(x - b[i][c]))));

it('parses, with the shapes of every step and the options used', () => {
  const r = run('--dim', '12', '--heads', '3', '--seed', '5');
  const n = r.tokens.length;
  expect(r.sentence).toBe('The cat sat on the mat');
  expect(r.options).toMatchObject({ dim: 12, heads: 3, positional: 'sinusoidal', causal: false, seed: 5 });
  expect(r.tokens).toEqual(['The', 'cat', 'sat', 'on', 'the', 'mat']);
  expect(r.ids[0]).toBe(r.ids[4]); // "The" and "the" are one word
  for (const step of [r.embeddings, r.positional!, r.inputs, r.output]) {
    expect(step.length).toBe(n);
    for (const v of step) expect(v.length).toBe(12);
  }
  expect(r.weights.length).toBe(3);
  for (const head of r.weights) {
    expect(head.length).toBe(n);
    for (const w of head) expect(w.length).toBe(n);
  }
  // The average over heads, from float32 weights: 1e-6.
  r.averageWeights.forEach((w, i) => w.forEach((x, j) => expect(Math.abs(x - (r.weights[0][i][j] + r.weights[1][i][j] + r.weights[2][i][j]) / 3)).toBeLessThan(1e-6)));
});

it.each(['sinusoidal', 'learned', 'example'])('inputs are embeddings + %s positional encodings, and each weight row sums to 1', (positional) => {
  const r = run('--positional', positional);
  expect(r.options.positional).toBe(positional);
  // float32 sums: 1e-6.
  r.inputs.forEach((v, i) => v.forEach((x, c) => expect(Math.abs(x - (r.embeddings[i][c] + r.positional![i][c]))).toBeLessThan(1e-6)));
  // float32 probabilities summed in float64: 1e-6.
  for (const head of r.weights) for (const w of head) expect(Math.abs(w.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-6);
});

it.each(['rope', 'none'])('--positional %s: no table, the inputs are the embeddings', (positional) => {
  const r = run('--positional', positional);
  expect(r.positional).toBeNull();
  expect(r.inputs).toEqual(r.embeddings);
});

it('--causal zeroes the weights above the diagonal', () => {
  const r = run('--causal');
  expect(r.options.causal).toBe(true);
  r.averageWeights.forEach((w, i) => w.forEach((x, j) => (j > i ? expect(x).toBe(0) : expect(x).toBeGreaterThan(0))));
});

it('--seed changes the embeddings and the weights; the same seed gives the same numbers', () => {
  expect(run('--seed', '3')).toEqual(run('--seed', '3'));
  const a = run('--seed', '3');
  const b = run('--seed', '4');
  expect(a.embeddings).not.toEqual(b.embeddings);
  expect(a.output).not.toEqual(b.output);
});

it.each([[], ['--positional', 'rope', '--causal'], ['--dim', '16', '--heads', '4', '--positional', 'learned']])('wasm and ts agree %j', (...args) => {
  const a = run('--backend', 'wasm', ...args);
  const b = run('--backend', 'ts', ...args);
  expect(a.options.backend).toBe('wasm');
  expect(b.options.backend).toBe('ts');
  expect(a.inputs).toEqual(b.inputs); // one float32 addition each: identical
  // SIMD float32 kernels vs the TS reference on a layer of width ≤ 16 (reordered sums, SIMD exp): 1e-5.
  expect(maxDiff(a.weights.flat(), b.weights.flat())).toBeLessThan(1e-5);
  expect(maxDiff(a.output, b.output)).toBeLessThan(1e-5);
});

it('demo is encode "I love machine learning" --dim 3 --positional example', () => {
  const demo = run('demo');
  const encode = JSON.parse(attnkit('encode', 'I love machine learning', '--dim', '3', '--positional', 'example', '--json').stdout) as Output;
  expect(demo).toEqual(encode);
  expect(demo.inputs).toEqual([[0.11, 0.32, 0.53], [0.22, 0.43, 0.64], [0.33, 0.54, 0.75], [0.44, 0.65, 0.86]].map((v) => v.map((x) => expect.closeTo(x, 6))));
});

it('--positional seed is the older name of --positional example', () => {
  const [a, b] = ['seed', 'example'].map((kind) => JSON.parse(attnkit('encode', 'I love machine learning', '--dim', '3', '--positional', kind, '--json').stdout));
  expect(a).toEqual(b);
  expect(a.options.positional).toBe('example');
});
