// The wasm and ts backends load the same files into the same tables: identical words and
// identical lookup bits for every dtype, f32 rows equal to what was written, and nearest
// neighbours with the same ids and scores within SCORE_TOLERANCE.

import { describe, expect, it } from 'vitest';
import type { VectorDtype, WordVectors } from 'attnkit';
import { bothEngines } from './helpers/engines.js';
import { chunked, gloveText, npy, randomVectors, word2vecBinary, word2vecText } from './helpers/vectors.js';

/** The core sums the dot products in f32 lanes, the ts backend in f64: |Δ| on cosines. */
const SCORE_TOLERANCE = 1e-6;
/** f16 keeps 11 significant bits: round to nearest is within half an ulp, 2⁻¹¹ relative. */
const F16_RELATIVE = 2 ** -11;
/** int8 rounds x / scale to an integer (≤ scale / 2); x / scale and q · scale are f32 (≤ 2⁻²³ |x| more). */
const int8Bound = (scale: number, x: number) => scale / 2 + Math.abs(x) * 2 ** -23;

const engines = await bothEngines();
const dtypes: VectorDtype[] = ['f32', 'f16', 'int8'];

/** Where two arrays first differ in their bits (−1: nowhere); vitest's deep equality is slow on 10⁵ elements. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

function expectSameNeighbours(a: ReturnType<WordVectors['nearest']>, b: ReturnType<WordVectors['nearest']>): void {
  expect(a.map((n) => n.word)).toEqual(b.map((n) => n.word));
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i].score - b[i].score)).toBeLessThanOrEqual(SCORE_TOLERANCE);
}

// Widths around the core's 4-, 8- and 16-lane steps, and rows around its 4-row blocks and
// 256-row scan blocks.
const shapes: [number, number][] = [[1, 1], [5, 3], [9, 7], [4, 8], [13, 15], [260, 16], [7, 17], [33, 33], [520, 300]];

describe.each(shapes)('%i rows × %i', (rows, dim) => {
  const { words, table } = randomVectors(rows * 1000 + dim, rows, dim);
  const files = {
    glove: gloveText(words, table, dim),
    word2vec: word2vecText(words, table, dim),
    'word2vec-binary': word2vecBinary(words, table, dim),
    npy: npy(table, rows, dim),
  };

  it.each(dtypes)('%s: every format loads the same words and the same bits on both backends', async (dtype) => {
    const ids = Int32Array.from({ length: rows }, (_, i) => i);
    let reference: Float32Array | undefined;
    for (const [format, bytes] of Object.entries(files)) {
      const loaded = await Promise.all(
        [engines.wasm, engines.ts].map((e) => e.loadVectors(chunked(bytes, 777), { dtype, vocab: format === 'npy' ? words : undefined })),
      );
      for (const v of loaded) {
        expect(v.words).toEqual(words);
        expect(v.dtype).toBe(dtype);
        expect([v.rows, v.dim, v.duplicates]).toEqual([rows, dim, 0]);
      }
      const [w, t] = loaded.map((v) => v.lookup(ids));
      expect(firstDifference(w, t), `${format}: wasm vs ts`).toBe(-1);
      reference ??= w;
      expect(firstDifference(w, reference), `${format} reads the same values as glove`).toBe(-1);
      loaded.forEach((v) => v.dispose());
    }
    const stored = reference!;
    if (dtype === 'f32') expect(firstDifference(stored, table)).toBe(-1);
    let worst = 0;
    for (let r = 0; r < rows; r++) {
      const row = table.subarray(r * dim, (r + 1) * dim);
      const scale = Math.fround(row.reduce((m, x) => Math.max(m, Math.abs(x)), 0) / 127);
      for (let e = 0; e < dim; e++) {
        const err = Math.abs(stored[r * dim + e] - row[e]);
        // Each error as a fraction of its bound: ≤ 1 everywhere.
        if (dtype === 'f16') worst = Math.max(worst, err / (Math.abs(row[e]) * F16_RELATIVE + 2 ** -25));
        if (dtype === 'int8') worst = Math.max(worst, err / int8Bound(scale, row[e]));
      }
    }
    expect(worst).toBeLessThanOrEqual(1);
  });

  it.each(dtypes)('%s: nearest, analogy and similarity agree across backends', async (dtype) => {
    const [w, t] = await Promise.all([engines.wasm, engines.ts].map((e) => e.loadVectors(files.glove, { dtype })));
    for (const word of words.slice(0, 5)) {
      expectSameNeighbours(w.nearest(word, 7), t.nearest(word, 7));
      expect(w.nearest(word, rows + 3).length).toBe(rows - 1);
    }
    const q = table.subarray(0, dim);
    expectSameNeighbours(w.nearest(q, 5), t.nearest(q, 5));
    if (rows >= 4) {
      expectSameNeighbours(w.analogy(words[0], words[1], words[2], 6), t.analogy(words[0], words[1], words[2], 6));
      expect(w.similarity(words[1], words[3])).toBe(t.similarity(words[1], words[3]));
    }
    w.dispose();
    t.dispose();
  });
});
