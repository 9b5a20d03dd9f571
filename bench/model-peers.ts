/**
 * The model benchmark's peers, on one MiniLM-L6-shaped BERT with random weights written by
 * `scripts/onnx/export.py --bert` into bench/.out/minilm-l6 (a Hugging Face model folder:
 * config.json, model.safetensors, tokenizer.json, tokenizer_config.json, onnx/model.onnx):
 *   - onnxruntime-web 1.30 (wasm, 1 thread) and onnxruntime-node 1.30 (native CPU, 1 thread):
 *     an InferenceSession on onnx/model.onnx, graph optimisation 'all'; ids in, last_hidden_state out;
 *   - transformers.js 4's `feature-extraction` pipeline on the same folder, offline (local
 *     files only), mean pooling + L2 normalisation; texts in, sentence embeddings out. In
 *     Node it runs on onnxruntime-node; on the wasm backend it runs on the peers' own
 *     onnxruntime-web, handed to it through `globalThis[Symbol.for('onnxruntime')]` (its
 *     documented hook for a caller's ORT), with `wasmPaths` cleared so that it does not
 *     fetch the wasm from a CDN. Each backend is its own module instance.
 * The peers are installed by bench/peers/install.sh (outside the workspace).
 */

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
/** Where the model folder is written (gitignored): bench/.out/<name>. */
export const MODEL_ROOT = join(HERE, '.out');
export const MODEL_NAME = 'minilm-l6';
export const MODEL_DIR = join(MODEL_ROOT, MODEL_NAME);

// The peers are loaded at run time from bench/peers: CI's typecheck must not need them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

/** Writes the model folder unless every file is already there (python3-torch, python3-onnx). */
export function ensureModel(): string {
  const files = ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'];
  if (files.every((f) => existsSync(join(MODEL_DIR, f)))) return MODEL_DIR;
  console.log('  export the MiniLM-L6-shaped BERT (scripts/onnx/export.py --bert)');
  execFileSync('/usr/bin/python3', ['-W', 'ignore', join(ROOT, 'scripts', 'onnx', 'export.py'), '--bert', MODEL_DIR], { stdio: ['ignore', 'inherit', 'inherit'] });
  return MODEL_DIR;
}

/** A batch of token ids as BERT takes them, [batch, seqLen] row-major. */
export interface IdsBatch {
  ids: Int32Array;
  attentionMask: Uint8Array;
  tokenTypeIds: Int32Array;
  batch: number;
  seqLen: number;
}

export interface ForwardRunner {
  name: string;
  /** last_hidden_state [batch, seqLen, hidden]. */
  forward(input: IdsBatch): Promise<Float32Array>;
}

export interface EmbedRunner {
  name: string;
  /** Mean-pooled, L2-normalised sentence embeddings [texts.length, hidden]. */
  embed(texts: string[]): Promise<Float32Array>;
  /** The ids its tokenizer gives (with [CLS] and [SEP]), to check it against attnkit's. */
  tokenize(text: string): number[];
}

const int64 = (a: ArrayLike<number>) => BigInt64Array.from(Array.from(a, (x) => BigInt(x)));

/** An ORT session on onnx/model.onnx: onnxruntime-node (native) or onnxruntime-web (wasm), 1 thread. */
export async function ortRunner(ort: Loose, native: boolean): Promise<ForwardRunner> {
  const options = native
    ? { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' }
    : { executionProviders: ['wasm'], graphOptimizationLevel: 'all' };
  const session = await ort.InferenceSession.create(join(ensureModel(), 'onnx', 'model.onnx'), options);
  // Both packages register a 'cpu' backend in the shared onnxruntime-common.
  const handler = String(session.handler?.constructor?.name);
  if (native !== (handler === 'OnnxruntimeSessionHandler')) throw new Error(`model.onnx: ${native ? 'native' : 'wasm'} session got handler ${handler}`);
  return {
    name: native ? 'onnxruntime-node' : 'onnxruntime-web',
    async forward({ ids, attentionMask, tokenTypeIds, batch, seqLen }) {
      const dims = [batch, seqLen];
      const feeds = {
        input_ids: new ort.Tensor('int64', int64(ids), dims),
        attention_mask: new ort.Tensor('int64', int64(attentionMask), dims),
        token_type_ids: new ort.Tensor('int64', int64(tokenTypeIds), dims),
      };
      const out = await session.run(feeds);
      return out.last_hidden_state.data as Float32Array;
    },
  };
}

/**
 * transformers.js's feature-extraction pipeline on the model folder, offline. `ortWeb`:
 * run it on that onnxruntime-web (wasm, whatever thread count it is set to); without it,
 * on onnxruntime-node (transformers.js's default in Node), with 1 thread.
 */
export async function transformersRunner(ortWeb?: Loose): Promise<EmbedRunner> {
  ensureModel();
  // Its ES module build for Node (what `import` resolves to there), by path: the package is
  // outside the workspace.
  const entry = pathToFileURL(join(HERE, 'peers', 'node_modules', '@huggingface', 'transformers', 'dist', 'transformers.node.mjs'));
  const symbol = Symbol.for('onnxruntime');
  const g = globalThis as Loose;
  if (ortWeb) g[symbol] = ortWeb;
  // A query string makes a separate module instance, which reads the hook when it loads.
  entry.search = ortWeb ? '?ort=web' : '?ort=node';
  let tjs: Loose;
  try {
    tjs = await import(entry.href);
  } finally {
    if (ortWeb) delete g[symbol];
  }
  const { env, pipeline } = tjs;
  env.localModelPath = MODEL_ROOT + '/';
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.useWasmCache = false;
  if (ortWeb) delete ortWeb.env.wasm.wasmPaths; // set to a CDN by transformers.js when it loaded
  const options = ortWeb
    ? { dtype: 'fp32', device: 'auto', session_options: { executionProviders: ['wasm'], graphOptimizationLevel: 'all' } }
    : { dtype: 'fp32', device: 'cpu', session_options: { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' } };
  const extractor = await pipeline('feature-extraction', MODEL_NAME, options);
  const handler = String(extractor.model.sessions.model.handler?.constructor?.name);
  if (!ortWeb !== (handler === 'OnnxruntimeSessionHandler')) throw new Error(`transformers.js: ${ortWeb ? 'wasm' : 'native'} session got handler ${handler}`);
  return {
    name: ortWeb ? 'transformers.js (onnxruntime-web)' : 'transformers.js (onnxruntime-node)',
    async embed(texts) {
      const out = await extractor(texts, { pooling: 'mean', normalize: true });
      return out.data as Float32Array;
    },
    tokenize(text) {
      return Array.from(extractor.tokenizer(text).input_ids.data as BigInt64Array, Number);
    },
  };
}

/** Mean pooling over the mask and L2 normalisation: sentence-transformers' pooling, in float64. */
export function meanPool(hidden: Float32Array, { attentionMask, batch, seqLen }: IdsBatch): Float32Array {
  const dim = hidden.length / (batch * seqLen);
  const out = new Float32Array(batch * dim);
  for (let b = 0; b < batch; b++) {
    const sum = new Float64Array(dim);
    let count = 0;
    for (let t = 0; t < seqLen; t++) {
      if (!attentionMask[b * seqLen + t]) continue;
      count++;
      for (let i = 0; i < dim; i++) sum[i] += hidden[(b * seqLen + t) * dim + i];
    }
    let norm = 0;
    for (let i = 0; i < dim; i++) norm += (sum[i] / count) ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < dim; i++) out[b * dim + i] = sum[i] / count / Math.max(norm, 1e-12);
  }
  return out;
}
