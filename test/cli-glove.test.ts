// `--embeddings FILE`: a GloVe text file's vectors are the embeddings; unknown words are [UNK].

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { attnkit } from './helpers/cli.js';

it("uses the file's vectors, its width, and zeros for unknown words", () => {
  const file = join(mkdtempSync(join(tmpdir(), 'attnkit-')), 'glove.txt');
  writeFileSync(file, 'the 0.5 -0.25 1 2\ncat 0.125 0.375 -1 0\n\nsat 1e-1 2E-1 3 4\n');
  const { code, stdout } = attnkit('encode', 'The cat sat quietly', '--embeddings', file, '--json', '--positional', 'none');
  expect(code).toBe(0);
  const r = JSON.parse(stdout) as { options: { dim: number; heads: number }; embeddings: number[][]; inputs: number[][] };
  expect(r.options.dim).toBe(4);
  expect(r.options.heads).toBe(2);
  expect(r.embeddings).toEqual([[0.5, -0.25, 1, 2], [0.125, 0.375, -1, 0], [Math.fround(0.1), Math.fround(0.2), 3, 4], [0, 0, 0, 0]]);
  expect(r.inputs).toEqual(r.embeddings);
});
