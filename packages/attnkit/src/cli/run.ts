/**
 * `attnkit encode` / `attnkit demo`: the worked example's pipeline on one sentence, every step
 * printed (or emitted as JSON), the attention weights drawn as a heatmap.
 */

import { averageOverHeads } from '../mha.js';
import { writeFileSync } from 'node:fs';
import { createEngine, type AttentionParams, type Positional } from '../index.js';
import { MAX_DIM, type Options } from './args.js';
import { CliError, usageError } from './errors.js';
import { f32, label, leading, num, row, shownRows, vector } from './format.js';
import { loadEmbeddings, sentenceVocabulary } from './embeddings.js';
import { heatmap } from './heatmap.js';
import { heatmapSvg } from './svg.js';
import { tokenize } from './tokenizer.js';
import { builtinVocabulary, lookupIds, seededRandom, type Vocabulary } from './vocab.js';

/** The worked example's positional table, generalised: position p (from 1) → 0.01·(p, p+1, p+2, …). */
function examplePositions(length: number, dim: number): Float32Array {
  return Float32Array.from({ length: length * dim }, (_, i) => 0.01 * (Math.floor(i / dim) + 1 + (i % dim)));
}

/** Seeded Xavier-uniform projections [dim, dim] and small biases. */
function attentionParams(dim: number, seed: number): AttentionParams {
  const random = seededRandom(seed * 7919 + 17);
  const bound = Math.sqrt(6 / (2 * dim));
  const w = () => Float32Array.from({ length: dim * dim }, () => (random() * 2 - 1) * bound);
  const b = () => Float32Array.from({ length: dim }, () => (random() * 2 - 1) * 0.02);
  return { wq: w(), wk: w(), wv: w(), wo: w(), bq: b(), bk: b(), bv: b(), bo: b() };
}

/** The heatmaps show at most this many tokens (the first ones); --json has every weight. */
const TERMINAL_TOKENS = 64;
const SVG_TOKENS = 128;

