/**
 * `attnkit embed --model DIR "text" …`: sentence embeddings from a Hugging Face BERT folder
 * (config.json, model.safetensors, tokenizer.json, as a download from the Hub has them).
 * One text: its vector, every value. Several: each text's vector (head and tail) and the
 * cosine-similarity matrix of their embeddings as the heatmap the attention demo draws
 * (--svg writes it as a picture, --json prints everything as one object).
 */

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine, type Engine, type Model } from '../index.js';
import type { Options } from './args.js';
import { CliError } from './errors.js';
import { f32, num, row, vector } from './format.js';
import { heatmap } from './heatmap.js';
import { heatmapSvg } from './svg.js';

/** The files of a model folder the command reads. */
export const MODEL_FILES = ['config.json', 'model.safetensors', 'tokenizer.json'] as const;

/** cos(a_i, a_j) for the rows of a [n, dim] array: [n, n]. */
export function cosineSimilarity(vectors: Float32Array, n: number, dim: number): Float32Array {
  const norms = Array.from({ length: n }, (_, i) => Math.hypot(...row(vectors, i, dim)));
  const out = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let c = 0; c < dim; c++) dot += vectors[i * dim + c] * vectors[j * dim + c];
      out[i * n + j] = dot / Math.max(norms[i] * norms[j], 1e-12);
    }
  }
  return out;
}

/** "1 I love mach…": the text's number and its start, for the heatmap's axes. */
const shortLabel = (text: string, i: number) => `${i + 1} ${text.length > 12 ? `${text.slice(0, 11)}…` : text}`;

function readText(dir: string, name: string): string {
  try {
    return readFileSync(join(dir, name), 'utf8');
  } catch (err) {
    throw new CliError(`--model ${dir}: cannot read ${name} (${(err as NodeJS.ErrnoException).code ?? String(err)}); the folder needs ${MODEL_FILES.join(', ')}`);
  }
}

export async function embed(o: Options, out: (text: string) => void): Promise<void> {
  const dir = o.model!;
  const texts = o.texts!;
  const config = readText(dir, 'config.json');
  const tokenizer = readText(dir, 'tokenizer.json');
  const weights = join(dir, 'model.safetensors');
  if (!existsSync(weights)) throw new CliError(`--model ${dir}: no model.safetensors; the folder needs ${MODEL_FILES.join(', ')}`);

  const engine: Engine = await createEngine(o.backend ? { backend: o.backend } : {});
  let model: Model;
  try {
    model = await engine.loadModel({ config, weights, tokenizer, dtype: o.dtype as 'f32' | 'f16' | undefined }); // embed's options allow only these
  } catch (err) {
    throw new CliError(`--model ${dir}: ${(err as Error).message}`);
  }
  const vectors = model.embed(texts, { pooling: o.pooling, normalize: true });
  model.dispose();
  const n = texts.length;
  const dim = vectors.length / n;
  const similarity = cosineSimilarity(vectors, n, dim);
  const labels = texts.map(shortLabel);

  if (o.svg !== undefined) {
    const title = `attnkit: cosine similarity of ${n} text${n > 1 ? 's' : ''}' embeddings (${o.pooling} pooling)`;
    try {
      writeFileSync(o.svg, heatmapSvg(similarity, labels, title, 'rows and columns are the texts, in order'));
    } catch (err) {
      throw new CliError(`cannot write ${o.svg}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }

  const rows = (data: Float32Array, width: number) => Array.from({ length: data.length / width }, (_, i) => Array.from(row(data, i, width), f32));
  if (o.json) {
    out(JSON.stringify({ model: dir, options: { backend: engine.backend, pooling: o.pooling, normalize: true, dtype: o.dtype ?? 'f32', svg: o.svg ?? null }, texts, dim, embeddings: rows(vectors, dim), similarity: rows(similarity, n) }));
    return;
  }
  const lines = [`attnkit embed — ${dir}, backend ${engine.backend}, ${o.pooling} pooling, L2-normalised, ${dim} values per text`, ''];
  if (n === 1) {
    lines.push(`"${texts[0]}" ->`, `[${Array.from(vectors, num).join(', ')}]`);
  } else {
    texts.forEach((t, i) => lines.push(`${String(i + 1).padStart(String(n).length)}. "${t}" -> ${vector(row(vectors, i, dim))}`));
    lines.push('', 'Cosine similarity of the embeddings (rows and columns are the texts, in order):', '', heatmap(similarity, labels, o.color));
  }
  if (o.svg !== undefined) lines.push('', `Heatmap written to ${o.svg}`);
  out(lines.join('\n'));
}
