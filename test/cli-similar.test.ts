// `attnkit similar` and `attnkit analogy` on files gensim wrote: gensim's neighbours, in
// every format and storage type; --json is clean; no progress bar when stderr is not a terminal.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { attnkit } from './helpers/cli.js';

const path = (name: string) => fileURLToPath(new URL(`./vectors/${name}`, import.meta.url));
const expected = JSON.parse(readFileSync(path('expected.json'), 'utf8')) as {
  dtypes: Record<string, { nearest: { query: string; k: number; result: [string, number][] }[]; analogy: { a: string; b: string; c: string; k: number; result: [string, number][] }[] }>;
};

interface Result {
  command: string;
  dtype: string;
  result: { word: string; id: number; score: number }[];
}

it.each(['f32', 'f16', 'int8'])('similar --json gives gensim\'s most_similar (%s)', (dtype) => {
  for (const file of ['vectors.bin', 'vectors.txt', 'glove.txt']) {
    const { query, k, result } = expected.dtypes[dtype].nearest[0];
    const { code, stdout, stderr } = attnkit('similar', query, '--embeddings', path(file), '-k', String(k), '--dtype', dtype, '--json');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const r = JSON.parse(stdout) as Result;
    expect(r.dtype).toBe(dtype);
    expect(r.result.map((n) => n.word)).toEqual(result.map(([w]) => w));
    r.result.forEach((n, i) => expect(Math.abs(n.score - result[i][1])).toBeLessThanOrEqual(1e-5));
  }
});

it('analogy man king woman prints queen first, with the scores', () => {
  const { code, stdout, stderr } = attnkit('analogy', 'man', 'king', 'woman', '--embeddings', path('vectors.bin'), '-k', '3');
  expect(code).toBe(0);
  expect(stderr).toBe('');
  const lines = stdout.trim().split('\n');
  expect(lines[0]).toBe('"man" is to "king" as "woman" is to (60 words × 24, f32, cosine):');
  const want = expected.dtypes.f32.analogy[0].result;
  expect(lines.slice(1).map((l) => l.trim().split(/\s+/))).toEqual(want.slice(0, 3).map(([w, s], i) => [`${i + 1}.`, w, s.toFixed(4)]));
});

it('similar prints a ranked table, words of any script aligned', () => {
  const { code, stdout } = attnkit('similar', '猫', '--embeddings', path('vectors.txt'), '-k', '3');
  expect(code).toBe(0);
  const want = expected.dtypes.f32.nearest[1].result;
  expect(stdout).toContain('nearest to "猫" (60 words × 24, f32, cosine):');
  expect(stdout).toContain(`1. ${want[0][0]}`);
  expect(stdout.trim().split('\n')).toHaveLength(4);
});

it('draws a progress bar on stderr when it is a terminal, and clears it', () => {
  // `script` runs the command on a pseudo-terminal (stdout and stderr both a TTY).
  const cli = fileURLToPath(new URL('../packages/attnkit/dist/cli.js', import.meta.url));
  const run = spawnSync('script', ['-qec', `${process.execPath} ${cli} similar king --embeddings ${path('vectors.txt')} -k 1`, '/dev/null'], { encoding: 'utf8' });
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/\r\x1b\[2Kloading .*vectors\.txt \[#+\.*\] \d+% [\d.]+ MB \/ [\d.]+ MB, \d+ rows/);
  expect(run.stdout).toMatch(/\r\x1b\[2Knearest to "king"/);
  expect(run.stdout).toContain('1. queen');
});
