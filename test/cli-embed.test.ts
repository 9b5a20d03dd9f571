// `attnkit embed --model DIR "text" …` on a model folder as the Hugging Face Hub has it
// (config.json, model.safetensors, tokenizer.json; here a small random BERT and the golden
// WordPiece tokenizer): its vectors and similarity matrix are the library's own, in text,
// JSON and SVG.

import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from 'attnkit';
import { expect, it } from 'vitest';
import { cosineSimilarity } from '../packages/attnkit/dist/cli/embed.js';
import { bertConfig, randomCheckpoint, type BertShape } from './helpers/bert-checkpoint.js';
import { attnkit } from './helpers/cli.js';

const SHAPE: BertShape = { hiddenSize: 32, numLayers: 2, numHeads: 4, intermediateSize: 64, vocabSize: 300, maxPositions: 64, typeVocabSize: 2 };
const dir = mkdtempSync(join(tmpdir(), 'attnkit-embed-'));
const tokenizer = readFileSync(fileURLToPath(new URL('./golden/wordpiece-tokenizer.json', import.meta.url)), 'utf8');
writeFileSync(join(dir, 'config.json'), JSON.stringify(bertConfig(SHAPE)));
writeFileSync(join(dir, 'model.safetensors'), randomCheckpoint(SHAPE, 21));
writeFileSync(join(dir, 'tokenizer.json'), tokenizer);
const TEXTS = ['I love machine learning', 'the quick brown fox', 'Café, naïve résumé'];

async function library(texts: string[], opts: { pooling?: 'mean' | 'cls'; dtype?: 'f32' | 'f16' } = {}): Promise<Float32Array> {
  const engine = await createEngine({ backend: 'wasm' });
  const model = await engine.loadModel({ config: readFileSync(join(dir, 'config.json'), 'utf8'), weights: join(dir, 'model.safetensors'), tokenizer, dtype: opts.dtype });
  const out = model.embed(texts, { pooling: opts.pooling });
  model.dispose();
  return out;
}

interface EmbedJson {
  texts: string[];
  dim: number;
  embeddings: number[][];
  similarity: number[][];
  options: { pooling: string; dtype: string };
}
const json = (...args: string[]) => {
  const r = attnkit('embed', '--model', dir, ...args, '--json');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as EmbedJson;
};

it('--json: the embeddings are the library\'s to the last bit, the similarity their cosines', async () => {
  const body = json(...TEXTS);
  expect(body.texts).toEqual(TEXTS);
  expect(body.dim).toBe(SHAPE.hiddenSize);
  // Shortest decimals that read back as the same float32.
  expect(Float32Array.from(body.embeddings.flat())).toEqual(await library(TEXTS));
  expect(Float32Array.from(body.similarity.flat())).toEqual(cosineSimilarity(await library(TEXTS), TEXTS.length, SHAPE.hiddenSize));
  for (let i = 0; i < TEXTS.length; i++) expect(Math.abs(body.similarity[i][i] - 1)).toBeLessThan(1e-6); // unit vectors in f32
});

it('--pooling cls and --dtype f16 reach the model', async () => {
  const cls = json('--pooling', 'cls', ...TEXTS);
  expect(cls.options.pooling).toBe('cls');
  expect(Float32Array.from(cls.embeddings.flat())).toEqual(await library(TEXTS, { pooling: 'cls' }));
  expect(cls.embeddings).not.toEqual(json(...TEXTS).embeddings);
  const half = json('--dtype', 'f16', ...TEXTS);
  expect(half.options.dtype).toBe('f16');
  expect(Float32Array.from(half.embeddings.flat())).toEqual(await library(TEXTS, { dtype: 'f16' }));
});

it('one text prints its whole vector', async () => {
  const { code, stdout } = attnkit('embed', '--model', dir, 'I love machine learning');
  expect(code).toBe(0);
  const vector = /\n\[(.*)\]\n?$/.exec(stdout)?.[1].split(', ').map(Number);
  expect(vector).toHaveLength(SHAPE.hiddenSize);
  const expected = await library(['I love machine learning']);
  // Printed with 4 decimals.
  for (let i = 0; i < SHAPE.hiddenSize; i++) expect(Math.abs(vector![i] - expected[i])).toBeLessThanOrEqual(5e-5 + 1e-12);
});

it('several texts print the similarity heatmap, one numbered row per text', () => {
  const { code, stdout } = attnkit('embed', '--model', dir, ...TEXTS);
  expect(code).toBe(0);
  expect(stdout).toContain('Cosine similarity of the embeddings');
  const heatmap = stdout.slice(stdout.indexOf('Cosine similarity')).split('\n').slice(2); // heading, blank line
  const rows = heatmap.slice(1, 1 + TEXTS.length); // after the column labels
  expect(rows.map((l) => l.trim().slice(0, 2))).toEqual(['1 ', '2 ', '3 ']);
  // Each row's values (after its label): the diagonal one is 1.
  for (const [i, line] of rows.entries()) expect(line.trim().split(/\s+/).filter((t) => /^-?\d(\.\d+)?$/.test(t)).slice(-3)[i]).toBe('1');
});

it('--svg writes the similarity heatmap: a cell per pair, the texts on both axes', () => {
  const file = join(dir, 'similarity.svg');
  const { code, stdout } = attnkit('embed', '--model', dir, ...TEXTS, '--svg', file);
  expect(code).toBe(0);
  expect(stdout).toContain(`Heatmap written to ${file}`);
  const svg = readFileSync(file, 'utf8');
  expect(svg.match(/<rect [^>]*stroke="white"/g)).toHaveLength(TEXTS.length ** 2);
  expect(svg).toContain('rows and columns are the texts, in order');
  expect(svg).toContain('1 I love mach…');
  expect(svg).toContain('cosine similarity of 3 texts');
});

it('a folder whose config is not a BERT is one line naming the folder and the key', () => {
  const gpt = join(dir, 'gpt2');
  mkdirSync(gpt);
  writeFileSync(join(gpt, 'config.json'), JSON.stringify({ ...bertConfig(SHAPE), model_type: 'gpt2' }));
  writeFileSync(join(gpt, 'model.safetensors'), randomCheckpoint(SHAPE, 1));
  writeFileSync(join(gpt, 'tokenizer.json'), tokenizer);
  const { code, stderr } = attnkit('embed', '--model', gpt, 'hello');
  expect(code).toBe(1);
  expect(stderr).toMatch(new RegExp(`^attnkit: --model ${gpt}: .*model_type.*gpt2`));
  expect(stderr.trim().split('\n')).toHaveLength(1);
});
