/**
 * GloVe-format text embeddings: one `word v1 v2 … vd` per line, d the same on every line
 * (the first line sets it). A word2vec-style first line "COUNT DIM" (two integers) is
 * skipped, and then sets d. Every line is checked (its count of values, each value a
 * decimal number), but only the rows of the wanted words are kept, so a GloVe file of
 * any size streams through in bounded memory.
 *
 * Row 0 of the resulting table is `[UNK]`, a zero vector; the other rows follow the file's
 * order. Words are kept as written; when a word appears twice, the first line wins.
 */

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { CliError } from './errors.js';
import { UNK, type Vocabulary } from './vocab.js';

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Checks and collects the lines of one file, one `line()` call at a time. */
export class GloveReader {
  private readonly words: string[] = [UNK];
  private readonly ids = new Map<string, number>([[UNK, 0]]);
  private readonly values: number[] = [];
  private dim = 0;
  private rows = 0;

  /** `wanted`: the words whose rows to keep (every word when absent). */
  constructor(
    private readonly source: string,
    private readonly wanted?: ReadonlySet<string>,
  ) {}

  line(text: string, lineNumber: number): void {
    const trimmed = (lineNumber === 1 ? text.replace(/^\uFEFF/, '') : text).trim();
    if (trimmed === '') return;
    const [word, ...fields] = trimmed.split(/\s+/);
    const where = `${this.source}:${lineNumber}`;
    if (lineNumber === 1 && fields.length === 1 && /^\d+$/.test(word) && /^\d+$/.test(fields[0]) && Number(fields[0]) > 0) {
      this.setDim(Number(fields[0])); // word2vec header: "COUNT DIM"
      return;
    }
    if (fields.length === 0) throw new CliError(`${where}: expected a word followed by its vector, got "${word}" alone`);
    if (this.dim === 0) this.setDim(fields.length);
    if (fields.length !== this.dim) throw new CliError(`${where}: expected ${this.dim} values after "${word}", got ${fields.length}`);
    for (const field of fields) if (!NUMBER.test(field)) throw new CliError(`${where}: "${field}" is not a number`);
    this.rows++;
    if (this.ids.has(word) || (this.wanted !== undefined && !this.wanted.has(word))) return;
    this.ids.set(word, this.words.length);
    this.words.push(word);
    for (const field of fields) this.values.push(Number(field));
  }

  finish(): Vocabulary {
    if (this.rows === 0) throw new CliError(`${this.source}: no vectors found`);
    return { ids: this.ids, table: Float32Array.from(this.values), dim: this.dim };
  }

  private setDim(dim: number): void {
    this.dim = dim;
    this.values.push(...new Array<number>(dim).fill(0)); // [UNK]
  }
}

/** A whole file's text at once. */
export function parseGlove(text: string, source: string, wanted?: ReadonlySet<string>): Vocabulary {
  const reader = new GloveReader(source, wanted);
  text.split(/\r?\n/).forEach((line, i) => reader.line(line, i + 1));
  return reader.finish();
}

/** Streams the file at `path` line by line. */
export async function readGlove(path: string, wanted?: ReadonlySet<string>): Promise<Vocabulary> {
  const reader = new GloveReader(path, wanted);
  const stream = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let lineNumber = 0;
  try {
    for await (const line of lines) reader.line(line, ++lineNumber);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`cannot read embeddings file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  } finally {
    lines.close();
    stream.destroy();
  }
  return reader.finish();
}
