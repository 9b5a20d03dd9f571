// The storage conversions, on both backends: every finite f16 value round-trips exactly;
// f32 → f16 rounds to nearest even (midpoints, subnormals); int8 rounds half to even with
// scale = max|x| / 127; both backends store the same bits for values across all magnitudes.

import { describe, expect, it } from 'vitest';
import { f16ToF32, f32ToF16 } from '../packages/attnkit/src/ts/half.js';
import { storeInt8 } from '../packages/attnkit/src/ts/vectors.js';
import { bothEngines } from './helpers/engines.js';
import { rng } from './helpers/random.js';
import { npy } from './helpers/vectors.js';

const engines = await bothEngines();

/** A .npy of `values` as [rows, dim] (words w0 …) loaded on a backend. */
async function load(backend: 'wasm' | 'ts', values: Float32Array, dim: number, dtype: 'f16' | 'int8') {
  const rows = values.length / dim;
  const vectors = await engines[backend].loadVectors(npy(values, rows, dim), { dtype, vocab: Array.from({ length: rows }, (_, i) => `w${i}`) });
  const out = vectors.lookup(Int32Array.from({ length: rows }, (_, i) => i));
  vectors.dispose();
  return out;
}

describe('f16', () => {
  it('every finite half round-trips exactly through the ts twin and both backends', async () => {
    const halves: number[] = [];
    for (let h = 0; h < 0x10000; h++) if (((h >> 10) & 0x1f) !== 0x1f) halves.push(h);
    const values = Float32Array.from(halves, f16ToF32);
    expect(halves.findIndex((h, i) => f32ToF16(values[i]) !== h)).toBe(-1);
    const dim = 64;
    const padded = new Float32Array(Math.ceil(values.length / dim) * dim);
    padded.set(values);
    for (const backend of ['wasm', 'ts'] as const) {
      const back = await load(backend, padded, dim, 'f16');
      expect(Buffer.compare(Buffer.from(back.buffer), Buffer.from(padded.buffer)), backend).toBe(0);
    }
  });

  it('rounds to nearest, ties to even, including subnormal halves', () => {
    expect(f32ToF16(1 + 2 ** -11)).toBe(0x3c00);
    expect(f32ToF16(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(f32ToF16(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01);
    expect(f32ToF16(2 ** -25)).toBe(0);
    expect(f32ToF16(3 * 2 ** -25)).toBe(2);
    expect(f32ToF16(65519)).toBe(0x7bff);
    expect(f32ToF16(-65504)).toBe(0xfbff);
  });

  it('both backends store the same bits for values of every magnitude', async () => {
    const random = rng(11);
    const values = Float32Array.from({ length: 4096 }, () => (random() - 0.5) * 2 ** Math.floor(random() * 40 - 30));
    const [w, t] = await Promise.all([load('wasm', values, 32, 'f16'), load('ts', values, 32, 'f16')]);
    expect(new Uint32Array(w.buffer)).toEqual(new Uint32Array(t.buffer));
  });
});

describe('int8', () => {
  it('rounds half to even with scale = max|x| / 127, zero rows stay zero', () => {
    const q = new Int8Array(10);
    const scales = new Float32Array(2);
    storeInt8(Float32Array.from([127, 2.5, 3.5, -2.5, 0.5, 0, 0, 0, 0, 0]), 2, 5, q, scales);
    expect(Array.from(q)).toEqual([127, 2, 4, -2, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(scales)).toEqual([1, 0]);
  });

  it('both backends store the same bits, and every row reaches ±127', async () => {
    const random = rng(12);
    const dim = 19;
    const values = Float32Array.from({ length: dim * 200 }, (_, i) => (i % 31 === 0 ? 0 : (random() - 0.5) * 2 ** Math.floor(random() * 20 - 10)));
    const [w, t] = await Promise.all([load('wasm', values, dim, 'int8'), load('ts', values, dim, 'int8')]);
    expect(new Uint32Array(w.buffer)).toEqual(new Uint32Array(t.buffer));
    for (let r = 0; r < 200; r++) {
      const row = values.subarray(r * dim, (r + 1) * dim);
      const max = Math.max(...Array.from(row, Math.abs));
      const stored = w.subarray(r * dim, (r + 1) * dim);
      expect(Math.max(...Array.from(stored, Math.abs))).toBe(Math.fround(127 * Math.fround(max / 127)));
    }
  });
});
