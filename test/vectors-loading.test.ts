// How files reach the table: every kind of Source, chunks of any size, progress, limit,
// abort, line endings, formats detected from the content, and tables whose size is not
// known in advance (GloVe from a stream) growing as rows arrive.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { LoadProgress, WordVectors } from 'attnkit';
import { bothEngines } from './helpers/engines.js';
import { probedEngine } from './helpers/probe-engine.js';
import { chunked, concat, gloveText, npy, randomVectors, word2vecBinary, word2vecText } from './helpers/vectors.js';

const engines = await bothEngines();
const text = (s: string) => new TextEncoder().encode(s);

const rows = 300;
const dim = 10;
const { words, table } = randomVectors(7, rows, dim);
const bytes = word2vecText(words, table, dim);
const dir = mkdtempSync(join(tmpdir(), 'attnkit-vectors-'));
const file = join(dir, 'vectors.vec');
writeFileSync(file, bytes);

function all(v: WordVectors): Float32Array {
  return v.lookup(Int32Array.from({ length: v.rows }, (_, i) => i));
}

function stream(data: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= data.length) return controller.close();
      controller.enqueue(data.slice(at, at + size));
      at += size;
    },
  });
}

const kinds: [string, () => unknown, boolean][] = [
  ['Uint8Array', () => bytes, true],
  ['ArrayBuffer', () => bytes.slice().buffer, true],
  ['Blob', () => new Blob([bytes]), true],
  ['Response', () => new Response(bytes, { headers: { 'content-length': String(bytes.length) } }), true],
  ['Promise<Response>', () => Promise.resolve(new Response(stream(bytes, 4099))), false],
  ['ReadableStream', () => stream(bytes, 1000), false],
  ['async iterable of 1-byte chunks', () => chunked(bytes, 1), false],
  ['file path', () => file, true],
  ['file URL', () => pathToFileURL(file), true],
];

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  const engine = engines[backend];

  it.each(kinds)('%s: every row, progress ending at the whole size', async (_, source, sized) => {
    const progress: LoadProgress[] = [];
    const v = await engine.loadVectors(source() as Uint8Array, { onProgress: (p) => progress.push({ ...p }) });
    expect(v.words).toEqual(words);
    expect(Array.from(all(v))).toEqual(Array.from(table));
    const last = progress.at(-1)!;
    expect(last).toEqual({ bytes: bytes.length, totalBytes: bytes.length, rows });
    if (sized) expect(progress[0].totalBytes).toBe(bytes.length);
    for (let i = 1; i < progress.length; i++) expect(progress[i].bytes).toBeGreaterThanOrEqual(progress[i - 1].bytes);
    v.dispose();
  });

  it('limit keeps the first N rows read, a duplicate counted among them (as gensim)', async () => {
    const dup = text('4 2\na 1 2\na 3 4\nb 5 6\nc 7 8\n');
    const v = await engine.loadVectors(dup, { limit: 3 });
    expect(v.words).toEqual(['a', 'b']);
    expect(v.duplicates).toBe(1);
    expect(Array.from(all(v))).toEqual([1, 2, 5, 6]);
    const g = await engine.loadVectors(gloveText(words, table, dim), { limit: 17, dtype: 'int8' });
    expect(g.words).toEqual(words.slice(0, 17));
    const b = await engine.loadVectors(word2vecBinary(words, table, dim), { limit: 1 });
    expect(Array.from(all(b))).toEqual(Array.from(table.subarray(0, dim)));
    const n = await engine.loadVectors(npy(table, rows, dim), { limit: 5, vocab: words });
    expect(n.words).toEqual(words.slice(0, 5));
    for (const x of [v, g, b, n]) x.dispose();
  });

  it('GloVe from streams of unknown length and from sized sources grows the table as rows arrive', async () => {
    const big = randomVectors(8, 3000, 4);
    // Short lines first, long ones after: the size estimated from the first line falls short.
    const glove = concat([text('the 0 0 0 1\n'), gloveText(big.words, big.table, 4)]);
    for (const source of [() => chunked(glove, 5000), () => glove, () => new Blob([glove])]) {
      for (const dtype of ['f32', 'f16', 'int8'] as const) {
        const v = await engine.loadVectors(source(), { dtype });
        expect(v.rows).toBe(3001);
        expect(v.words.at(-1)).toBe('w2999');
        const f32 = await engine.loadVectors(source());
        if (dtype === 'f32') expect(Array.from(all(v).subarray(4))).toEqual(Array.from(big.table));
        v.dispose();
        f32.dispose();
      }
    }
  });

  it('formats are told apart by their content; an explicit format is obeyed', async () => {
    const sample = randomVectors(9, 6, 3);
    const cases: [Uint8Array, string][] = [
      [gloveText(sample.words, sample.table, 3), 'glove'],
      [word2vecText(sample.words, sample.table, 3), 'word2vec'],
      [word2vecBinary(sample.words, sample.table, 3), 'word2vec-binary'],
    ];
    for (const [data] of cases) {
      const v = await engine.loadVectors(data);
      expect(v.words).toEqual(sample.words);
      expect(Array.from(all(v))).toEqual(Array.from(sample.table));
      v.dispose();
    }
    for (const [data, format] of cases) {
      const v = await engine.loadVectors(data, { format: format as 'glove' });
      expect(v.words).toEqual(sample.words);
      v.dispose();
    }
  });

  it("CRLF, tabs, trailing spaces (fastText's .vec) and blank lines are read as gensim reads them", async () => {
    const v = await engine.loadVectors(text('2 3\r\nfoo 1 2 3 \r\n\nbar\t4 5  6\r\n'));
    expect(v.words).toEqual(['foo', 'bar']);
    expect(Array.from(all(v))).toEqual([1, 2, 3, 4, 5, 6]);
    v.dispose();
  });

  it("Google's binary layout (a newline after each row) reads the same", async () => {
    const parts = [text('2 2\n')];
    parts.push(text('x '), new Uint8Array(Float32Array.from([1, 2]).buffer), text('\n'));
    parts.push(text('y '), new Uint8Array(Float32Array.from([3, 4]).buffer), text('\n'));
    const v = await engine.loadVectors(concat(parts));
    expect(v.words).toEqual(['x', 'y']);
    expect(Array.from(all(v))).toEqual([1, 2, 3, 4]);
    v.dispose();
  });

  it('numbers in every decimal form read as the nearest f32 (as parseFloat, then rounding)', async () => {
    const values = ['0', '-0', '1e-45', '3.4028235e38', '-1.17549435e-38', '0.1', '123456789012345678901234', '1.000000059604644775390625', '+5', '.5', '5.', '7E+2', '0.30000000000000004'];
    const v = await engine.loadVectors(text(`w ${values.join(' ')}\n`));
    expect(Array.from(all(v))).toEqual(values.map((s) => Math.fround(parseFloat(s))));
    v.dispose();
  });
});

