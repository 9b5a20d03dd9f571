/**
 * Peak memory from loading a BERT checkpoint through the first embedding, attnkit beside
 * transformers.js measured the same way, one fresh Node process per cell (so that one
 * cell's garbage is not another's peak); attnkit's own targets are bench/model-memory.ts's:
 *   baseline = RSS after the imports, the engine and the small files (config, tokenizer),
 *   peak     = the process's high-water RSS from there through the first embedding (Linux
 *              VmHWM, reset at the baseline),
 *   growth   = peak − baseline: what loading and embedding added at their worst moment.
 * attnkit reads the checkpoint from a file path or from a stream (a Node ReadableStream of
 * the file, as a fetch body is); transformers.js 4 loads the same folder through its
 * pipeline, on onnxruntime-web or onnxruntime-node.
 */

import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');

export interface MemoryCell {
  name: string;
  /** The checkpoint file's size. */
  fileBytes: number;
  baselineBytes: number;
  peakBytes: number;
  growthBytes: number;
  /** What the model says it holds in the engine (attnkit only). */
  modelBytes?: number;
}

function child(script: string): Omit<MemoryCell, 'name' | 'fileBytes'> {
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Omit<MemoryCell, 'name' | 'fileBytes'>;
}

// Linux's high-water RSS of this process (VmHWM), reset to the current RSS by writing 5 to
// clear_refs: getrusage's maxRSS would also count the parent's memory, which a spawned child
// inherits until it execs.
const MEASURE = `
const { readFileSync: readProc, writeFileSync: writeProc } = await import('node:fs');
const kB = (pattern) => Number(pattern.exec(readProc('/proc/self/status', 'utf8'))[1]) * 1024;
writeProc('/proc/self/clear_refs', '5');
const baselineBytes = kB(/VmRSS:\\s+(\\d+) kB/);
const out = await (async () => { WORK })();
const peakBytes = kB(/VmHWM:\\s+(\\d+) kB/);
console.log(JSON.stringify({ baselineBytes, peakBytes, growthBytes: peakBytes - baselineBytes, ...out }));`;

/** attnkit: engine.loadModel from `source` ('path' or 'stream'), then embed(['…']). */
export function attnkitPeak(dir: string, source: 'path' | 'stream', dtype: 'f32' | 'f16'): MemoryCell {
  const weights = join(dir, 'model.safetensors');
  const script = `
import { readFileSync, createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { createEngine } from 'attnkit';
const engine = await createEngine({ backend: 'wasm' });
const config = readFileSync(${JSON.stringify(join(dir, 'config.json'))}, 'utf8');
const tokenizer = readFileSync(${JSON.stringify(join(dir, 'tokenizer.json'))}, 'utf8');
await import(${JSON.stringify(pathToFileURL(join(ROOT, 'packages', 'attnkit', 'dist', 'model', 'tokenizer.js')).href)});
${MEASURE.replace(
    'WORK',
    `const weights = ${source === 'path' ? JSON.stringify(weights) : `Readable.toWeb(createReadStream(${JSON.stringify(weights)}))`};
  const model = await engine.loadModel({ config, weights, tokenizer, dtype: '${dtype}' });
  model.embed(['the first embedding after loading']);
  return { modelBytes: model.memoryBytes };`,
  )}`;
  return { name: `attnkit wasm, ${dtype}, from a ${source === 'path' ? 'file path' : 'stream'}`, fileBytes: statSync(weights).size, ...child(script) };
}

/** transformers.js: the feature-extraction pipeline on the folder's onnx/model.onnx, then one embedding. */
export function transformersPeak(modelRoot: string, modelName: string, backend: 'web' | 'node'): MemoryCell {
  const peers = join(HERE, 'peers', 'node_modules');
  const script = `
import { createRequire } from 'node:module';
const require = createRequire(${JSON.stringify(join(HERE, 'peers', 'package.json'))});
${backend === 'web' ? `const ort = require('onnxruntime-web'); ort.env.wasm.numThreads = 1; globalThis[Symbol.for('onnxruntime')] = ort;` : ''}
const { pipeline, env } = await import(${JSON.stringify(pathToFileURL(join(peers, '@huggingface', 'transformers', 'dist', 'transformers.node.mjs')).href)});
env.localModelPath = ${JSON.stringify(modelRoot + '/')}; env.allowRemoteModels = false; env.useWasmCache = false;
${backend === 'web' ? 'delete ort.env.wasm.wasmPaths;' : ''}
const options = ${backend === 'web' ? `{ dtype: 'fp32', device: 'auto', session_options: { executionProviders: ['wasm'] } }` : `{ dtype: 'fp32', device: 'cpu', session_options: { intraOpNumThreads: 1 } }`};
${MEASURE.replace(
    'WORK',
    `const extractor = await pipeline('feature-extraction', ${JSON.stringify(modelName)}, options);
  await extractor(['the first embedding after loading'], { pooling: 'mean', normalize: true });
  return {};`,
  )}`;
  return { name: `transformers.js (onnxruntime-${backend})`, fileBytes: statSync(join(modelRoot, modelName, 'onnx', 'model.onnx')).size, ...child(script) };
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

/** A markdown table of the cells, with growth against the checkpoint's size. */
export function memoryTable(cells: MemoryCell[]): string {
  const lines = ['| load + first embedding | checkpoint MB | baseline RSS MB | peak RSS MB | growth MB | growth ÷ checkpoint | model in engine MB |', '|---|---:|---:|---:|---:|---:|---:|'];
  for (const c of cells) {
    lines.push(`| ${c.name} | ${mb(c.fileBytes)} | ${mb(c.baselineBytes)} | ${mb(c.peakBytes)} | ${mb(c.growthBytes)} | ${(c.growthBytes / c.fileBytes).toFixed(2)} | ${c.modelBytes === undefined ? '' : mb(c.modelBytes)} |`);
  }
  return lines.join('\n');
}
