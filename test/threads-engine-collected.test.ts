// A threaded engine's worker threads stop when the engine is garbage-collected, but not
// while a layer or a model made on it is still in use: here (in a child process run with
// --expose-gc, a flag workers refuse and the engine must not pass on) the engine is dropped
// and collected, and the model and the layer it made still compute, bit-identical to one
// thread.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { bertConfig, writeRandomBert, type BertShape } from './helpers/random-bert.js';

const run = promisify(execFile);
const SHAPE: BertShape = { hiddenSize: 64, numLayers: 2, numHeads: 4, intermediateSize: 256, vocabSize: 100, maxPositions: 64, typeVocabSize: 2 };
const dir = mkdtempSync(join(tmpdir(), 'attnkit-collected-'));
const file = join(dir, 'model.safetensors');
writeRandomBert(file, SHAPE, 5);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const script = `
import { createEngine } from ${JSON.stringify(fileURLToPath(new URL('../packages/attnkit/dist/index.js', import.meta.url)))};
const config = ${JSON.stringify(bertConfig(SHAPE))};
const E = 64, S = 64, B = 8;
const input = { ids: Int32Array.from({ length: B * S }, (_, i) => (i * 37) % 100), batch: B, seqLen: S };
const x = Float32Array.from({ length: 4 * 128 * E }, (_, i) => Math.sin(i));
const w = () => Float32Array.from({ length: E * E }, (_, i) => Math.cos(i) / 8);
const params = { wq: w(), wk: w(), wv: w(), wo: w() };
async function made() {
  const engine = await createEngine({ backend: 'wasm', threads: 2 });
  if (engine.threads !== 2) throw new Error('no threads');
  return { model: await engine.loadModel({ config, weights: ${JSON.stringify(file)} }), layer: engine.selfAttention(params, { embedDim: E, numHeads: 4 }) };
}
const { model, layer } = await made();
for (let i = 0; i < 6; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 20)); }
const one = await createEngine({ backend: 'wasm' });
const reference = await one.loadModel({ config, weights: ${JSON.stringify(file)} });
const same = (a, b) => a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
const modelSame = same(model.forward(input), reference.forward(input));
const layerSame = same(layer.forward(x, { batch: 4, seqLen: 128 }).output, one.selfAttention(params, { embedDim: E, numHeads: 4 }).forward(x, { batch: 4, seqLen: 128 }).output);
console.log(JSON.stringify({ modelSame, layerSame }));
`;

it('a model and a layer outlive their collected threaded engine, bit-identical to one thread', async () => {
  const { stdout } = await run(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { timeout: 60_000 });
  expect(JSON.parse(stdout)).toEqual({ modelSame: true, layerSame: true });
});
