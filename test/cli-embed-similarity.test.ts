// The similarity matrix `attnkit embed` draws: cosines of the rows, symmetric, 1 on the
// diagonal, −1 for opposite vectors, invariant to each row's length.

import { expect, it } from 'vitest';
import { cosineSimilarity } from '../packages/attnkit/dist/cli/embed.js';
import { rng, uniform } from './helpers/random.js';

/** f32 inputs, an f64 sum of 16 products and a division rounded to f32. */
const TOLERANCE = 1e-6;

it('is cos(a_i, a_j) computed in float64 and stored as float32', () => {
  const random = rng(5);
  const n = 4;
  const dim = 16;
  const v = uniform(random, n * dim);
  const s = cosineSimilarity(v, n, dim);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let dot = 0;
      let a = 0;
      let b = 0;
      for (let c = 0; c < dim; c++) {
        dot += v[i * dim + c] * v[j * dim + c];
        a += v[i * dim + c] ** 2;
        b += v[j * dim + c] ** 2;
      }
      expect(Math.abs(s[i * n + j] - dot / Math.sqrt(a * b))).toBeLessThan(TOLERANCE);
      expect(s[i * n + j]).toBe(s[j * n + i]);
    }
    expect(Math.abs(s[i * n + i] - 1)).toBeLessThan(TOLERANCE);
  }
});

it('gives −1 for opposite rows, 0 for orthogonal ones, and ignores each row\'s length', () => {
  const v = Float32Array.from([1, 2, -3, 4, -2, -4, 6, -8, 4, -2, 0, 0]);
  const s = cosineSimilarity(v, 3, 4);
  expect(Math.abs(s[1] + 1)).toBeLessThan(TOLERANCE);
  expect(Math.abs(s[2] - 0)).toBeLessThan(TOLERANCE);
});

it('a zero row is similar to nothing (0), not NaN', () => {
  const s = cosineSimilarity(Float32Array.from([0, 0, 1, 1]), 2, 2);
  expect(Array.from(s.subarray(0, 3))).toEqual([0, 0, 0]);
  expect(Math.abs(s[3] - 1)).toBeLessThan(TOLERANCE);
});
