// Every kind of Source a loader accepts yields the same bytes, in order, with progress
// ending at the whole size; a wrong kind is a TypeError naming the argument; an abort
// rejects with an AbortError.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ByteReader, openSource, type LoadProgress } from '../packages/attnkit/src/source.js';

const openFile = async (path: string | URL) => {
  const fs = await import('node:fs');
  return { chunks: fs.createReadStream(path, { highWaterMark: 1000 }), size: (await fs.promises.stat(path)).size };
};

// 3 MiB + 5 bytes: more than one in-memory view (1 MiB) and an uneven tail.
const bytes = Uint8Array.from({ length: 3 * 2 ** 20 + 5 }, (_, i) => (i * 7 + (i >> 9)) & 255);
const dir = mkdtempSync(join(tmpdir(), 'attnkit-source-'));
const path = join(dir, 'data.bin');
writeFileSync(path, bytes);

function stream(): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + 4099));
      at += 4099;
    },
  });
}

async function* iterable(): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += 65_537) yield bytes.slice(at, at + 65_537);
}

const kinds: [string, () => unknown, boolean][] = [
  ['Uint8Array', () => bytes, true],
  ['ArrayBuffer', () => bytes.slice().buffer, true],
  ['Blob', () => new Blob([bytes]), true],
  ['Response', () => new Response(bytes, { headers: { 'content-length': String(bytes.length) } }), true],
  ['Promise<Response>', () => Promise.resolve(new Response(stream())), false],
  ['ReadableStream', stream, false],
  ['async iterable', iterable, false],
  ['file path', () => path, true],
  ['file URL', () => pathToFileURL(path), true],
];

describe.each(kinds)('%s', (_, make, sized) => {
  it('yields every byte in order; the last progress report is the whole size', async () => {
    const progress: LoadProgress[] = [];
    const reader = new ByteReader(await openSource('test', 'source', make(), openFile), { onProgress: (p) => progress.push(p) });
    const head = await reader.read(10);
    expect(Array.from(head!)).toEqual(Array.from(bytes.subarray(0, 10)));
    const parts: Uint8Array[] = [head!.slice()];
    for (let chunk = await reader.chunk(); chunk !== undefined; chunk = await reader.chunk()) parts.push(chunk.slice());
    const all = Buffer.concat(parts);
    expect(all.length).toBe(bytes.length);
    expect(Buffer.compare(all, bytes)).toBe(0);
    expect(reader.offset).toBe(bytes.length);
    const last = progress.at(-1)!;
    expect(last.bytes).toBe(bytes.length);
    expect(last.totalBytes).toBe(bytes.length);
    if (sized) expect(progress[0].totalBytes).toBe(bytes.length);
  });
});

describe('bad sources', () => {
  it('a number, a plain object and an iterable of strings are TypeErrors naming the argument', async () => {
    await expect(openSource('loadVectors', 'source', 42)).rejects.toThrow(/loadVectors: source must be a Uint8Array.*got 42/);
    await expect(openSource('loadVectors', 'source', {})).rejects.toThrow(TypeError);
    const strings = (async function* () {
      yield 'not bytes';
    })();
    const reader = new ByteReader(await openSource('loadVectors', 'source', strings));
    await expect(reader.chunk()).rejects.toThrow(/loadVectors: source yielded "not bytes"/);
  });

  it('a path without a file system, and an http URL, are errors that say what to pass instead', async () => {
    await expect(openSource('loadVectors', 'source', '/x.vec')).rejects.toThrow(/no file system/);
    await expect(openSource('loadVectors', 'source', new URL('https://example.com/x.vec'), openFile)).rejects.toThrow(/pass fetch\(url\)/);
  });

  it('a Response that is not ok names its status', async () => {
    await expect(openSource('loadModel', 'weights', new Response('no', { status: 404 }))).rejects.toThrow(/HTTP 404/);
  });

  it('an aborted signal rejects the next read with an AbortError', async () => {
    const controller = new AbortController();
    const reader = new ByteReader(await openSource('test', 'source', stream()), { signal: controller.signal });
    await reader.read(5000);
    controller.abort();
    await expect(reader.chunk()).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('the read that reaches past the end returns undefined; atEnd says so', async () => {
    const reader = new ByteReader(await openSource('test', 'source', bytes.subarray(0, 10)));
    expect(await reader.read(4)).toBeDefined();
    expect(await reader.read(7)).toBeUndefined();
    expect(await reader.atEnd()).toBe(false);
    expect((await reader.read(6))!.length).toBe(6);
    expect(await reader.atEnd()).toBe(true);
  });
});
