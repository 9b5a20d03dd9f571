/** The command line's arguments: `attnkit <encode SENTENCE | demo | embed --model DIR TEXT…> [options]`. */

import { parseArgs } from 'node:util';
import { usageError } from './errors.js';

/** The widest --dim: four [dim, dim] projections stay a few MB. */
export const MAX_DIM = 1024;
const MAX_SEED = 0xffffffff;

export type PositionalKind = 'sinusoidal' | 'learned' | 'rope' | 'none' | 'example';

export interface Options {
  command: 'encode' | 'demo' | 'embed' | 'similar' | 'analogy' | 'help' | 'version';
  sentence: string;
  /** similar: [WORD]; analogy: [A, B, C]. */
  words?: string[];
  /** Neighbours to print (similar, analogy); default 10. */
  k?: number;
  /** How --embeddings are stored; default f32. */
  dtype?: 'f32' | 'f16' | 'int8';
  backend?: 'wasm' | 'ts';
  /** Absent: 8 (demo 3), or the embeddings file's width. */
  dim?: number;
  /** Absent: 2 when the width is even and > 2, else 1. */
  heads?: number;
  positional: PositionalKind;
  causal: boolean;
  seed: number;
  json: boolean;
  svg?: string;
  embeddings?: string;
  color: boolean;
  /** embed: the model folder and the texts. */
  model?: string;
  texts?: string[];
  /** embed: sentence pooling (default mean); its --dtype is f32 or f16. */
  pooling?: 'mean' | 'cls';
}

export const HELP = `attnkit — tokens → embeddings → + positional encodings → self-attention

Usage:
  attnkit encode "SENTENCE" [options]   run the pipeline on a sentence, printing every step
  attnkit demo [options]                the worked example; the same as
                                        encode "I love machine learning" --dim 3 --positional example
  attnkit embed --model DIR "TEXT" …    sentence embeddings from a BERT model folder (config.json,
                                        model.safetensors, tokenizer.json from the Hugging Face
                                        Hub): one text prints its vector; several print the
                                        cosine-similarity matrix as a heatmap (--json, --svg too)
  attnkit similar WORD --embeddings FILE [-k 10]
                                        the k words nearest WORD (cosine), as gensim's most_similar
  attnkit analogy A B C --embeddings FILE [-k 10]
                                        "A is to B as C is to …": gensim's
                                        most_similar(positive=[B, C], negative=[A])
Options:
  --backend wasm|ts     engine backend (default: wasm where WebAssembly SIMD runs, else ts)
  --dim N               embedding width, 1…${MAX_DIM} (default 8; demo 3); with --embeddings the file's
                        width, and a different --dim is an error
  --heads N             attention heads, must divide dim (default 2 for even dims > 2, else 1);
                        the heatmap shows the weights averaged over heads, --json has each head
  --positional KIND     sinusoidal (default) | learned (a seeded table) | rope (rotary, inside
                        attention) | none | example (the worked example's table: position p → 0.01·(p, p+1, …))
  --causal              each token attends only to itself and earlier tokens
  --seed N              seeds the built-in embeddings, learned positions and attention weights
                        (0…4294967295, default 1)
  --embeddings FILE     word vectors: GloVe text, word2vec text (fastText .vec) or binary, or
                        .npy (words in FILE.vocab or vocab.txt beside it), detected from the
                        content; for encode, unknown words → [UNK] = 0
  --dtype f32|f16|int8  how --embeddings are stored (default f32; int8 takes a quarter of the memory);
                        embed: how the model's weights are stored, f32 or f16 (f16 halves memory)
  -k N                  neighbours to print for similar and analogy (default 10)
  --json                print every step as JSON instead of text (nothing else on stdout)
  --svg FILE            also write the attention heatmap (mean over heads) as an SVG picture
  --no-color            plain heatmap even on a terminal (so does NO_COLOR=1, or a pipe)
  --model DIR           embed: the model folder
  --pooling mean|cls    embed: average the tokens' vectors (default) or take [CLS]'s
  -h, --help            this help;  -v, --version  the version

Built-in vocabulary: about 500 common English words, the worked example's words and punctuation; the
tokenizer lower-cases, splits punctuation off, and maps unknown words to [UNK] (a zero row).
Each word's vector is uniform in [-0.5, 0.5), drawn from a generator seeded by a hash of the
word and --seed, so a word gets the same vector at a given --dim and --seed; at --dim 3 the
worked example's four words get its vectors ([0.1, 0.3, 0.5] for "I" …). Attention weights
wq, wk, wv, wo [dim, dim] are
seeded Xavier-uniform (biases ±0.02), untrained: expect nearly even attention.

Exit status: 0 on success, 2 for a usage error, 1 for any other error (one line on stderr).

Examples:
  attnkit demo
  attnkit encode "The cat sat on the mat" --heads 2 --positional rope --causal --svg cat.svg
  attnkit encode "I love machine learning" --embeddings glove.6B.50d.txt --json
  attnkit similar frog --embeddings glove.6B.300d.txt --dtype int8
  attnkit analogy man king woman --embeddings GoogleNews-vectors-negative300.bin
  attnkit embed --model all-MiniLM-L6-v2 "A cat sat." "A dog sat." "Stocks fell." --svg sim.svg`;

