// Files written by gensim (save_word2vec_format: text, binary, headerless) and numpy
// (np.save, float32 and float16), read back by attnkit on both backends: every word and
// every value as gensim reads them (exactly in f32, numpy's own rounding in f16 and int8,
// within the stated bounds), and gensim's most_similar / similarity / analogy answers on
// each storage type's values (same words, scores within GENSIM_TOLERANCE).
// Written by scripts/vectors/generate.py (scripts/vectors.sh).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Neighbour, VectorDtype, WordVectors } from 'attnkit';
import { bothEngines } from './helpers/engines.js';

/** gensim sums in float32 (numpy), attnkit's core in f32 lanes and its ts twin in f64: |Δ| on cosines. */
const GENSIM_TOLERANCE = 1e-5;
/** f16 keeps 11 significant bits: round to nearest is within 2⁻¹¹ relative. */
const F16_RELATIVE = 2 ** -11;
/** int8 rounds x / scale to an integer (≤ scale / 2); x / scale and q · scale are f32 (≤ 2⁻²³ |x| more). */
const int8Bound = (scale: number, x: number) => scale / 2 + Math.abs(x) * 2 ** -23;

const dir = new URL('./vectors/', import.meta.url);
const path = (name: string) => fileURLToPath(new URL(name, dir));

interface Answers {
  values: number[][];
  nearest: { query: string; k: number; result: [string, number][] }[];
  byVector: { vector: number[]; k: number; result: [string, number][] };
  similarity: { a: string; b: string; score: number }[];
  analogy: { a: string; b: string; c: string; k: number; result: [string, number][] }[];
}
interface Expected {
  dim: number;
  words: string[];
  invalidUtf8: { words: string[]; values: number[][] };
  duplicates: { words: string[]; values: number[][] };
  dtypes: Record<VectorDtype, Answers>;
  f16File: number[][];
}
const expected = JSON.parse(readFileSync(path('expected.json'), 'utf8')) as Expected;
const engines = await bothEngines();
const backends = ['wasm', 'ts'] as const;
const dtypes: VectorDtype[] = ['f32', 'f16', 'int8'];

/** The files gensim and numpy wrote, each as the kind of source a user would pass. */
const files: [string, () => unknown, { vocab?: string }][] = [
  ['vectors.txt (word2vec text), a path', () => path('vectors.txt'), {}],
  ['vectors.bin (word2vec binary), a path', () => path('vectors.bin'), {}],
  ['glove.txt (no header), bytes', () => readFileSync(path('glove.txt')), {}],
  ['vectors.npy + vocab.txt, a Blob and a path', () => new Blob([readFileSync(path('vectors.npy'))]), { vocab: path('vocab.txt') }],
];

function rows(v: WordVectors): Float32Array {
  return v.lookup(Int32Array.from({ length: v.rows }, (_, i) => i));
}

function expectGensim(got: Neighbour[], want: [string, number][]): void {
  expect(got.map((n) => n.word)).toEqual(want.map(([w]) => w));
  got.forEach((n, i) => {
    expect(Math.abs(n.score - want[i][1]), n.word).toBeLessThanOrEqual(GENSIM_TOLERANCE);
    expect(n.id).toBe(expected.words.indexOf(n.word));
  });
}

describe.each(backends)('%s', (backend) => {
  const engine = engines[backend];

  describe.each(dtypes)('%s', (dtype) => {
    const answers = expected.dtypes[dtype];
    const want = Float32Array.from(answers.values.flat());

    it.each(files)('%s: every word, and every value as stored by numpy', async (_, source, opts) => {
      const v = await engine.loadVectors(source() as Uint8Array, { dtype, ...opts });
      expect(v.words).toEqual(expected.words);
      expect([v.rows, v.dim, v.duplicates, v.dtype]).toEqual([expected.words.length, expected.dim, 0, dtype]);
      const got = rows(v);
      // int8 has no −0: numpy's round(−0.3) is −0, stored as q = 0 it reads back +0 (x + 0 makes both +0).
      expect(Array.from(got, (x) => x + 0)).toEqual(Array.from(want, (x) => x + 0));
      // The stated bounds, against the float32 values gensim wrote.
      const exact = Float32Array.from(expected.dtypes.f32.values.flat());
      const dim = expected.dim;
      let worst = 0;
      for (let r = 0; r < v.rows; r++) {
        const scale = Math.fround(Math.max(...Array.from(exact.subarray(r * dim, (r + 1) * dim), Math.abs)) / 127);
        for (let e = r * dim; e < (r + 1) * dim; e++) {
          const err = Math.abs(got[e] - exact[e]);
          const bound = dtype === 'f32' ? 0 : dtype === 'f16' ? Math.abs(exact[e]) * F16_RELATIVE : int8Bound(scale, exact[e]);
          if (err > bound) worst = Math.max(worst, err - bound);
        }
      }
      expect(worst).toBe(0);
      v.dispose();
    });

    it("nearest, similarity and analogy agree with gensim's on these values", async () => {
      const v = await engine.loadVectors(path('vectors.bin'), { dtype });
      for (const { query, k, result } of answers.nearest) expectGensim(v.nearest(query, k), result);
      expectGensim(v.nearest(Float32Array.from(answers.byVector.vector), answers.byVector.k), answers.byVector.result);
      for (const { a, b, score } of answers.similarity) expect(Math.abs(v.similarity(a, b) - score)).toBeLessThanOrEqual(GENSIM_TOLERANCE);
      for (const { a, b, c, k, result } of answers.analogy) expectGensim(v.analogy(a, b, c, k), result);
      expect(v.analogy('man', 'king', 'woman', 1)[0].word).toBe('queen');
      v.dispose();
    });
  });

  it('a float16 .npy reads back exactly as numpy rounded it', async () => {
    const v = await engine.loadVectors(readFileSync(path('vectors-f2.npy')), { vocab: expected.words });
    expect(Array.from(rows(v))).toEqual(Array.from(Float32Array.from(expected.f16File.flat())));
    v.dispose();
  });

  it("invalid UTF-8 in words becomes U+FFFD, as gensim's unicode_errors='replace'", async () => {
    const v = await engine.loadVectors(path('invalid-utf8.bin'));
    expect(v.words).toEqual(expected.invalidUtf8.words);
    expect(v.words[0]).toBe('caf\ufffd');
    expect(Array.from(rows(v))).toEqual(Array.from(Float32Array.from(expected.invalidUtf8.values.flat())));
    v.dispose();
  });

  it('a duplicated word keeps its first row, as gensim, and is counted', async () => {
    const v = await engine.loadVectors(path('duplicates.txt'));
    expect(v.words).toEqual(expected.duplicates.words);
    expect(v.duplicates).toBe(1);
    expect(Array.from(rows(v))).toEqual(expected.duplicates.values.flat());
    v.dispose();
  });
});
