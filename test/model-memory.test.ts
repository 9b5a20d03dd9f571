// Peak memory of loading a MiniLM-L6-shaped model (random weights, an 86 MB F32 file)
// through its first embedding, in a fresh process per measurement (bench/model-memory.ts):
// the resident set grows by at most 1.15 × the weights' stored bytes + 16 MB, with f32 and
// f16 storage, for a query and (f32) for a batch of 8 × 128. Noise (a collection that runs late) only ever inflates a measurement,
// so each case takes the smallest of up to three.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { measureLoad } from '../bench/model-memory.js';
import { MINILM_L6, writeRandomBert } from './helpers/random-bert.js';

const MB = 2 ** 20;
const dir = mkdtempSync(join(tmpdir(), 'attnkit-memory-test-'));
const file = join(dir, 'minilm.safetensors');
const fileBytes = writeRandomBert(file, MINILM_L6);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadModel → first embed, wasm, from a file', () => {
  it.each([
    ['f32', 1, 16],
    ['f16', 1, 16],
    ['f32', 8, 128],
  ] as const)('dtype %s, %i × %i tokens: RSS growth ≤ 1.15 × stored + 16 MB', (dtype, batch, seqLen) => {
    let best = Infinity;
    let bound = 0;
    for (let attempt = 0; attempt < 3 && best > bound; attempt++) {
      const r = measureLoad(file, MINILM_L6, dtype, batch, seqLen);
      bound = 1.15 * r.modelBytes + 16 * MB;
      best = Math.min(best, r.growth);
      expect(r.modelBytes).toBeLessThan(dtype === 'f32' ? fileBytes * 1.01 : fileBytes * 0.52);
    }
    expect(best, `grew ${(best / MB).toFixed(1)} MB, bound ${(bound / MB).toFixed(1)} MB`).toBeLessThanOrEqual(bound);
  }, 120_000);
});
