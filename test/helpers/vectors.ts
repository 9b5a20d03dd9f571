/**
 * Word-vector files written in JS for tests that need many shapes (sizes, widths, bad
 * bytes). The independent reference is gensim and numpy (test/vectors/, written by
 * scripts/vectors/generate.py); these writers only feed the loaders' other tests.
 */

import { rng, uniform } from './random.js';

const encoder = new TextEncoder();

/** `rows` words (w0, w1, …) and a [rows, dim] table, seeded. */
export function randomVectors(seed: number, rows: number, dim: number): { words: string[]; table: Float32Array } {
  const random = rng(seed);
  return { words: Array.from({ length: rows }, (_, i) => `w${i}`), table: uniform(random, rows * dim) };
}

/** Text rows: the word, then each value as the shortest decimal that reads back as the same f32. */
function textRows(words: readonly string[], table: Float32Array, dim: number): string {
  return words.map((w, r) => `${w} ${Array.from(table.subarray(r * dim, (r + 1) * dim), shortest).join(' ')}\n`).join('');
}

/** The shortest decimal that parses back to the f32 `x`. */
export function shortest(x: number): string {
  for (let p = 1; p <= 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === x) return String(Number(s));
  }
  return String(x);
}

export function gloveText(words: readonly string[], table: Float32Array, dim: number): Uint8Array<ArrayBuffer> {
  return encoder.encode(textRows(words, table, dim));
}

export function word2vecText(words: readonly string[], table: Float32Array, dim: number): Uint8Array<ArrayBuffer> {
  return encoder.encode(`${words.length} ${dim}\n${textRows(words, table, dim)}`);
}

export function word2vecBinary(words: readonly string[], table: Float32Array, dim: number): Uint8Array<ArrayBuffer> {
  const parts: Uint8Array[] = [encoder.encode(`${words.length} ${dim}\n`)];
  words.forEach((w, r) => {
    parts.push(encoder.encode(`${w} `));
    parts.push(new Uint8Array(table.slice(r * dim, (r + 1) * dim).buffer));
  });
  return concat(parts);
}

/** A version-1 .npy of a [rows, dim] `<f4` array. */
export function npy(table: Float32Array, rows: number, dim: number): Uint8Array<ArrayBuffer> {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${dim}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const head = new Uint8Array(10);
  head.set([0x93, ...encoder.encode('NUMPY'), 1, 0, header.length & 255, header.length >> 8]);
  return concat([head, encoder.encode(header), new Uint8Array(table.slice().buffer)]);
}

export function concat(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The bytes as an async iterable of `size`-byte chunks (a stream of unknown length). */
export async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.slice(at, at + size);
}
