/**
 * `attnkit similar WORD` and `attnkit analogy A B C`: nearest neighbours in a word-vector
 * file, with gensim's semantics (cosine; the query words excluded).
 */

import { createEngine, type Neighbour } from '../index.js';
import type { Options } from './args.js';
import { loadEmbeddings } from './embeddings.js';
import { CliError } from './errors.js';

export async function similar(o: Options, out: (text: string) => void): Promise<void> {
  const engine = await createEngine(o.backend ? { backend: o.backend } : {});
  const vectors = await loadEmbeddings(engine, o.embeddings!, o.dtype);
  try {
    const words = o.words!;
    const unknown = words.find((w) => vectors.id(w) < 0);
    if (unknown !== undefined) throw new CliError(`"${unknown}" is not in ${o.embeddings}`);
    const k = o.k ?? 10;
    const result = o.command === 'similar' ? vectors.nearest(words[0], k) : vectors.analogy(words[0], words[1], words[2], k);
    if (o.json) {
      out(JSON.stringify({ command: o.command, words, embeddings: o.embeddings, dtype: vectors.dtype, rows: vectors.rows, dim: vectors.dim, result }));
      return;
    }
    const title = o.command === 'similar' ? `nearest to "${words[0]}"` : `"${words[0]}" is to "${words[1]}" as "${words[2]}" is to`;
    out([`${title} (${vectors.rows} words × ${vectors.dim}, ${vectors.dtype}, cosine):`, ...table(result)].join('\n'));
  } finally {
    vectors.dispose();
  }
}

function table(result: Neighbour[]): string[] {
  const w = Math.max(0, ...result.map((n) => [...n.word].length));
  const rank = String(result.length).length;
  return result.map((n, i) => `${String(i + 1).padStart(rank)}. ${n.word}${' '.repeat(w - [...n.word].length)}  ${n.score.toFixed(4)}`);
}
