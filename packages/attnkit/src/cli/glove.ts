/**
 * GloVe-format text embeddings: one `word v1 v2 … vd` per line, d the same on every line
 * (the first line sets it). Row 0 of the resulting table is `[UNK]`, a zero vector.
 */

import { readFileSync } from 'node:fs';
import { CliError } from './errors.js';
import { UNK, type Vocabulary } from './vocab.js';

export function parseGlove(text: string, source: string): Vocabulary {
  const words: string[] = [UNK];
  const values: number[] = [];
  let dim = 0;
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const [word, ...fields] = line.trim().split(/\s+/);
    const where = `${source}:${index + 1}`;
    if (fields.length === 0) throw new CliError(`${where}: expected a word followed by its vector, got "${word}"`);
    if (dim === 0) {
      dim = fields.length;
      values.push(...new Array<number>(dim).fill(0)); // [UNK]
    }
    if (fields.length !== dim) throw new CliError(`${where}: expected ${dim} values after "${word}", got ${fields.length}`);
    for (const field of fields) {
      const v = Number(field);
      if (field === '' || !Number.isFinite(v)) throw new CliError(`${where}: "${field}" is not a number`);
      values.push(v);
    }
    words.push(word.toLowerCase());
  });
  if (dim === 0) throw new CliError(`${source}: no vectors found`);
  return { ids: new Map(words.map((w, i) => [w, i])), table: Float32Array.from(values), dim };
}

export function readGlove(path: string): Vocabulary {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read embeddings file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return parseGlove(text, path);
}
