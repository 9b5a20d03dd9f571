// 100 000 calls must not grow the module's memory: every temporary block a call
// allocates is freed, and the allocator reuses it.

import { createEngine } from 'attnkit';
import { expect, it } from 'vitest';
import { rng, uniform } from './helpers/random.js';

it('100 000 lookups leave the memory size flat', async () => {
  const engine = await createEngine({ backend: 'wasm' });
  const emb = engine.embedding(uniform(rng(3), 1000 * 32), 32);
  const ids = Int32Array.from({ length: 64 }, (_, i) => (i * 37) % 1000);
  const out = new Float32Array(64 * 32);
  emb.lookup(ids, out); // warm-up: the first temporaries set the high-water mark
  const bytes = engine.memoryBytes;
  for (let i = 0; i < 100_000; i++) emb.lookup(ids, out);
  expect(engine.memoryBytes).toBe(bytes);
  emb.dispose();
});

it('creating and disposing resident tables, and stateless ops, leave it flat too', async () => {
  const engine = await createEngine({ backend: 'wasm' });
  const table = uniform(rng(4), 2000 * 64);
  const x = uniform(rng(5), 16 * 4 * 32);
  engine.embedding(table, 64).dispose();
  engine.sinusoidalEncoding(128, 64);
  engine.rope(x, { seqLen: 16, numHeads: 4, headDim: 32 });
  const bytes = engine.memoryBytes;
  for (let i = 0; i < 2_000; i++) {
    const emb = engine.embedding(table, 64);
    emb.lookup([1, 2, 3]);
    emb.dispose();
    engine.sinusoidalEncoding(128, 64);
    engine.rope(x, { seqLen: 16, numHeads: 4, headDim: 32 });
  }
  expect(engine.memoryBytes).toBe(bytes);
});
