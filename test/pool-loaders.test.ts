// The loaders through a pool: word vectors (every storage type, a vocabulary file beside a
// .npy) and BERT models (a golden checkpoint from bytes and from a path) are read once on
// the pool's thread, loaded by every worker, and answer every method with the engine's
// results bit for bit; a killed worker is replaced, remakes them from the shared bytes,
// and the next calls give the same bits.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createEngine, createPool, type Engine, type Pool } from 'attnkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSameBits } from './helpers/bits.js';
import { checkpoint, goldenPath, loadModelCases, modelInput } from './helpers/model-golden.js';
import { killWorker } from './helpers/pool.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const vectorsText = readFileSync(here('vectors/vectors.txt'));

describe.each(['wasm', 'ts'] as const)('%s workers', (backend) => {
  let engine: Engine;
  let pool: Pool;
  beforeAll(async () => {
    engine = await createEngine({ backend });
    pool = await createPool({ size: 2, backend });
  });
  afterAll(() => pool.close());

  it.each(['f32', 'f16', 'int8'] as const)('loadVectors (%s): every method gives the engine’s answer', async (dtype) => {
    const progress: number[] = [];
    const pooled = await pool.loadVectors(vectorsText, { dtype, onProgress: (p) => progress.push(p.bytes) });
    const local = await engine.loadVectors(vectorsText, { dtype });
    expect(progress.at(-1)).toBe(vectorsText.length);
    expect([pooled.rows, pooled.dim, pooled.dtype, pooled.duplicates]).toEqual([local.rows, local.dim, local.dtype, local.duplicates]);
    expect(pooled.words).toEqual(local.words);
    const [a, b, c] = local.words;
    const ids = Int32Array.from({ length: 9 }, (_, i) => (i * 5) % local.rows);
    expectSameBits(await pooled.lookup(ids), local.lookup(ids), 'lookup');
    expectSameBits(await pooled.vector(b), local.vector(b), 'vector');
    expect(await pooled.id(c)).toBe(local.id(c));
    expect(Array.from(await pooled.ids([c, a]))).toEqual(Array.from(local.ids([c, a])));
    expect(await pooled.similarity(a, b)).toBe(local.similarity(a, b));
    expect(await pooled.nearest(a, 4)).toEqual(local.nearest(a, 4));
    expect(await pooled.nearest(local.vector(c), 3, { exclude: [c] })).toEqual(local.nearest(local.vector(c), 3, { exclude: [c] }));
    expect(await pooled.analogy(a, b, c, 3)).toEqual(local.analogy(a, b, c, 3));
    expect(local.words).not.toContain('zz-unknown');
    await expect(pooled.vector('zz-unknown')).rejects.toThrow(/zz-unknown/);
    pooled.dispose();
    local.dispose();
  });

  it('loadVectors from a .npy and its vocabulary file', async () => {
    const opts = { format: 'npy' as const, vocab: readFileSync(here('vectors/vocab.txt')) };
    const pooled = await pool.loadVectors(readFileSync(here('vectors/vectors.npy')), opts);
    const local = await engine.loadVectors(readFileSync(here('vectors/vectors.npy')), opts);
    expect(pooled.words).toEqual(local.words);
    expectSameBits(await pooled.lookup([0, local.rows - 1]), local.lookup([0, local.rows - 1]), 'lookup');
    pooled.dispose();
    local.dispose();
  });

  it('loadModel: forward and embed give the engine’s bits, from bytes and from a path, and after a worker is replaced', async () => {
    const [c] = loadModelCases();
    for (const weights of [checkpoint(c), goldenPath(c.file)]) {
      const pooled = await pool.loadModel({ config: c.config, weights });
      const local = await engine.loadModel({ config: c.config, weights: checkpoint(c) });
      const input = modelInput(c);
      expect(pooled.config).toEqual(local.config);
      expectSameBits(await pooled.forward(input), local.forward(input), 'forward');
      expectSameBits(await pooled.embed(input), local.embed(input), 'embed');
      expectSameBits(await pooled.embed(input, { pooling: 'cls' }), local.embed(input, { pooling: 'cls' }), 'embed cls');
      await killWorker(pool, 0);
      const after = await Promise.all([pooled.forward(input), pooled.forward(input)]);
      for (const got of after) expectSameBits(got, local.forward(input), 'forward after a worker was replaced');
      pooled.dispose();
      local.dispose();
    }
  });
});
