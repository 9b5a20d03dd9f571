/**
 * attnkit side by side with its peers (the targets' table), all in this one process:
 * attnkit wasm (resident and stateless) and ts, onnxruntime-web 1.30 (wasm, 1 thread),
 * @tensorflow/tfjs-backend-wasm 4.22 (1 thread), onnxruntime-node 1.30 (native CPU,
 * 1 thread) and a naive JS baseline (plain nested loops), on
 *   - the self-attention layer, batch 1, S 512, E 768, 12 heads,
 *   - bare attention 12 heads × 64 at S 2048, plain and causal,
 *   - a 512-id lookup in a 30522×768 table + sinusoidal PE.
 * Every runner's output is checked against attnkit wasm's before it is timed. Each peer is
 * in its fastest honest form: ORT sessions on models exported once by scripts/onnx/export.py
 * (weights as initializers, graph optimisation 'all'); tfjs with weights transposed once,
 * fused matMul+bias, K transposed once per call and one 2-D matMul per head.
 * The peers live in bench/peers (not in the workspace); bench/peers/install.sh installs them.
 * GFLOP/s counts 2 per multiply-add: the layer 8·S·E² + 4·S²·E, attention 4·H·S²·D (causal: half).
 */

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine, type Engine } from 'attnkit';
import { Bench } from 'tinybench';
import { gatherModule } from './gather.js';
import { assertClose, machine, measure, type Row } from './harness.js';
import { naiveAttention, naiveEncode, naiveSelfAttention, type Params } from './naive.js';
import { seeded, uniform } from './random.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
const OUT = join(HERE, '.out');
const E = 768;
const H = 12;
const D = E / H;
const ROWS = 30522;
const N = 512;
/** BENCH_SMOKE=1: tiny sizes, to check the wiring without timing anything real (nothing is written). */
const SMOKE = process.env.BENCH_SMOKE === '1';
const S_LAYER = SMOKE ? 64 : 512;
const S_ATTENTION = SMOKE ? 256 : 2048;

// The peers are loaded at run time from bench/peers: CI's typecheck must not need them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

export interface Peers {
  ortWeb: Loose;
  ortNode: Loose;
  tf: Loose;
  versions: Record<string, string>;
}

