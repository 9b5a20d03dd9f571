/**
 * A sentence through a tiny deterministic encoder (vocabulary = the sentence's distinct
 * words, dim 8, sinusoidal positions, two heads): what the workerd HTTP test asks the
 * Worker for and recomputes in Node. Runtime-neutral.
 */

import type { Engine } from 'attnkit';

export const DIM = 8;

export function encodeSentence(engine: Engine, sentence: string) {
  const words = sentence.split(/\s+/).filter(Boolean);
  const vocab = [...new Set(words)];
  const table = Float32Array.from({ length: vocab.length * DIM }, (_, i) => Math.fround(Math.sin(i + 1)));
  const weight = (phase: number) => Float32Array.from({ length: DIM * DIM }, (_, i) => Math.fround(Math.cos(i * 0.37 + phase) / DIM));
  const encoder = engine.encoder({
    table,
    dim: DIM,
    positional: 'sinusoidal',
    attention: { params: { wq: weight(0), wk: weight(1), wv: weight(2), wo: weight(3) }, numHeads: 2 },
  });
  const ids = words.map((w) => vocab.indexOf(w));
  const { inputs, weights } = encoder.encode(ids);
  encoder.dispose();
  return { backend: engine.backend, words, ids, dim: DIM, inputs: Array.from(inputs), weights: Array.from(weights ?? []) };
}
