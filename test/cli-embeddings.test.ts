// `--embeddings FILE`: word vectors in any format (GloVe, word2vec text and binary, .npy)
// are the embeddings; unknown words are [UNK].

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { attnkit } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'attnkit-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

interface Output {
  options: { dim: number; heads: number; embeddings: string };
  ids: number[];
  embeddings: number[][];
  inputs: number[][];
}

it("uses the file's vectors, its width, and zeros for unknown words", () => {
  const glove = file('glove.txt', 'the 0.5 -0.25 1 2\ncat 0.125 0.375 -1 0\n\nsat 1e-1 2E-1 3 4\n');
  const { code, stdout } = attnkit('encode', 'The cat sat quietly', '--embeddings', glove, '--json', '--positional', 'none');
  expect(code).toBe(0);
  const r = JSON.parse(stdout) as Output;
  expect(r.options.dim).toBe(4);
  expect(r.options.heads).toBe(2);
  expect(r.options.embeddings).toBe(glove);
  expect(r.ids[3]).toBe(0);
  expect(r.embeddings).toEqual([[0.5, -0.25, 1, 2], [0.125, 0.375, -1, 0], [0.1, 0.2, 3, 4], [0, 0, 0, 0]]);
  expect(r.inputs).toEqual(r.embeddings);
});

it('prints the vectors in the text walk-through, marking [UNK]', () => {
  const glove = file('text.txt', 'love 0.5 0.25 -1\nlearning 2 4 8\n');
  const { code, stdout } = attnkit('encode', 'I love learning', '--embeddings', glove, '--positional', 'example');
  expect(code).toBe(0);
  expect(stdout).toContain('dim 3, 1 head');
  expect(stdout).toMatch(/"I" +-> \[0, 0, 0\] +\[UNK\]/);
  expect(stdout).toMatch(/"love" +-> \[0\.5, 0\.25, -1\]\n/);
  expect(stdout).toMatch(/"learning" +-> \[2\+0\.03, 4\+0\.04, 8\+0\.05\] = \[2\.03, 4\.04, 8\.05\]/);
});

it('reads a word2vec-style header, a BOM and CRLF line ends; a cased word before its lower case', () => {
  const glove = file('w2v.txt', '\uFEFF3 2\r\nThe 1 2\r\nthe 3 4\r\ncat 5 6\r\ncat 7 8\r\n');
  const { code, stdout } = attnkit('encode', 'The the CAT', '--embeddings', glove, '--json');
  expect(code).toBe(0);
  const r = JSON.parse(stdout) as Output;
  expect(r.options.dim).toBe(2);
  expect(r.embeddings).toEqual([[1, 2], [3, 4], [5, 6]]); // "CAT" falls back to "cat"; its first line wins
});

it('reads gensim\'s binary file, its text file and numpy\'s .npy (words from vocab.txt beside it) alike', () => {
  const vectors = (name: string, ...extra: string[]) => {
    const path = fileURLToPath(new URL(`./vectors/${name}`, import.meta.url));
    const { code, stdout } = attnkit('encode', 'king 猫 café unknown', '--embeddings', path, '--json', '--positional', 'none', ...extra);
    expect(code).toBe(0);
    return JSON.parse(stdout) as Output;
  };
  const text = vectors('vectors.txt');
  expect(text.options.dim).toBe(24);
  expect(text.ids[3]).toBe(0);
  expect(text.embeddings[3]).toEqual(new Array(24).fill(0));
  for (const name of ['vectors.bin', 'glove.txt', 'vectors.npy']) expect(vectors(name).embeddings).toEqual(text.embeddings);
  const int8 = vectors('vectors.bin', '--dtype', 'int8');
  int8.embeddings[0].forEach((x, i) => expect(Math.abs(x - text.embeddings[0][i])).toBeLessThan(0.02));
  expect(int8.embeddings[0]).not.toEqual(text.embeddings[0]);
});
