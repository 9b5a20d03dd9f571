/**
 * `--embeddings FILE`: word vectors in any format `engine.loadVectors` reads (GloVe,
 * word2vec text or binary, fastText .vec, .npy with a `.vocab` file beside it), streamed into
 * the engine with a progress bar on stderr when stderr is a terminal.
 */

import { existsSync } from 'node:fs';
import type { Engine, LoadProgress, VectorDtype, WordVectors } from '../index.js';
import { CliError } from './errors.js';
import { UNK, type Vocabulary } from './vocab.js';

/** How often the progress bar is redrawn, in ms. */
const REDRAW_MS = 100;

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;

/** A one-line progress bar on `stream` (a terminal), redrawn in place; `done()` clears it. */
function progressBar(stream: NodeJS.WriteStream, path: string): { update: (p: LoadProgress) => void; done: () => void } {
  let last = 0;
  let drawn = false;
  const update = (p: LoadProgress) => {
    const now = Date.now();
    if (now - last < REDRAW_MS) return;
    last = now;
    const width = 24;
    const share = p.totalBytes ? Math.min(1, p.bytes / p.totalBytes) : undefined;
    const bar = share === undefined ? '' : `[${'#'.repeat(Math.round(share * width)).padEnd(width, '.')}] ${Math.floor(share * 100)}% `;
    const size = p.totalBytes ? `${mb(p.bytes)} / ${mb(p.totalBytes)}` : mb(p.bytes);
    stream.write(`\r\x1b[2Kloading ${path} ${bar}${size}, ${p.rows ?? 0} rows`);
    drawn = true;
  };
  const done = () => {
    if (drawn) stream.write('\r\x1b[2K');
  };
  return { update, done };
}

/** Loads FILE into `engine`; a missing file or a malformed one is a one-line CliError. */
export async function loadEmbeddings(engine: Engine, path: string, dtype: VectorDtype = 'f32'): Promise<WordVectors> {
  const bar = process.stderr.isTTY ? progressBar(process.stderr, path) : undefined;
  // An .npy array's words: FILE.vocab, or vocab.txt beside it.
  const vocab = path.endsWith('.npy') ? [path.replace(/\.npy$/, '.vocab'), path.replace(/[^/\\]*$/, 'vocab.txt')].find((p) => existsSync(p)) : undefined;
  try {
    return await engine.loadVectors(path, { dtype, onProgress: bar?.update, ...(vocab ? { vocab } : {}) });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== undefined) throw new CliError(`cannot read embeddings file ${path}: ${code}`);
    if (err instanceof SyntaxError || err instanceof RangeError || err instanceof TypeError) throw new CliError(`${path}: ${err.message.replace(/^loadVectors: /, '')}`);
    throw err;
  } finally {
    bar?.done();
  }
}

/**
 * The rows of the wanted words (surface form and lower case) as a small vocabulary, with
 * `[UNK]` (a zero row) as id 0: the encoder's table for one sentence.
 */
export function sentenceVocabulary(vectors: WordVectors, wanted: ReadonlySet<string>): Vocabulary {
  const ids = new Map<string, number>([[UNK, 0]]);
  const rows: number[] = [];
  for (const word of wanted) {
    const id = vectors.id(word);
    if (id >= 0 && !ids.has(word)) {
      ids.set(word, ids.size);
      rows.push(id);
    }
  }
  const table = new Float32Array((rows.length + 1) * vectors.dim);
  vectors.lookup(rows, table.subarray(vectors.dim));
  return { ids, table, dim: vectors.dim };
}
