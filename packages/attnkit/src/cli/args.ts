/** The command line's arguments: `attnkit <encode SENTENCE | demo> [options]`. */

import { parseArgs } from 'node:util';
import { usageError } from './errors.js';

export type PositionalKind = 'sinusoidal' | 'learned' | 'rope' | 'none' | 'seed';

export interface Options {
  command: 'encode' | 'demo' | 'help' | 'version';
  sentence: string;
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
}

export const HELP = `attnkit — tokens → embeddings → + positional encodings → self-attention

Usage:
  attnkit encode "SENTENCE" [options]   run the pipeline on a sentence, printing every step
  attnkit demo [options]                the seed's example: "I love machine learning", dim 3,
                                        its own positional table (--positional seed)
Options:
  --backend wasm|ts     engine backend (default: wasm where WebAssembly SIMD runs, else ts)
  --dim N               embedding width (default 8; demo 3); comes from the file with --embeddings
  --heads N             attention heads, must divide dim (default 2 for even dims, else 1);
                        the heatmap shows the weights averaged over heads, --json has each head
  --positional KIND     sinusoidal (default) | learned (seeded table) | rope (inside attention)
                        | none | seed (the seed's table: position p → 0.01·(p, p+1, p+2, …))
  --causal              each token attends only to itself and earlier tokens
  --seed N              seeds the built-in embeddings, learned positions and attention weights (default 1)
  --embeddings FILE     GloVe-format text file (word v1 … vd per line); unknown words → [UNK] = 0
  --json                print every step as JSON instead of text
  --svg FILE            also write the attention heatmap as an SVG picture
  --no-color            plain heatmap even on a terminal (also NO_COLOR=1)
  -h, --help            this help;  -v, --version  the version

Example:
  attnkit encode "The cat sat on the mat" --heads 2 --positional rope --causal`;

function integer(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value)) throw usageError(`--${name} must be an integer, got "${value}"`);
  const n = Number(value);
  if (n < min) throw usageError(`--${name} must be ≥ ${min}, got ${n}`);
  return n;
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
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    // parseArgs' messages are one line already ("Unknown option '--x'…").
    throw usageError((err as Error).message.split('\n')[0]);
  }
  const { values: v, positionals } = parsed;
  const [command, ...rest] = positionals;
  const base = { color: !v['no-color'], json: v.json ?? false, causal: v.causal ?? false, svg: v.svg, embeddings: v.embeddings };
  if (v.help || command === 'help') return { ...base, command: 'help', sentence: '', positional: 'none', seed: 0 };
  if (v.version) return { ...base, command: 'version', sentence: '', positional: 'none', seed: 0 };
  if (command !== 'encode' && command !== 'demo') {
    throw usageError(command === undefined ? 'missing command: try `attnkit encode "I love machine learning"` or `attnkit --help`' : `unknown command "${command}" (expected encode or demo)`);
  }
  let sentence = 'I love machine learning';
  if (command === 'encode') {
    if (rest.length === 0) throw usageError('encode needs a sentence: attnkit encode "I love machine learning"');
    sentence = rest.join(' ');
    if (sentence.trim() === '') throw usageError('the sentence is empty');
  } else if (rest.length > 0) {
    throw usageError(`demo takes no sentence (got "${rest.join(' ')}"); use encode`);
  }
  if (v.backend !== undefined && v.backend !== 'wasm' && v.backend !== 'ts') throw usageError(`--backend must be wasm or ts, got "${v.backend}"`);
  const positional = (v.positional ?? (command === 'demo' ? 'seed' : 'sinusoidal')) as PositionalKind;
  if (!['sinusoidal', 'learned', 'rope', 'none', 'seed'].includes(positional)) {
    throw usageError(`--positional must be sinusoidal, learned, rope, none or seed, got "${positional}"`);
  }
  const dim = v.dim === undefined ? (command === 'demo' && v.embeddings === undefined ? 3 : undefined) : integer('dim', v.dim, 0, 1);
  const heads = v.heads === undefined ? undefined : integer('heads', v.heads, 0, 1);
  return { ...base, command, sentence, backend: v.backend as Options['backend'], dim, heads, positional, seed: integer('seed', v.seed, 1, 0) };
}