it('rows the core leaves to JS (long values) and duplicates inside one parsed block keep their order on both backends', async () => {
  const lines: string[] = [];
  const want: number[] = [];
  const kept: string[] = [];
  for (let r = 0; r < 700; r++) {
    const word = r % 70 === 69 ? `w${r - 60}` : `w${r}`;
    const values = [r % 50 === 7 ? '0.12345678901234567' : `${r}.25`, r % 90 === 3 ? '2.5e-300' : '-1e-05', '7'];
    lines.push(`${word} ${values.join(' ')}`);
    if (!kept.includes(word)) {
      kept.push(word);
      want.push(...values.map((v) => Math.fround(Number(v))));
    }
  }
  const file = text(`${lines.join('\n')}\n`);
  for (const engine of [engines.wasm, engines.ts]) {
    const v = await engine.loadVectors(chunked(file, 4096));
    expect(v.words).toEqual(kept);
    expect(v.duplicates).toBe(10);
    expect(Array.from(all(v))).toEqual(want);
    v.dispose();
  }
});

describe('abort', () => {
  it('aborting mid-load rejects with an AbortError and frees what was taken', async () => {
    const { engine, probe } = await probedEngine();
    probe();
    const [memory, probed] = [engine.memoryBytes, probe()];
    const controller = new AbortController();
    const load = engine.loadVectors(chunked(bytes, 512), {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.bytes > bytes.length / 2) controller.abort();
      },
    });
    await expect(load).rejects.toMatchObject({ name: 'AbortError' });
    await expect(load).rejects.toBeInstanceOf(DOMException);
    expect(engine.memoryBytes).toBe(memory);
    expect(probe()).toEqual(probed);
  });

  it('an aborted signal rejects before reading', async () => {
    let pulled = false;
    async function* source() {
      pulled = true;
      yield bytes;
    }
    for (const engine of [engines.wasm, engines.ts]) {
      await expect(engine.loadVectors(source(), { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    }
    expect(pulled).toBe(false);
  });
});
