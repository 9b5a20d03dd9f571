// WebAssembly memory grows when a big resident table arrives; views of the old buffer
// go stale at that moment. Results handed out before, and resident tables created
// before, must be intact after the growth.

import { createEngine } from 'attnkit';
import { expect, it } from 'vitest';
import { rng, uniform } from './helpers/random.js';

it('results and resident tables survive memory growth between two calls', async () => {
  const engine = await createEngine({ backend: 'wasm' });
  const table = uniform(rng(1), 100 * 16);
  const small = engine.embedding(table, 16);
  const ids = [99, 0, 42];
  const before = small.lookup(ids);
  const beforeCopy = before.slice();
  const pe = engine.sinusoidalEncoding(8, 16);
  const peCopy = pe.slice();
  const bytesBefore = engine.memoryBytes;

  // 48 MiB of table: more than the memory holds, so it must grow.
  const big = engine.embedding(uniform(rng(2), 3 * 1024 * 1024 * 4), 64);
  expect(engine.memoryBytes).toBeGreaterThan(bytesBefore + 48 * 1024 * 1024 - 1);

  expect(before).toEqual(beforeCopy); // a result from before is still whole
  expect(pe).toEqual(peCopy);
  expect(small.lookup(ids)).toEqual(beforeCopy); // the resident table is intact
  expect(engine.sinusoidalEncoding(8, 16)).toEqual(peCopy);
  expect(big.lookup([big.rows - 1]).length).toBe(64);
  big.dispose();
  small.dispose();
});
