// Malformed word-vector files: a SyntaxError naming the format, the line (text) or the
// byte offset (binary) and what was wrong; sizes that cannot be held: a RangeError before
// anything is allocated. After every failure the engine's memory and its allocator are
// exactly as they were (both backends fail alike).

import { describe, expect, it } from 'vitest';
import { createEngine, type Engine, type LoadVectorsOptions } from 'attnkit';
import { probedEngine } from './helpers/probe-engine.js';
import { concat, npy, word2vecBinary } from './helpers/vectors.js';

const text = (s: string) => new TextEncoder().encode(s);
const { engine: wasm, probe } = await probedEngine();
const ts = await createEngine({ backend: 'ts' });

/** A valid file as large as the bad ones, loaded once so that memory has grown to what they need. */
probe();
const warm = await wasm.loadVectors(word2vecBinary(['a', 'b', 'c', 'd'], new Float32Array(4 * 40).fill(0.5), 40));
warm.dispose();

type Case = [name: string, bytes: Uint8Array, kind: typeof SyntaxError | typeof RangeError | typeof TypeError, message: RegExp, opts?: LoadVectorsOptions];

const binary = word2vecBinary(['cat', 'dog'], Float32Array.from([1, 2, 3, 4, 5, 6]), 3);
// Byte offsets in `binary`: the header "2 3\n" is 4 bytes, "cat " 4, values 12, "dog " 4, values 12.
const nanBinary = binary.slice();
new DataView(nanBinary.buffer).setFloat32(4 + 16 + 4 + 8, NaN, true);

const f8 = Uint8Array.from([0x93, ...text('NUMPY'), 1, 0]);
const npyHeader = (dict: string) => {
  const h = dict + ' '.repeat(63 - ((10 + dict.length) % 64)) + '\n';
  return concat([f8, Uint8Array.from([h.length & 255, h.length >> 8]), text(h)]);
};