/** Installs (if needed) and loads the peers; onnxruntime-node first, so its native 'cpu' backend wins. */
export async function loadPeers(install = true): Promise<Peers> {
  if (install) execFileSync('bash', [join(HERE, 'peers', 'install.sh')], { stdio: 'inherit' });
  const require = createRequire(join(HERE, 'peers', 'package.json'));
  const version = (name: string) => (JSON.parse(readFileSync(join(HERE, 'peers', 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  const ortNode = require('onnxruntime-node');
  const ortWeb = require('onnxruntime-web');
  ortWeb.env.wasm.numThreads = 1;
  ortWeb.env.wasm.proxy = false;
  if ('simd' in ortWeb.env.wasm) ortWeb.env.wasm.simd = true;
  const tf = require('@tensorflow/tfjs-core');
  require('@tensorflow/tfjs-backend-wasm');
  // The single-threaded SIMD build of tfjs-backend-wasm.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  tf.env().set('WASM_HAS_SIMD_SUPPORT', true);
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs: the wasm backend did not initialise');
  await tf.ready();
  const versions = {
    'onnxruntime-web': version('onnxruntime-web'),
    'onnxruntime-node': version('onnxruntime-node'),
    '@tensorflow/tfjs-core': version('@tensorflow/tfjs-core'),
    '@tensorflow/tfjs-backend-wasm': version('@tensorflow/tfjs-backend-wasm'),
    attnkit: (JSON.parse(readFileSync(join(ROOT, 'packages', 'attnkit', 'package.json'), 'utf8')) as { version: string }).version,
  };
  return { ortWeb, ortNode, tf, versions };
}

/** An ORT session on a model of bench/.out, checked to run on the backend it claims. */
export async function session(ort: Loose, model: string, native: boolean): Promise<Loose> {
  const options = native
    ? { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' }
    : { executionProviders: ['wasm'], graphOptimizationLevel: 'all' };
  const s = await ort.InferenceSession.create(join(OUT, model), options);
  // Both packages register a 'cpu' backend in the shared onnxruntime-common.
  const handler = String(s.handler?.constructor?.name);
  if (native !== (handler === 'OnnxruntimeSessionHandler')) throw new Error(`${model}: ${native ? 'native' : 'wasm'} session got handler ${handler}`);
  return s;
}



// ---- tfjs-backend-wasm in its fastest honest form ----

/**
 * Per head: scores = Q_h · (Kᵀ)_h (one 2-D matMul), softmax, · V_h; q2 (already scaled), k2, v2
 * [S, E] tensors. Each head in its own tidy, so one head's [S, S] scores are alive at a time.
 */
export function tfHeads(tf: Loose, q2: Loose, k2: Loose, v2: Loose, mask?: Loose): Loose {
  const S = q2.shape[0];
  const kT = tf.transpose(k2); // [E, S], once per call
  const heads = [];
  for (let h = 0; h < H; h++) {
    heads.push(
      tf.tidy(() => {
        let scores = tf.matMul(tf.slice(q2, [0, h * D], [S, D]), tf.slice(kT, [h * D, 0], [D, S]));
        if (mask) scores = tf.add(scores, mask);
        return tf.matMul(tf.softmax(scores), tf.slice(v2, [0, h * D], [S, D]));
      }),
    );
  }
  return tf.concat(heads, 1);
}

function tfRun(tf: Loose, body: () => Loose): Float32Array {
  const out = tf.tidy(body);
  const data = out.dataSync() as Float32Array;
  out.dispose();
  return data;
}

// ---- running and timing ----

interface PeerTask {
  name: string;
  run: () => unknown;
  /** Runs once before timing; throws (or rejects) when the output is wrong. */
  check: () => unknown;
  flops?: number;
  bytes?: number;
  /** Slow cells: timed over this many calls after `warmup` untimed ones (the check counts as one). */
  few?: { iterations: number; warmup: number };
}

/** tinybench for a slow cell: a fixed small number of calls, no time budget. */
async function measureFew(task: PeerTask): Promise<Row> {
  const few = task.few ?? { iterations: 3, warmup: 1 };
  const bench = new Bench({ time: 0, iterations: few.iterations, warmup: few.warmup > 0, warmupIterations: few.warmup, warmupTime: 0 });
  bench.add(task.name, task.run);
  await bench.run();
  const result = bench.tasks[0].result;
  if (result.state !== 'completed') throw new Error(`${task.name}: ${result.state}`);
  return { name: task.name, medianMs: result.latency.p50, madMs: result.latency.mad, samples: result.latency.samplesCount, flops: task.flops, bytes: task.bytes };
}

/** Checks every task, then times the fast ones with harness.measure and the slow ones one by one. */
async function runAll(tasks: PeerTask[], timeMs: number): Promise<Row[]> {
  for (const task of tasks) {
    process.stdout.write(`  check ${task.name}\n`);
    await task.check();
  }
  const rows = new Map<string, Row>();
  const fast = tasks.filter((t) => !t.few);
  if (fast.length) for (const row of await measure(fast.map(({ name, run, flops, bytes }) => ({ name, run, flops, bytes })), timeMs, 5)) rows.set(row.name, row);
  for (const task of tasks.filter((t) => t.few)) {
    process.stdout.write(`  time ${task.name} (${task.few!.iterations} calls)\n`);
    rows.set(task.name, await measureFew(task));
  }
  return tasks.map((t) => rows.get(t.name)!);
}

// ---- the report ----

const RUNNERS = ['attnkit wasm', 'attnkit ts', 'onnxruntime-web', 'tfjs-backend-wasm', 'onnxruntime-node', 'naive JS'] as const;

interface Workload {
  title: string;
  short: string;
  rows: Row[];
  note?: string;
}

function ms(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(3);
}

function gflops(r: Row): string {
  return r.flops ? (r.flops / r.medianMs / 1e6).toFixed(1) : '';
}

function rowTable(w: Workload, baseline: Row): string {
  const lines = [`| runner | median ms | ± MAD ms | samples | throughput | × ${baseline.name} |`, '|---|---:|---:|---:|---:|---:|'];
  for (const r of w.rows) {
    const throughput = r.flops ? `${gflops(r)} GFLOP/s` : r.bytes ? `${(r.bytes / r.medianMs / 1e6).toFixed(1)} GB/s` : '';
    lines.push(`| ${r.name} | ${ms(r.medianMs)} | ${ms(r.madMs)} | ${r.samples} | ${throughput} | ${(baseline.medianMs / r.medianMs).toFixed(2)} |`);
  }
  return lines.join('\n');
}

function find(w: Workload, prefix: string): Row {
  const row = w.rows.find((r) => r.name.startsWith(prefix));
  if (!row) throw new Error(`${w.short}: no row ${prefix}`);
  return row;
}

function fasterWasmPeer(w: Workload): Row {
  const a = find(w, 'onnxruntime-web');
  const b = find(w, 'tfjs-backend-wasm');
  return a.medianMs <= b.medianMs ? a : b;
}

/** Horizontal bars of the medians, one panel per workload, log scale (naive JS is 10–100× the rest). */
function svgChart(workloads: Workload[]): string {
  const colours: Record<string, string> = {
    'attnkit wasm': '#1f77b4', 'attnkit ts': '#6baed6', 'onnxruntime-web': '#ff7f0e', 'tfjs-backend-wasm': '#2ca02c', 'onnxruntime-node': '#9467bd', 'naive JS': '#7f7f7f',
  };
  const colour = (name: string) => colours[RUNNERS.find((r) => name.startsWith(r)) ?? ''] ?? '#000';
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const W = 860;
  const left = 300;
  const barW = 440;
  const rowH = 18;
  const parts: string[] = [];
  let y = 40;
  for (const w of workloads) {
    const max = Math.max(...w.rows.map((r) => r.medianMs));
    const min = Math.min(...w.rows.map((r) => r.medianMs));
    const lo = Math.log10(min) - 0.3;
    const hi = Math.log10(max);
    const x = (v: number) => ((Math.log10(v) - lo) / (hi - lo)) * barW;
    parts.push(`<text x="10" y="${y}" font-weight="bold">${esc(w.title)}</text>`);
    y += 8;
    for (const r of w.rows) {
      const len = Math.max(1, x(r.medianMs));
      parts.push(
        `<text x="${left - 8}" y="${y + 13}" text-anchor="end">${esc(r.name)}</text>`,
        `<rect x="${left}" y="${y + 2}" width="${len.toFixed(1)}" height="${rowH - 4}" fill="${colour(r.name)}"/>`,
        `<text x="${(left + len + 6).toFixed(1)}" y="${y + 13}">${ms(r.medianMs)} ms${r.flops ? ` (${gflops(r)} GFLOP/s)` : ''}</text>`,
      );
      y += rowH;
    }
    y += 26;
  }
  const height = y;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${height}" fill="#fff"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">attnkit vs peers: median ms, one thread, log scale per panel (shorter is faster)</text>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

// ---- the benchmark ----

export async function peersBench(): Promise<string> {
  const peers = await loadPeers();
  const { ortWeb, ortNode, tf } = peers;
  const wasm: Engine = await createEngine({ backend: 'wasm' });
  const ts: Engine = await createEngine({ backend: 'ts' });
  const random = seeded(7);
  const w = () => uniform(random, E * E, Math.sqrt(3 / E));
  const params: Params = { wq: w(), wk: w(), wv: w(), wo: w(), bq: uniform(random, E, 0.1), bk: uniform(random, E, 0.1), bv: uniform(random, E, 0.1), bo: uniform(random, E, 0.1) };
  const table = uniform(random, ROWS * E, 1);
  const ids = Int32Array.from({ length: N }, () => Math.floor(random() * ROWS));
  const pe = ts.sinusoidalEncoding(N, E);

  // The ORT models, with these very weights as initializers.
  mkdirSync(OUT, { recursive: true });
  const packed = new Float32Array(4 * E * E + 4 * E);
  [params.wq, params.wk, params.wv, params.wo, params.bq, params.bk, params.bv, params.bo].reduce((at, t) => (packed.set(t, at), at + t.length), 0);
  writeFileSync(join(OUT, 'mha-params.f32'), packed);
  writeFileSync(join(OUT, 'table.f32'), table);
  writeFileSync(join(OUT, 'pe.f32'), pe);
  console.log('  export ONNX models (scripts/onnx/export.py)');
  execFileSync('/usr/bin/python3', ['-W', 'ignore', join(ROOT, 'scripts', 'onnx', 'export.py'), OUT], { stdio: ['ignore', 'inherit', 'inherit'] });

  const workloads: Workload[] = [];
  const slow = (iterations: number, warmup = 0) => ({ iterations, warmup });

  // -- the self-attention layer, B1 S512 --
  {
    const S = S_LAYER;
    const x = uniform(random, S * E, 1);
    const flops = 8 * S * E * E + 4 * S * S * E;
    const layer = wasm.selfAttention(params, { embedDim: E, numHeads: H });
    const tsLayer = ts.selfAttention(params, { embedDim: E, numHeads: H });
    const mhaOpts = { seqLen: S, embedDim: E, numHeads: H };
    const reference = layer.forward(x, { seqLen: S }).output;
    const webSession = await session(ortWeb, 'mha.onnx', false);
    const nodeSession = await session(ortNode, 'mha.onnx', true);
    const webFeeds = { x: new ortWeb.Tensor('float32', x, [1, S, E]) };
    const nodeFeeds = { x: new ortNode.Tensor('float32', x, [1, S, E]) };
    // tfjs: weights transposed once to [in, out]; fused matMul + bias; scale folded into Q once per call.
    const tw = Object.fromEntries((['wq', 'wk', 'wv', 'wo'] as const).map((n) => [n, tf.keep(tf.transpose(tf.tensor2d(params[n], [E, E])))]));
    const tb = Object.fromEntries((['bq', 'bk', 'bv', 'bo'] as const).map((n) => [n, tf.keep(tf.tensor1d(params[n]))]));
    const tfLayer = () =>
      tfRun(tf, () => {
        const x2 = tf.tensor2d(x, [S, E]);
        const q2 = tf.mul(tf.fused.matMul({ a: x2, b: tw.wq, bias: tb.bq }), 1 / Math.sqrt(D));
        const k2 = tf.fused.matMul({ a: x2, b: tw.wk, bias: tb.bk });
        const v2 = tf.fused.matMul({ a: x2, b: tw.wv, bias: tb.bv });
        return tf.fused.matMul({ a: tfHeads(tf, q2, k2, v2), b: tw.wo, bias: tb.bo });
      });
    // f32 sums of 768 products (and 512-long softmax sums) in different orders, unit-scale outputs.
    const tol = 1e-4;
    const tasks: PeerTask[] = [
      { name: 'attnkit wasm, resident', run: () => layer.forward(x, { seqLen: S }), check: () => assertClose('wasm resident', layer.forward(x, { seqLen: S }).output, reference, 0), flops },
      { name: 'attnkit wasm, stateless', run: () => wasm.multiHeadAttention(x, params, mhaOpts), check: () => assertClose('wasm stateless', wasm.multiHeadAttention(x, params, mhaOpts).output, reference, tol), flops },
      { name: 'attnkit ts, resident', run: () => tsLayer.forward(x, { seqLen: S }), check: () => assertClose('ts', tsLayer.forward(x, { seqLen: S }).output, reference, tol), flops, few: slow(3) },
      { name: 'onnxruntime-web (wasm)', run: () => webSession.run(webFeeds), check: async () => assertClose('onnxruntime-web', (await webSession.run(webFeeds)).y.data, reference, tol), flops },
      { name: 'tfjs-backend-wasm', run: tfLayer, check: () => assertClose('tfjs', tfLayer(), reference, tol), flops },
      { name: 'onnxruntime-node (native)', run: () => nodeSession.run(nodeFeeds), check: async () => assertClose('onnxruntime-node', (await nodeSession.run(nodeFeeds)).y.data, reference, tol), flops },
      { name: 'naive JS', run: () => naiveSelfAttention(x, params, S), check: () => assertClose('naive', naiveSelfAttention(x, params, S), reference, tol), flops, few: slow(2) },
    ];
    workloads.push({ title: `Self-attention layer, batch 1, S ${S}, E ${E}, ${H} heads`, short: `layer S${S}`, rows: await runAll(tasks, 2000) });
    layer.dispose();
    tsLayer.dispose();
    for (const t of [...Object.values(tw), ...Object.values(tb)]) (t as Loose).dispose();
    await webSession.release();
    await nodeSession.release();
  }

  // -- bare attention 12 × 64, S2048, plain and causal --
  {
    const S = S_ATTENTION;
    const q = uniform(random, S * E, 1);
    const k = uniform(random, S * E, 1);
    const v = uniform(random, S * E, 1);
    for (const causal of [false, true]) {
      const opts = { seqQ: S, seqK: S, numHeads: H, headDim: D, causal };
      const flops = 4 * H * S * S * D * (causal ? 0.5 : 1);
      const reference = wasm.attention(q, k, v, opts).output;
      const model = causal ? 'attention-causal.onnx' : 'attention.onnx';
      const webSession = await session(ortWeb, model, false);
      const nodeSession = await session(ortNode, model, true);
      const feeds = (ort: Loose) => ({ q: new ort.Tensor('float32', q, [1, S, H, D]), k: new ort.Tensor('float32', k, [1, S, H, D]), v: new ort.Tensor('float32', v, [1, S, H, D]) });
      const webFeeds = feeds(ortWeb);
      const nodeFeeds = feeds(ortNode);
      // The causal mask as a constant, built once (as a model would keep it).
      const mask = causal ? tf.keep(tf.tensor2d(Float32Array.from({ length: S * S }, (_, i) => (i % S > Math.floor(i / S) ? -Infinity : 0)), [S, S])) : undefined;
      const tfAttention = () => tfRun(tf, () => tfHeads(tf, tf.mul(tf.tensor2d(q, [S, E]), 1 / Math.sqrt(D)), tf.tensor2d(k, [S, E]), tf.tensor2d(v, [S, E]), mask));
      // Softmax over 2048 keys and sums of 2048 weighted values in f32, different orders: unit-scale outputs.
      const tol = 1e-4;
      const tasks: PeerTask[] = [
        { name: 'attnkit wasm', run: () => wasm.attention(q, k, v, opts), check: () => assertClose('wasm', wasm.attention(q, k, v, opts).output, reference, 0), flops, few: slow(7, 1) },
        { name: 'attnkit ts', run: () => ts.attention(q, k, v, opts), check: () => assertClose('ts', ts.attention(q, k, v, opts).output, reference, tol), flops, few: slow(2) },
        { name: 'onnxruntime-web (wasm)', run: () => webSession.run(webFeeds), check: async () => assertClose('onnxruntime-web', (await webSession.run(webFeeds)).o.data, reference, tol), flops, few: slow(7, 1) },
        { name: 'tfjs-backend-wasm', run: tfAttention, check: () => assertClose('tfjs', tfAttention(), reference, tol), flops, few: slow(7, 1) },
        { name: 'onnxruntime-node (native)', run: () => nodeSession.run(nodeFeeds), check: async () => assertClose('onnxruntime-node', (await nodeSession.run(nodeFeeds)).o.data, reference, tol), flops, few: slow(7, 2) },
        { name: 'naive JS', run: () => naiveAttention(q, k, v, S, causal), check: () => assertClose('naive', naiveAttention(q, k, v, S, causal), reference, tol), flops, few: slow(1) },
      ];
      const title = `Bare attention, ${H} heads × ${D}, S ${S}${causal ? ', causal (GFLOP/s counts the unmasked half)' : ''}`;
      workloads.push({ title, short: `${causal ? 'causal' : 'attention'} S${S}`, rows: await runAll(tasks, 3000) });
      mask?.dispose();
      await webSession.release();
      await nodeSession.release();
    }
  }

  // -- 512-id lookup in 30522×768 + sinusoidal PE --
  {
    const bytes = N * E * 4;
    const expected = naiveEncode(table, ids, pe);
    const encoder = wasm.encoder({ table, dim: E, positional: 'sinusoidal' });
    const tsEncoder = ts.encoder({ table, dim: E, positional: 'sinusoidal' });
    const webSession = await session(ortWeb, 'embedding.onnx', false);
    const nodeSession = await session(ortNode, 'embedding.onnx', true);
    const webFeeds = { ids: new ortWeb.Tensor('int32', ids, [N]) };
    const nodeFeeds = { ids: new ortNode.Tensor('int32', ids, [N]) };
    const tfTable = tf.keep(tf.tensor2d(table, [ROWS, E]));
    const tfPe = tf.keep(tf.tensor2d(pe, [N, E]));
    const tfEncode = () => tfRun(tf, () => tf.add(tf.gather(tfTable, tf.tensor1d(ids, 'int32')), tfPe));
    // The reference: rows gathered with memory.copy inside one wasm memory (no PE, no copy out).
    const pages = Math.ceil((ROWS * E * 4 + N * 4 + bytes) / 65536);
    const gather = gatherModule(pages);
    const memory = gather.exports.memory as WebAssembly.Memory;
    const gatherFn = gather.exports.gather as (table: number, ids: number, n: number, rowBytes: number, out: number) => void;
    const idsAt = ROWS * E * 4;
    const outAt = idsAt + N * 4;
    new Float32Array(memory.buffer, 0, ROWS * E).set(table);
    new Int32Array(memory.buffer, idsAt, N).set(ids);
    const rawGather = () => gatherFn(0, idsAt, N, E * 4, outAt);
    const gathered = () => new Float32Array(memory.buffer, outAt, N * E);
    const gatherExpected = naiveEncode(table, ids, new Float32Array(N * E));
    // PE in f32 added in f32 everywhere (attnkit's own table or the same values as an initializer): 1e-6 covers 1 ulp of the PE.
    const tol = 1e-6;
    const tasks: PeerTask[] = [
      { name: 'attnkit wasm, encoder (resident)', run: () => encoder.encode(ids), check: () => assertClose('wasm', encoder.encode(ids).inputs, expected, tol), bytes },
      { name: 'attnkit ts, encoder (resident)', run: () => tsEncoder.encode(ids), check: () => assertClose('ts', tsEncoder.encode(ids).inputs, expected, tol), bytes },
      { name: 'onnxruntime-web (wasm)', run: () => webSession.run(webFeeds), check: async () => assertClose('onnxruntime-web', (await webSession.run(webFeeds)).y.data, expected, tol), bytes },
      { name: 'tfjs-backend-wasm', run: tfEncode, check: () => assertClose('tfjs', tfEncode(), expected, tol), bytes },
      { name: 'onnxruntime-node (native)', run: () => nodeSession.run(nodeFeeds), check: async () => assertClose('onnxruntime-node', (await nodeSession.run(nodeFeeds)).y.data, expected, tol), bytes },
      { name: 'naive JS', run: () => naiveEncode(table, ids, pe), check: () => assertClose('naive', naiveEncode(table, ids, pe), expected, 0), bytes },
      { name: 'reference: memory.copy gather in wasm (no PE)', run: rawGather, check: () => (rawGather(), assertClose('memory.copy', gathered(), gatherExpected, 0)), bytes },
    ];
    workloads.push({ title: `${N}-id lookup in ${ROWS}×${E} + sinusoidal PE`, short: 'embedding + PE', rows: await runAll(tasks, 1500) });
    encoder.dispose();
    tsEncoder.dispose();
    tfTable.dispose();
    tfPe.dispose();
    await webSession.release();
    await nodeSession.release();
  }

  if (!SMOKE) writeFileSync(join(HERE, 'peers.svg'), svgChart(workloads.map((w) => ({ ...w, rows: w.rows.filter((r) => !r.name.startsWith('reference')) }))));
  return report(workloads, peers.versions);
}

function report(workloads: Workload[], versions: Record<string, string>): string {
  const [layer, attention, causal, embedding] = workloads;
  const lines: string[] = [
    '## attnkit and its peers, side by side',
    '',
    machine(),
    `- versions: attnkit ${versions.attnkit}; onnxruntime-web ${versions['onnxruntime-web']} (wasm backend, \`numThreads = 1\`, SIMD); ` +
      `@tensorflow/tfjs-core ${versions['@tensorflow/tfjs-core']} + tfjs-backend-wasm ${versions['@tensorflow/tfjs-backend-wasm']} (single-threaded SIMD build); ` +
      `onnxruntime-node ${versions['onnxruntime-node']} (native CPU, \`intraOpNumThreads = 1\`)`,
    '- the machine is shared with other engineers\' jobs (2 cores): one process, one run; peer cells are bimodal from one process to the next, so compare over several runs',
    '',
    'All runners in one process (`bench/peers.bench.ts`); every output is checked against attnkit wasm\'s before timing (1e-4 on the attention outputs, 1e-6 on embedding + PE). ' +
      'ORT runs models written by `scripts/onnx/export.py` (python3-torch; `nn.MultiheadAttention` and softmax(q·kᵀ/8)·v with q, k, v in BSHD, causal by `masked_fill(triu, -inf)`), graph optimisation `all`. ' +
      'tfjs: weights transposed once, fused matMul + bias, Kᵀ once per call, one 2-D matMul per head, the causal mask a constant. ' +
      'Naive JS: plain nested loops (f64 sums). Fast cells: tinybench with its default warm-up and ≥ 1.5 s of samples; ' +
      '**slow cells (≥ ~0.2 s a call) are timed over few calls, as the samples column says** (after 0–2 untimed warm-up calls; the output check is one more untimed call).',
    '',
    '| workload | attnkit wasm | attnkit ts | onnxruntime-web wasm | tfjs-backend-wasm | onnxruntime-node native | naive JS |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const w of workloads) {
    const cells = RUNNERS.map((name) => {
      const r = find(w, name);
      return `${ms(r.medianMs)} ms${r.flops ? ` (${gflops(r)})` : ''}`;
    });
    lines.push(`| ${w.title.replace(' (GFLOP/s counts the unmasked half)', '')} | ${cells.join(' | ')} |`);
  }
  lines.push('', 'Median ms (GFLOP/s); attnkit wasm is the resident layer / encoder where there is one.', '');
  for (const w of workloads) lines.push(`### ${w.title}`, '', rowTable(w, fasterWasmPeer(w)), '');

  const verdict = (ok: boolean) => (ok ? '**met**' : '**not met**');
  const speedup = (w: Workload, name: string) => fasterWasmPeer(w).medianMs / find(w, name).medianMs;
  const layerRow = find(layer, 'attnkit wasm, resident');
  const layerGflops = layerRow.flops! / layerRow.medianMs / 1e6;
  const tsOverNaive = [layer, attention, causal].map((w) => find(w, 'naive JS').medianMs / find(w, 'attnkit ts').medianMs);
  const enc = find(embedding, 'attnkit wasm, encoder');
  const gatherRow = find(embedding, 'reference: memory.copy');
  const ortNodeEmb = find(embedding, 'onnxruntime-node');
  const bandwidth = gatherRow.medianMs / enc.medianMs;
  lines.push(
    '### Targets (ratios from this run)',
    '',
    '| target | measured | verdict |',
    '|---|---|---|',
    `| layer S512, wasm, 1 thread: ≥ 35 GFLOP/s and ≥ 1.25× the faster wasm peer | ${layerGflops.toFixed(1)} GFLOP/s, ${speedup(layer, 'attnkit wasm, resident').toFixed(2)}× ${fasterWasmPeer(layer).name} (stateless: ${speedup(layer, 'attnkit wasm, stateless').toFixed(2)}×) | ${verdict(layerGflops >= 35 && speedup(layer, 'attnkit wasm, resident') >= 1.25)} |`,
    `| bare attention S2048: ≥ 1.4× the faster wasm peer | ${speedup(attention, 'attnkit wasm').toFixed(2)}× ${fasterWasmPeer(attention).name} | ${verdict(speedup(attention, 'attnkit wasm') >= 1.4)} |`,
    `| causal attention S2048: ≥ 2.5× the faster wasm peer | ${speedup(causal, 'attnkit wasm').toFixed(2)}× ${fasterWasmPeer(causal).name} | ${verdict(speedup(causal, 'attnkit wasm') >= 2.5)} |`,
    `| embedding + PE: ≥ 85 % of the memory.copy gather bandwidth | ${(100 * bandwidth).toFixed(0)} % (${ms(enc.medianMs)} ms vs ${ms(gatherRow.medianMs)} ms for the bare gather) | ${verdict(bandwidth >= 0.85)} |`,
    `| embedding + PE: ≥ onnxruntime-node | ${(ortNodeEmb.medianMs / enc.medianMs).toFixed(2)}× (${ms(enc.medianMs)} vs ${ms(ortNodeEmb.medianMs)} ms) | ${verdict(enc.medianMs <= ortNodeEmb.medianMs)} |`,
    `| ts backend ≥ 3× naive JS on the attention workloads | layer ${tsOverNaive[0].toFixed(2)}×, attention ${tsOverNaive[1].toFixed(2)}×, causal ${tsOverNaive[2].toFixed(2)}× | ${verdict(tsOverNaive.every((r) => r >= 3))} |`,
    '| long sequences (S8192, S16384) | see the long-sequence section | |',
    '| 2 threads on 2 cores ≥ 1.7× | see the threads section (`bench/threads.bench.ts`) | |',
    '',
    'Chart of the medians: [peers.svg](peers.svg).',
  );
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { writeSection } = await import('./harness.js');
  const section = await peersBench();
  if (!SMOKE) writeSection('peers', section);
  console.log(section);
  if (!SMOKE) console.log('bench/RESULTS.md: peers section written; bench/peers.svg');
}
