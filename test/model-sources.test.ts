// loadModel reads every kind of Source the same way: bytes, ArrayBuffer, Blob, Response,
// ReadableStream (odd 7-byte chunks that split elements), async iterable, file path and
// file URL give bit-identical models; the last progress report is the whole size.

import { createEngine } from 'attnkit';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkpoint, goldenPath, loadModelCases, modelInput } from './helpers/model-golden.js';
import { streamOf } from './helpers/safetensors.js';

const golden = loadModelCases().find((c) => c.name.startsWith('3 layers, BF16'))!;
const bytes = checkpoint(golden) as Uint8Array<ArrayBuffer>;

async function* pieces(size: number) {
  for (let at = 0; at < bytes.length; at += size) yield bytes.slice(at, at + size);
}

const sources: [string, () => unknown][] = [
  ['Uint8Array', () => bytes],
  ['ArrayBuffer', () => bytes.slice().buffer],
  ['Blob', () => new Blob([bytes])],
  ['Response', () => new Response(bytes)],
  ['Promise of a Response', () => Promise.resolve(new Response(streamOf(bytes, 1000)))],
  ['ReadableStream of 7-byte chunks', () => streamOf(bytes, 7)],
  ['async iterable of 3-byte chunks', () => pieces(3)],
  ['file path', () => goldenPath(golden.file)],
  ['file URL', () => pathToFileURL(goldenPath(golden.file))],
];

describe.each(['wasm', 'ts'] as const)('%s', async (backend) => {
  const engine = await createEngine({ backend });
  const reference = await engine.loadModel({ config: golden.config, weights: bytes });
  const expected = reference.forward(modelInput(golden));

  it.each(sources)('%s', async (_, source) => {
    const reports: { bytes: number; totalBytes?: number }[] = [];
    const model = await engine.loadModel({ config: JSON.stringify(golden.config), weights: source() as Uint8Array, onProgress: (p) => reports.push(p), dtype: 'f32' });
    expect(model.forward(modelInput(golden))).toEqual(expected);
    expect(reports.at(-1)).toMatchObject({ bytes: bytes.length, totalBytes: bytes.length });
    expect(model.memoryBytes).toBe(reference.memoryBytes);
    model.dispose();
  });
});
