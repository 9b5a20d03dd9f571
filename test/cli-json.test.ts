// `--json`: every step, machine-readable, consistent with itself and across backends.

import { expect, it } from 'vitest';
import { attnkit } from './helpers/cli.js';

interface Output {
  tokens: string[];
  ids: number[];
  options: { dim: number; heads: number; backend: string };
  embeddings: number[][];
  positional: number[][] | null;
  inputs: number[][];
  weights: number[][][];
  averageWeights: number[][];
  output: number[][];
}

function run(...args: string[]): Output {
  const { code, stdout, stderr } = attnkit('encode', 'The cat sat on the mat', '--json', ...args);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return JSON.parse(stdout) as Output;
}

it('parses, with the shapes of every step', () => {
  const r = run('--dim', '12', '--heads', '3');
  const n = r.tokens.length;
  expect(r.tokens).toEqual(['The', 'cat', 'sat', 'on', 'the', 'mat']);
  expect(r.ids[0]).toBe(r.ids[4]); // "The" and "the" are one word
  for (const step of [r.embeddings, r.positional!, r.inputs, r.output]) {
    expect(step.length).toBe(n);
    for (const v of step) expect(v.length).toBe(12);
  }
  expect(r.weights.length).toBe(3);
  for (const head of r.weights) for (const w of head) expect(w.length).toBe(n);
});

it('inputs are embeddings + positional encodings, and each weight row sums to 1', () => {
  const r = run();
  r.inputs.forEach((v, i) => v.forEach((x, c) => expect(Math.abs(x - (r.embeddings[i][c] + r.positional![i][c]))).toBeLessThan(1e-6)));
  // f32 probabilities summed in f64: 1e-6.
  for (const head of r.weights) for (const w of head) expect(Math.abs(w.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-6);
});

it('--causal zeroes the weights above the diagonal', () => {
  const r = run('--causal');
  r.averageWeights.forEach((w, i) => w.forEach((x, j) => (j > i ? expect(x).toBe(0) : expect(x).toBeGreaterThan(0))));
});

it('wasm and ts agree', () => {
  const a = run('--backend', 'wasm', '--positional', 'rope');
  const b = run('--backend', 'ts', '--positional', 'rope');
  expect(a.options.backend).toBe('wasm');
  expect(b.options.backend).toBe('ts');
  // f32 kernels vs f64 reference on an 8-wide layer: 1e-5.
  a.output.forEach((v, i) => v.forEach((x, c) => expect(Math.abs(x - b.output[i][c])).toBeLessThan(1e-5)));
});