function integer(name: string, value: string, min: number, max: number): number {
  const flag = name.length === 1 ? `-${name}` : `--${name}`;
  if (!/^[+-]?\d+$/.test(value.trim())) throw usageError(`${flag} must be an integer, got "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw usageError(`${flag} must be between ${min} and ${max}, got ${value.trim()}`);
  return n;
}

/** parseArgs' errors, as one short line. */
function parseError(err: unknown): Error {
  const { code, message } = err as { code?: string; message: string };
  const name = /'(-[^' ]+)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return usageError(`unknown option ${name} (see attnkit --help)`);
  if (/argument missing|ambiguous/.test(message)) return usageError(`${name} needs a value (write ${name}=VALUE for a value starting with "-")`);
  if (/does not take an argument/.test(message)) return usageError(`${name} does not take a value`);
  return usageError(message.split('\n')[0]);
}

/** Colour on a terminal, unless --no-color or NO_COLOR (any non-empty value, no-color.org). */
export function useColor(flag: boolean, isTTY: boolean | undefined, env: Record<string, string | undefined>): boolean {
  return flag && isTTY === true && !env.NO_COLOR;
}

export function parseOptions(argv: string[]): Options {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        backend: { type: 'string' },
        dim: { type: 'string' },
        heads: { type: 'string' },
        positional: { type: 'string' },
        causal: { type: 'boolean' },
        seed: { type: 'string' },
        json: { type: 'boolean' },
        svg: { type: 'string' },
        embeddings: { type: 'string' },
        dtype: { type: 'string' },
        k: { type: 'string', short: 'k' },
        'no-color': { type: 'boolean' },
        model: { type: 'string' },
        pooling: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    throw parseError(err);
  }
  const { values: v, positionals } = parsed;
  const [command, ...rest] = positionals;
  const base = { color: !v['no-color'], json: v.json ?? false, causal: v.causal ?? false, svg: v.svg, embeddings: v.embeddings };
  if (v.help || command === 'help') return { ...base, command: 'help', sentence: '', positional: 'none', seed: 0 };
  if (v.version) return { ...base, command: 'version', sentence: '', positional: 'none', seed: 0 };
  if (command === 'embed') return embedOptions(base, v, rest);
  if (command !== 'encode' && command !== 'demo' && command !== 'similar' && command !== 'analogy') {
    throw usageError(command === undefined ? 'missing command: try `attnkit encode "I love machine learning"` or `attnkit --help`' : `unknown command "${command}" (expected encode, demo, embed, similar or analogy)`);
  }
  for (const name of ['model', 'pooling'] as const) if (v[name] !== undefined) throw usageError(`--${name} is an option of embed, not of ${command}`);
  if (v.dtype !== undefined && !['f32', 'f16', 'int8'].includes(v.dtype)) throw usageError(`--dtype must be f32, f16 or int8, got "${v.dtype}"`);
  const dtype = v.dtype as Options['dtype'];
  if (command === 'similar' || command === 'analogy') {
    const count = command === 'similar' ? 1 : 3;
    if (rest.length !== count) throw usageError(command === 'similar' ? `similar takes one word, got ${rest.length}: attnkit similar frog --embeddings FILE` : `analogy takes three words, got ${rest.length}: attnkit analogy man king woman --embeddings FILE`);
    if (v.embeddings === undefined) throw usageError(`${command} needs --embeddings FILE`);
    const k = v.k === undefined ? 10 : integer('k', v.k, 1, 10000);
    return { ...base, command, sentence: '', words: rest, k, dtype, positional: 'none', seed: 1 };
  }
  if (v.k !== undefined) throw usageError('-k is for similar and analogy');
  let sentence = 'I love machine learning';
  if (command === 'encode') {
    if (rest.length === 0) throw usageError('encode needs a sentence: attnkit encode "I love machine learning"');
    sentence = rest.join(' ');
    if (sentence.trim() === '') throw usageError('the sentence is empty');
  } else if (rest.length > 0) {
    throw usageError(`demo takes no sentence (got "${rest.join(' ')}"); use encode`);
  }
  if (v.backend !== undefined && v.backend !== 'wasm' && v.backend !== 'ts') throw usageError(`--backend must be wasm or ts, got "${v.backend}"`);
  // 'seed' is the older name of 'example', still accepted.
  const given = v.positional === 'seed' ? 'example' : v.positional;
  const positional = (given ?? (command === 'demo' ? 'example' : 'sinusoidal')) as PositionalKind;
  if (!['sinusoidal', 'learned', 'rope', 'none', 'example'].includes(positional)) {
    throw usageError(`--positional must be sinusoidal, learned, rope, none or example, got "${positional}"`);
  }
  const dim = v.dim === undefined ? (command === 'demo' && v.embeddings === undefined ? 3 : undefined) : integer('dim', v.dim, 1, MAX_DIM);
  const heads = v.heads === undefined ? undefined : integer('heads', v.heads, 1, MAX_DIM);
  const seed = v.seed === undefined ? 1 : integer('seed', v.seed, 0, MAX_SEED);
  return { ...base, command, sentence, backend: v.backend as Options['backend'], dim, heads, positional, seed, dtype };
}

/** `embed --model DIR TEXT…`: the texts are the positionals, each one text (quote each). */
function embedOptions(base: Pick<Options, 'color' | 'json' | 'causal' | 'svg' | 'embeddings'>, v: Record<string, string | boolean | undefined>, texts: string[]): Options {
  if (v.model === undefined) throw usageError('embed needs --model DIR (a folder with config.json, model.safetensors, tokenizer.json)');
  if (texts.length === 0) throw usageError('embed needs at least one text: attnkit embed --model DIR "I love machine learning"');
  const blank = texts.findIndex((t) => t.trim() === '');
  if (blank >= 0) throw usageError(`text ${blank + 1} is empty`);
  for (const name of ['dim', 'heads', 'positional', 'causal', 'seed', 'embeddings', 'k'] as const) if (v[name] !== undefined) throw usageError(`${name.length === 1 ? '-' : '--'}${name} is not an option of embed`);
  if (v.backend !== undefined && v.backend !== 'wasm' && v.backend !== 'ts') throw usageError(`--backend must be wasm or ts, got "${v.backend}"`);
  if (v.pooling !== undefined && v.pooling !== 'mean' && v.pooling !== 'cls') throw usageError(`--pooling must be mean or cls, got "${v.pooling}"`);
  if (v.dtype !== undefined && v.dtype !== 'f32' && v.dtype !== 'f16') throw usageError(`--dtype must be f32 or f16, got "${v.dtype}"`);
  return {
    ...base,
    command: 'embed',
    sentence: '',
    positional: 'none',
    seed: 0,
    backend: v.backend as Options['backend'],
    model: v.model as string,
    texts,
    pooling: (v.pooling as Options['pooling']) ?? 'mean',
    dtype: v.dtype as Options['dtype'],
  };
}