export async function encode(o: Options, out: (text: string) => void): Promise<void> {
  const tokens = tokenize(o.sentence);
  if (tokens.length === 0) throw usageError('the sentence has no tokens');
  const n = tokens.length;
  const engine = await createEngine(o.backend ? { backend: o.backend } : {});
  // From an embeddings file, only the rows of the sentence's words (surface form and lower case).
  let vocab: Vocabulary;
  if (o.embeddings !== undefined) {
    const vectors = await loadEmbeddings(engine, o.embeddings, o.dtype);
    vocab = sentenceVocabulary(vectors, new Set(tokens.flatMap((t) => [t.text, t.key])));
    vectors.dispose();
  } else {
    vocab = builtinVocabulary(o.dim ?? 8, o.seed);
  }
  const dim = vocab.dim;
  if (o.dim !== undefined && o.dim !== dim) throw new CliError(`--dim ${o.dim} does not match the embeddings file's ${dim} values per word`);
  if (dim > MAX_DIM) throw new CliError(`the embeddings file's width ${dim} is above the limit of ${MAX_DIM}`);
  const heads = o.heads ?? (dim % 2 === 0 && dim > 2 ? 2 : 1);
  if (dim % heads !== 0) throw usageError(`--heads ${heads} must divide the embedding width ${dim}`);
  if (o.positional === 'rope' && (dim / heads) % 2 !== 0) throw usageError(`--positional rope needs an even head width, got dim / heads = ${dim}/${heads}`);

  const ids = lookupIds(vocab, tokens);

  let positionalTable: Float32Array | undefined;
  let positional: Positional;
  switch (o.positional) {
    case 'sinusoidal':
      positional = 'sinusoidal';
      positionalTable = engine.sinusoidalEncoding(n, dim);
      break;
    case 'example':
      positionalTable = examplePositions(n, dim);
      positional = { learned: positionalTable };
      break;
    case 'learned': {
      const random = seededRandom(o.seed * 31 + 5);
      positionalTable = Float32Array.from({ length: n * dim }, () => (random() * 2 - 1) * 0.1);
      positional = { learned: positionalTable };
      break;
    }
    case 'rope':
      positional = { rope: {} };
      break;
    default:
      positional = 'none';
  }
  const encoder = engine.encoder({ table: vocab.table, dim, positional, attention: { params: attentionParams(dim, o.seed), numHeads: heads, causal: o.causal } });
  const { inputs, output, weights } = encoder.encode(ids);
  encoder.dispose();
  const embeddings = engine.embeddingLookup(vocab.table, dim, ids);
  const average = averageOverHeads(weights!, 1, heads, n * n);
  const words = tokens.map((t) => t.text);

  if (o.svg !== undefined) {
    const m = Math.min(n, SVG_TOKENS);
    const part = m < n ? `, first ${m} of ${n} tokens` : '';
    const title = `attnkit: attention weights${heads > 1 ? ` (mean of ${heads} heads${part})` : part ? ` (${part.slice(2)})` : ''} — ${o.sentence.length > 60 ? `${o.sentence.slice(0, 57)}…` : o.sentence}`;
    try {
      writeFileSync(o.svg, heatmapSvg(leading(average, n, m), words.slice(0, m), title));
    } catch (err) {
      throw new CliError(`cannot write ${o.svg}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }

  const rows = (data: Float32Array, width: number) => Array.from({ length: data.length / width }, (_, i) => Array.from(row(data, i, width), f32));
  // --json: one object; vectors as arrays (float32 values at their shortest decimals),
  // weights [heads][query][key], averageWeights [query][key], positional null for rope/none.
  if (o.json) {
    out(
      JSON.stringify({
        sentence: o.sentence,
        options: { backend: engine.backend, dim, heads, positional: o.positional, causal: o.causal, seed: o.seed, embeddings: o.embeddings ?? 'built-in', svg: o.svg ?? null },
        tokens: words,
        ids: Array.from(ids),
        embeddings: rows(embeddings, dim),
        positional: positionalTable ? rows(positionalTable, dim) : null,
        inputs: rows(inputs, dim),
        weights: Array.from({ length: heads }, (_, h) => rows(weights!.subarray(h * n * n, (h + 1) * n * n), n)),
        averageWeights: rows(average, n),
        output: rows(output, dim),
      }),
    );
    return;
  }

  const w = Math.max(...words.map((t) => t.length));
  const lines: string[] = [];
  /** One line per token (head and tail of a long sentence). */
  const each = (line: (i: number) => string) => {
    for (const i of shownRows(n)) lines.push(i < 0 ? `  … ${n - shownRows(n).length + 1} more …` : line(i));
  };
  const quoted = words.slice(0, TERMINAL_TOKENS).map((t) => `"${t}"`);
  if (n > TERMINAL_TOKENS) quoted.push(`… ${n} tokens in all`);
  lines.push(`attnkit — backend ${engine.backend}, dim ${dim}, ${heads} head${heads > 1 ? 's' : ''}, positional ${o.positional}${o.causal ? ', causal' : ''}`, '');
  lines.push(`1. Tokenization: [${quoted.join(', ')}]`, '');
  lines.push(`2. Embedding (${o.embeddings ?? 'built-in vocabulary'}; unknown words → [UNK] = 0):`);
  each((i) => `- ${label(words[i], w)} -> ${vector(row(embeddings, i, dim))}${ids[i] === 0 ? '   [UNK]' : ''}`);
  lines.push('');
  if (positionalTable) {
    const table = positionalTable;
    lines.push(`3. Positional encoding (${o.positional}):`);
    const pw = String(n).length;
    each((i) => `- Position ${String(i + 1).padEnd(pw)} -> ${vector(row(table, i, dim))}`);
    lines.push('', '   Inputs to self-attention = embeddings + positional encodings:');
    each((i) => {
      const e = row(embeddings, i, dim);
      const p = row(table, i, dim);
      // The worked example's "0.1+0.01" spelled out while it fits a line.
      const sum = dim <= 4 ? `${vector(e, (v, c) => `${num(v)}${p[c] < 0 ? '-' : '+'}${num(Math.abs(p[c]))}`)} = ` : '';
      return `- ${label(words[i], w)} -> ${sum}${vector(row(inputs, i, dim))}`;
    });
  } else if (o.positional === 'rope') {
    lines.push('3. Positional encoding: rotary (rope), applied to queries and keys inside attention;', '   the inputs to self-attention are the embeddings themselves.');
  } else {
    lines.push('3. Positional encoding: none; the inputs to self-attention are the embeddings.');
  }
  const m = Math.min(n, TERMINAL_TOKENS);
  const notes = [heads > 1 ? `mean of ${heads} heads` : '', o.causal ? 'causal' : '', m < n ? `the first ${m} of ${n} tokens; --json has all` : ''].filter((x) => x);
  lines.push('', `4. Self-attention weights (rows attend to columns${notes.map((x) => `; ${x}`).join('')}):`, '');
  lines.push(heatmap(leading(average, n, m), words.slice(0, m), o.color), '');
  lines.push('   Contextual output vectors:');
  each((i) => `- ${label(words[i], w)} -> ${vector(row(output, i, dim))}`);
  if (o.svg !== undefined) lines.push('', `Heatmap written to ${o.svg}`);
  out(lines.join('\n'));
}