const cases: Case[] = [
  ['a row with too few values', text('3 3\na 1 2 3\nb 1 2\nc 1 2 3\n'), SyntaxError, /word2vec line 3: expected 3 values after the word "b", got 2/],
  ['a row with too many values', text('2 2\na 1 2\nb 1 2 3\n'), SyntaxError, /word2vec line 3: expected 2 values after the word "b", got more/],
  ['a value that is not a number', text('2 2\na 1 2\nb 1 x2\n'), SyntaxError, /word2vec line 3: value "x2" is not a number/],
  ['nan', text('a 1 nan\n'), SyntaxError, /glove line 1: value "nan" is not finite/],
  ['inf', text('a 1 2\nb -inf 2\n'), SyntaxError, /glove line 2: value "-inf" is not finite/],
  ['a value too large for a double', text('a 1 2\nb 1e999 2\n'), SyntaxError, /glove line 2: value "1e999" is not finite/],
  ['a GloVe row narrower than the first', text('a 1 2 3\nb 1 2 3\nc 1 2\n'), SyntaxError, /glove line 3: expected 3 values after the word "c", got 2/],
  ['a file ending inside a text row', text('2 4\na 1 2 3 4\nb 1 2'), SyntaxError, /word2vec line 3: expected 4 values after the word "b", got 2/],
  ['a header of one negative number', text('-2 3\na 1 2 3\n'), SyntaxError, /word2vec line 1: the header must be two positive integers.*"-2 3"/],
  ['a header with zero rows', text('0 3\n'), SyntaxError, /word2vec line 1: the header must be two positive integers/],
  ['a header that is not numbers', text('two three\na 1 2\n'), SyntaxError, /word2vec line 1: the header must be two positive integers.*"two three"/, { format: 'word2vec' }],
  ['a header promising more rows than the text holds', text('3 2\na 1 2\nb 3 4\n'), SyntaxError, /word2vec line 3: the header promises 3 rows, the file ends after 2/],
  ['an empty file', new Uint8Array(0), SyntaxError, /the file is empty/],
  ['a word with no values', text('lonely\n'), SyntaxError, /glove line 1: a word with no values/],
  ['a binary file ending inside the values', binary.subarray(0, binary.length - 5), SyntaxError, /word2vec-binary byte offset 24: the file ends inside row 2 \(the word "dog"\): expected 12 bytes of values, got 7/],
  ['a binary file ending inside a word', binary.subarray(0, 22), SyntaxError, /word2vec-binary byte offset 20: the file ends inside row 2, before the space/],
  ['a NaN in a binary row', nanBinary, SyntaxError, /word2vec-binary byte offset 32: value 3 of the word "dog" is not finite/],
  ['a binary header promising more rows', concat([text('3 3\n'), binary.subarray(4)]), SyntaxError, /word2vec-binary byte offset 36: the header promises 3 rows, the file ends after 2/],
  ['an .npy file of float64', npyHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"), SyntaxError, /npy byte offset 10: dtype '<f8' is not supported/, { vocab: ['a', 'b'] }],
  ['an .npy file in Fortran order', npyHeader("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }"), SyntaxError, /npy byte offset 10: the array is in Fortran order/, { vocab: ['a', 'b'] }],
  ['a 1-D .npy file', npyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (6,), }"), SyntaxError, /npy byte offset 10: shape \(6,\) is not 2-D/, { vocab: ['a', 'b'] }],
  ['an .npy file ending inside a row', npy(new Float32Array(6), 2, 3).subarray(0, 128 + 16), SyntaxError, /npy byte offset 140: the file ends inside row 2 of 2: expected 12 bytes, got 4/, { vocab: ['a', 'b'] }],
  ['a vocabulary shorter than the array', npy(new Float32Array(6), 2, 3), SyntaxError, /npy vocabulary: it has 1 words, the array 2 rows/, { vocab: ['a'] }],
  ['an .npy file without a vocabulary', npy(new Float32Array(6), 2, 3), TypeError, /needs opts.vocab/],
  ['not an .npy file, read as one', text('a 1 2 3 4 5 6\n'), SyntaxError, /npy byte offset 0: no \\x93NUMPY magic string/, { format: 'npy', vocab: ['a'] }],
  ['a header promising 10⁹ × 10⁴', text('1000000000 10000\n'), RangeError, /word2vec header holds 1000000000 rows × 10000 values: 40004000000000 bytes as f32, more than this engine can hold/],
  ['a binary header promising 10⁹ × 10⁴ in int8', concat([text('1000000000 10000\n'), binary.subarray(4)]), RangeError, /word2vec header holds 1000000000 rows × 10000 values: 10008000000000 bytes as int8/, { dtype: 'int8' }],
  ['an .npy header promising 10⁹ × 10⁴', npyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000, 10000), }"), RangeError, /npy array holds 1000000000 rows/, { vocab: ['a', 'b'] }],
  ['a value beyond f16', text('a 1 70000\n'), RangeError, /glove line 1: value 70000 does not fit f16/, { dtype: 'f16' }],
  ['a vocabulary on a text file', text('a 1 2\n'), TypeError, /opts.vocab is for 'npy' files only/, { format: 'glove', vocab: ['a'] }],
  ['an unknown dtype', text('a 1 2\n'), TypeError, /opts.dtype must be 'f32', 'f16' or 'int8', got "f64"/, { dtype: 'f64' as 'f32' }],
  ['an unknown format', text('a 1 2\n'), TypeError, /opts.format must be one of/, { format: 'csv' as 'glove' }],
  ['a limit of 0', text('a 1 2\n'), RangeError, /opts.limit/, { limit: 0 }],
];

async function failure(engine: Engine, bytes: Uint8Array, opts?: LoadVectorsOptions): Promise<unknown> {
  try {
    await engine.loadVectors(bytes, opts);
  } catch (err) {
    return err;
  }
  return undefined;
}

describe.each(cases)('%s', (_, bytes, kind, message, opts) => {
  it('is rejected with the same error on both backends, and memory is as it was', async () => {
    const [memory, probed] = [wasm.memoryBytes, probe()];
    const [w, t] = [await failure(wasm, bytes, opts), await failure(ts, bytes, opts)];
    for (const err of [w, t]) {
      expect(err).toBeInstanceOf(kind);
      expect((err as Error).message).toMatch(/^loadVectors: /);
      expect((err as Error).message).toMatch(message);
    }
    // The same words, up to the free memory each backend names.
    const plain = (err: unknown) => (err as Error).message.replace(/\(\d+ bytes\)/, '(… bytes)');
    expect(plain(w)).toBe(plain(t));
    expect(wasm.memoryBytes).toBe(memory);
    expect(probe()).toEqual(probed);
  });
});

it('the 10⁹ × 10⁴ header is refused at once, without reading on', async () => {
  let pulled = 0;
  async function* source() {
    pulled++;
    yield text('1000000000 10000\n');
    pulled++;
    yield text('a' + ' 1'.repeat(10000) + '\n');
    throw new Error('read too far');
  }
  await expect(wasm.loadVectors(source())).rejects.toThrow(RangeError);
  expect(pulled).toBeLessThanOrEqual(2);
});

it('a file of only a header is a SyntaxError naming its promise', async () => {
  await expect(wasm.loadVectors(text('2 3\n'))).rejects.toThrow(/the header promises 2 rows, the file ends after 0/);
});
