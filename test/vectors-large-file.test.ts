// A file of several MiB read by path (chunks of 1 MiB from two buffers used in turn) and
// the same bytes as an async iterable of odd-sized chunks give the same words and the
// same rows: rows and words that straddle chunk boundaries survive either way.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from 'attnkit';
import { expect, it } from 'vitest';
import { expectSameBits } from './helpers/bits.js';
import { rng } from './helpers/random.js';

const ROWS = 12_000;
const DIM = 50;
const random = rng(77);
const lines: string[] = [];
for (let r = 0; r < ROWS; r++) {
  const values = Array.from({ length: DIM }, () => (random() * 2 - 1).toFixed(5));
  lines.push(`w${r}é${'x'.repeat(r % 7)} ${values.join(' ')}`);
}
const bytes = new TextEncoder().encode(`${lines.join('\n')}\n`);
const path = join(mkdtempSync(join(tmpdir(), 'attnkit-vectors-')), 'large.txt');
writeFileSync(path, bytes);

async function* oddChunks(): AsyncGenerator<Uint8Array> {
  for (let at = 0, n = 1; at < bytes.length; at += n, n = (n * 7 + 13) % 300_001) yield bytes.slice(at, at + n);
}

it.each(['wasm', 'ts'] as const)('%s: a file of several MiB by path equals the same bytes in odd chunks', async (backend) => {
  expect(bytes.length).toBeGreaterThan(3 * 2 ** 20);
  const engine = await createEngine({ backend });
  const [byPath, byChunks] = await Promise.all([engine.loadVectors(path, { format: 'glove' }), engine.loadVectors(oddChunks(), { format: 'glove' })]);
  expect(byPath.rows).toBe(ROWS);
  expect(byPath.words).toEqual(byChunks.words);
  expect(byPath.words[ROWS - 1]).toBe(`w${ROWS - 1}é${'x'.repeat((ROWS - 1) % 7)}`);
  const all = Int32Array.from({ length: ROWS }, (_, i) => i);
  expectSameBits(byPath.lookup(all), byChunks.lookup(all), 'rows');
  expect(byPath.vector(ROWS - 1)[DIM - 1]).toBe(Math.fround(Number(lines[ROWS - 1].split(' ')[DIM])));
  byPath.dispose();
  byChunks.dispose();
});
