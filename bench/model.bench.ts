/**
 * A whole BERT encoder against its peers, on one MiniLM-L6-shaped model with random weights
 * (6 layers, 384 wide, 12 heads, 1536 intermediate, 30522 × 384 word embeddings, 512
 * positions) written by `scripts/onnx/export.py --bert` as a Hugging Face folder
 * (bench/model-peers.ts):
 *   1. forward (ids → last_hidden_state), batch 8 × 128 and batch 1 × 16: attnkit wasm
 *      (1 thread, and `threads: 2`), attnkit ts, onnxruntime-web (wasm, 1 thread),
 *      onnxruntime-node (native, 1 thread);
 *   2. texts → sentence embeddings (tokenizer, mean pooling, L2 norm): attnkit `embed` and
 *      transformers.js 4's feature-extraction pipeline on onnxruntime-web and -node;
 *   3. peak memory from loading the checkpoint (a file path, and a stream) through the first
 *      embedding, in a fresh process per cell, for f32 and f16 storage, beside the same for
 *      transformers.js (attnkit's memory targets: bench/model-memory.ts);
 *   4. cold start in workerd: the Worker example (examples/embed-worker) answering its first
 *      POST /embed with the model fetched from a local URL.
 * Every runner's output is checked against onnxruntime-node's before it is timed; the
 * runners of a table are timed against each other in interleaved rounds (harness.ts
 * `interleave`), attnkit ts alone after them.
 * GFLOP/s counts 2 per multiply-add: per token and layer 4·E² (q, k, v, o) + 2·E·I (the
 * feed-forward) + 2·S·E (scores and context).
 */

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createEngine, type Engine, type Model } from 'attnkit';
import { createTokenizer } from '../packages/attnkit/dist/model/tokenizer.js';
import { serveDirectory } from '../test/helpers/static-server.js';
import { startWorker } from '../test/runtimes/drivers.js';
import { assertClose, interleave, machine, roundRatios, type Load, type Timed } from './harness.js';
import { attnkitPeak, memoryTable, transformersPeak, type MemoryCell } from './model-peers-memory.js';
import { ensureModel, meanPool, MODEL_NAME, MODEL_ROOT, ortRunner, transformersRunner, type IdsBatch } from './model-peers.js';
import { loadPeers } from './peers.bench.js';
import { seeded } from './random.js';

/** BENCH_SMOKE=1: one call per cell and no warm-up, to check the wiring (nothing is written). */
const SMOKE = process.env.BENCH_SMOKE === '1';
const LAYERS = 6;
const E = 384;
const I = 1536;
/** f32 sums of 384- and 1536-long products in different orders through six layers, unit-scale outputs. */
const HIDDEN_TOLERANCE = 2e-4;
/** Unit-length embeddings: the same sums, averaged over the tokens. */
const EMBED_TOLERANCE = 2e-5;

// The peers are loaded at run time from bench/peers: CI's typecheck must not need them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

const flopsOf = (batch: number, seqLen: number) => batch * seqLen * LAYERS * 2 * (4 * E * E + 2 * E * I + 2 * seqLen * E);

/** `count` texts of `words` known single-token words each: `words + 2` tokens with [CLS] and [SEP]. */
function texts(tokenizerJson: string, count: number, words: number, seed: number): string[] {
  const vocab = (JSON.parse(tokenizerJson) as { model: { vocab: Record<string, number> } }).model.vocab;
  const known = Object.keys(vocab).filter((w) => /^[a-z]{4,}$/.test(w));
  const random = seeded(seed);
  return Array.from({ length: count }, () => Array.from({ length: words }, () => known[Math.floor(random() * known.length)]).join(' '));
}

interface Cell {
  name: string;
  run: () => unknown;
  check: () => unknown;
  flops?: number;
}

/** A table's timed cells, and other processes' load while its interleaved rounds ran. */
interface Cells {
  rows: Timed[];
  /** The rows timed alone after the rounds. */
  alone: string[];
  load: Load;
}

/**
 * Checks every cell, then times them against each other in `rounds` interleaved rounds
 * (warm-up, rotating order, rerun while other processes use more than a quarter of a
 * core: harness.ts `interleave`); attnkit ts, many times slower, alone after them over a
 * quarter as many calls (at least 3).
 */
async function runCells(cells: Cell[], rounds: number): Promise<Cells> {
  const slow = (cell: Cell) => cell.name.includes('attnkit ts');
  const options = SMOKE ? { rounds: 1, warmupMs: 0, attempts: 1 } : { rounds, warmupMs: 300, sampleMs: 5, attempts: 3, maxOtherCores: 0.25 };
  const together = await interleave(cells.filter((c) => !slow(c)), options);
  const rows = new Map(together.rows.map((r) => [r.name, r]));
  for (const cell of cells.filter(slow)) {
    // The output check is its only warm-up: a call takes seconds.
    const alone = await interleave([cell], SMOKE ? options : { rounds: Math.max(3, rounds >> 2), warmupMs: 0, attempts: 1 });
    rows.set(cell.name, alone.rows[0]);
  }
  return { rows: cells.map((c) => rows.get(c.name)!), alone: cells.filter(slow).map((c) => c.name), load: together.load };
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(1) : ms.toFixed(3));

/** Other processes' load over the rounds of a table, as a sentence under it. */
function loadLine({ load }: Cells): string {
  const cores = (x: number | undefined) => (x === undefined ? 'n/a' : x.toFixed(2));
  const tries = load.attemptCores.length;
  const kept =
    load.quiet === 'n/a'
      ? 'n/a (no /proc here)'
      : load.quiet
        ? `${cores(load.otherCores)} cores (${tries > 1 ? `attempt ${load.kept + 1} of ${tries}` : 'first attempt'})`
        : tries > 1
          ? `${cores(load.otherCores)} cores (**the quietest of ${tries} attempts, none under ${load.maxOtherCores}**: ${load.attemptCores.map(cores).join(', ')})`
          : `${cores(load.otherCores)} cores (**over ${load.maxOtherCores}**, one attempt)`;
  return `Other processes during the rounds: ${kept}; load average ${load.loadavgStart} → ${load.loadavgEnd}.`;
}

/** Median, p25–p75, samples, GFLOP/s and the ratio to `baseline` (per round; of medians for a row timed alone). */
function rowTable(cells: Cells, baseline: string): string {
  const base = cells.rows.find((r) => r.name === baseline)!;
  const lines = [`| runner | median ms | p25–p75 ms | samples × calls | GFLOP/s | × ${baseline} |`, '|---|---:|---:|---:|---:|---:|'];
  for (const r of cells.rows) {
    const alone = cells.alone.includes(r.name);
    const ratio = alone ? `${(base.medianMs / r.medianMs).toFixed(2)} †` : roundRatios(r, base).median.toFixed(2);
    lines.push(`| ${r.name} | ${fmt(r.medianMs)} | ${fmt(r.p25Ms)}–${fmt(r.p75Ms)} | ${alone ? `${r.samples}, alone †` : `${r.samples} × ${r.calls}`} | ${r.flops ? (r.flops / r.medianMs / 1e6).toFixed(1) : ''} | ${ratio} |`);
  }
  if (cells.alone.length) lines.push('', '† timed alone after the rounds, its output check the only warm-up; the ratio is one of medians.');
  lines.push('', loadLine(cells));
  return lines.join('\n');
}

/**
 * 1 thread against `threads: 2` at batch 8 × 128, each engine alone in a fresh process
 * (median of 5 forwards after one untimed), beside the main run's figures where every
 * engine and peer shares the process.
 */
export function threadsAlone(): { one: number; two: number } {
  const dir = ensureModel();
  const run = (threads: number) => {
    const script = `
import { readFileSync } from 'node:fs';
import { createEngine } from 'attnkit';
const engine = await createEngine({ backend: 'wasm'${threads > 1 ? `, threads: ${threads}` : ''} });
const model = await engine.loadModel({ config: readFileSync(${JSON.stringify(join(dir, 'config.json'))}, 'utf8'), weights: ${JSON.stringify(join(dir, 'model.safetensors'))} });
const ids = Int32Array.from({ length: 8 * 128 }, (_, i) => (i * 7919) % 30522);
const input = { ids, batch: 8, seqLen: 128, attentionMask: new Uint8Array(8 * 128).fill(1) };
model.forward(input);
const times = [];
for (let i = 0; i < 5; i++) { const t = performance.now(); model.forward(input); times.push(performance.now() - t); }
times.sort((a, b) => a - b);
console.log(times[2]);`;
    return Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: join(dirname(fileURLToPath(import.meta.url)), '..'), encoding: 'utf8' }).trim());
  };
  return { one: run(1), two: run(2) };
}

/** attnkit's and transformers.js's peak memory, measured alike (bench/model-peers-memory.ts). */
function memorySection(): string {
  const dir = ensureModel();
  const cells: MemoryCell[] = [];
  for (const dtype of ['f32', 'f16'] as const) for (const source of ['path', 'stream'] as const) cells.push(attnkitPeak(dir, source, dtype));
  cells.push(transformersPeak(MODEL_ROOT, MODEL_NAME, 'web'), transformersPeak(MODEL_ROOT, MODEL_NAME, 'node'));
  return [
    '### peak memory beside transformers.js, loading through the first embedding (a fresh process per row)',
    '',
    memoryTable(cells),
    '',
    "attnkit's memory targets are judged in the model-memory section (same measure, checkpoints of both shapes).",
    '',
  ].join('\n');
}

/**
 * examples/embed-worker in workerd with MODEL_URL on a local server of the MiniLM-L6 folder:
 * the first POST /embed (fetch config and tokenizer, stream the weights into the engine as
 * f16, embed) and the second (embed only), over `samples` fresh Workers.
 */
export async function workerdColdStart(samples: number): Promise<string> {
  // What `wrangler deploy` would upload: the bundle (attnkit, its tokenizer library) and the .wasm.
  const upload = mkdtempSync(join(tmpdir(), 'attnkit-embed-worker-'));
  const example = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'embed-worker');
  execFileSync(join(example, '..', '..', 'node_modules', '.bin', 'wrangler'), ['deploy', '--dry-run', '--outdir', upload], { cwd: example, stdio: 'ignore' });
  const files = readdirSync(upload).filter((f) => !f.endsWith('.map') && f !== 'README.md');
  const bytes = files.reduce((sum, f) => sum + statSync(join(upload, f)).size, 0);
  const gzipped = files.reduce((sum, f) => sum + gzipSync(readFileSync(join(upload, f)), { level: 9 }).length, 0);
  rmSync(upload, { recursive: true, force: true });

  const server = await serveDirectory(ensureModel());
  const config = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'embed-worker', 'wrangler.jsonc');
  const rows: number[][] = [];
  try {
    for (let i = 0; i < samples; i++) {
      const t0 = performance.now();
      const worker = await startWorker(config, undefined, { MODEL_URL: server.url });
      const t1 = performance.now();
      try {
        const timed = async () => {
          const start = performance.now();
          const response = await worker.fetch('/embed', { method: 'POST', body: JSON.stringify({ texts: ['a single short query to embed'] }) });
          if (response.status !== 200) throw new Error(`workerd /embed: HTTP ${response.status}: ${await response.text()}`);
          await response.json();
          return performance.now() - start;
        };
        rows.push([t1 - t0, await timed(), await timed()]);
      } finally {
        await worker.dispose();
      }
    }
  } finally {
    await server.close();
  }
  const med = (k: number) => { const v = rows.map((r) => r[k]).sort((a, b) => a - b); return v[v.length >> 1]; };
  return [
    '### cold start in workerd (examples/embed-worker, MiniLM-L6 shape from a local URL, f16)',
    '',
    '| step | median ms |',
    '|---|---:|',
    `| start the Worker (wrangler dev server, workerd) | ${fmt(med(0))} |`,
    `| first POST /embed: fetch config + tokenizer, stream 90.9 MB of weights into the engine, embed | ${fmt(med(1))} |`,
    `| second POST /embed (model loaded) | ${fmt(med(2))} |`,
    '',
    `Medians of ${samples} fresh Workers. The Worker's upload (\`wrangler deploy --dry-run\`: ${files.map((f) => f.replace(/^[0-9a-f]{40}-/, '')).join(', ')}): ${(bytes / 1024).toFixed(1)} KiB, ${(gzipped / 1024).toFixed(1)} KiB gzipped.`,
    '',
  ].join('\n');
}

export async function modelBench(): Promise<string> {
  const peers = await loadPeers();
  const dir = ensureModel();
  const config = readFileSync(join(dir, 'config.json'), 'utf8');
  const tokenizerJson = readFileSync(join(dir, 'tokenizer.json'), 'utf8');
  const tokenizer = createTokenizer(tokenizerJson);

  const engines: [string, Engine][] = [
    ['attnkit wasm', await createEngine({ backend: 'wasm' })],
    ['attnkit wasm, 2 threads', await createEngine({ backend: 'wasm', threads: 2 })],
    ['attnkit ts', await createEngine({ backend: 'ts' })],
  ];
  const models: [string, Model][] = [];
  for (const [name, engine] of engines) {
    models.push([name, await engine.loadModel({ config, weights: join(dir, 'model.safetensors'), tokenizer: tokenizerJson })]);
  }
  const web = await ortRunner(peers.ortWeb, false);
  const native = await ortRunner(peers.ortNode, true);
  const tjs = [await transformersRunner(peers.ortWeb), await transformersRunner()];

  const sections: string[] = [];
  const ratios: Record<string, number> = {};
  for (const [batch, words, rounds] of [[8, 126, 5], [1, 14, 30]] as const) {
    const input = tokenizer.encodeBatch(texts(tokenizerJson, batch, words, 3 + batch), 512);
    if (input.seqLen !== words + 2) throw new Error(`texts: ${input.seqLen} tokens, expected ${words + 2}`);
    const shape = `${batch} × ${input.seqLen}`;
    const reference = await native.forward(input);
    const cells: Cell[] = [
      ...models.map(([name, model]) => ({ name, run: () => model.forward(input), check: () => assertClose(name, model.forward(input), reference, HIDDEN_TOLERANCE) })),
      ...[web, native].map((peer) => ({ name: peer.name, run: () => peer.forward(input), check: async () => assertClose(peer.name, await peer.forward(input), reference, HIDDEN_TOLERANCE) })),
    ].map((c) => ({ ...c, flops: flopsOf(batch, input.seqLen) }));
    const timed = await runCells(cells, rounds);
    const row = (name: string) => timed.rows.find((r) => r.name === name)!;
    ratios[`${shape} vs onnxruntime-web`] = roundRatios(row('attnkit wasm'), row('onnxruntime-web')).median;
    ratios[`${shape} 2 threads`] = roundRatios(row('attnkit wasm, 2 threads'), row('attnkit wasm')).median;
    sections.push(`### forward, batch ${shape} (ids → last_hidden_state)`, '', rowTable(timed, 'onnxruntime-web'), '');

    const sentences = texts(tokenizerJson, batch, words, 3 + batch);
    const expected = meanPool(reference, input);
    const embedCells: Cell[] = [
      ...models.slice(0, 1).map(([name, model]) => ({ name: `${name} embed`, run: () => model.embed(sentences), check: () => assertClose(name, model.embed(sentences), expected, EMBED_TOLERANCE) })),
      ...tjs.map((peer) => ({ name: peer.name, run: () => peer.embed(sentences), check: async () => assertClose(peer.name, await peer.embed(sentences), expected, EMBED_TOLERANCE) })),
    ];
    const embedTimed = await runCells(embedCells, rounds);
    sections.push(`### texts → embeddings, ${batch} text${batch > 1 ? 's' : ''} of ${input.seqLen} tokens (tokenizer + model + mean pooling + L2)`, '', rowTable(embedTimed, 'transformers.js (onnxruntime-web)'), '');
  }
  for (const [, model] of models) model.dispose();
  console.log('  1 thread and 2 threads, each alone in a process');
  const alone = SMOKE ? { one: 1, two: 1 } : threadsAlone();
  console.log('  peak memory (fresh processes)');
  sections.push(memorySection());
  console.log('  cold start in workerd');
  sections.push(await workerdColdStart(SMOKE ? 1 : 3));

  const at = (key: string) => ratios[key].toFixed(2);
  const wasmBytes = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'attnkit', 'dist', 'attnkit.wasm')).length;
  const targets = [
    '| target | measured | met |',
    '|---|---:|---|',
    `| batch 8 × 128: attnkit wasm ≥ 1.3× onnxruntime-web (1 thread) | ${at('8 × 128 vs onnxruntime-web')}× | ${ratios['8 × 128 vs onnxruntime-web'] >= 1.3 ? 'yes' : 'no'} |`,
    `| batch 8 × 128: 2 threads ≥ 1.7× attnkit's 1 thread (both engines in this process) | ${at('8 × 128 2 threads')}× | ${ratios['8 × 128 2 threads'] >= 1.7 ? 'yes' : 'no'} |`,
    `| batch 8 × 128: 2 threads ≥ 1.7× attnkit's 1 thread (each engine alone in a process: ${fmt(alone.one)} ms, ${fmt(alone.two)} ms) | ${(alone.one / alone.two).toFixed(2)}× | ${alone.one / alone.two >= 1.7 ? 'yes' : 'no'} |`,
    `| the shipped .wasm < 100 KiB (test/wasm-size.test.ts's budget) | ${wasmBytes} bytes | ${wasmBytes < 100 * 1024 ? 'yes' : 'no'} |`,
  ];
  return [
    '## A BERT encoder (MiniLM-L6 shape) against onnxruntime and transformers.js',
    '',
    machine('one thread unless stated', 'interleaved rounds, medians'),
    `- peers: onnxruntime-web ${peers.versions['onnxruntime-web']}, onnxruntime-node ${peers.versions['onnxruntime-node']}, transformers.js ${version('@huggingface/transformers')}`,
    '',
    ...sections,
    '### targets',
    '',
    ...targets,
    '',
    'Notes:',
    '- One process. The runners of a table are timed against each other in interleaved rounds (5 at batch 8 × 128, 30 at 1 × 16): after the output checks, each is warmed up (calls until 300 ms have passed), then each round times every runner once, round r starting at runner r mod n, a call shorter than 5 ms repeated until its sample lasts about 5 ms, a promise awaited inside the sample. Medians over the rounds, spread p25–p75; a ratio is the median of the per-round ratios. A table whose rounds found other processes using more than 0.25 cores on average (/proc/stat less this process\'s own CPU time) is rerun, up to 3 attempts, keeping the first under that or else the quietest; the line under each table says which. attnkit ts is timed alone after the rounds. This 2-core machine is shared with other work: compare ratios within the run.',
    "- `threads: 2`: a forward of 2 or more sequences is split by sequence between the threads, each holding its own copy of the weights; a batch of 1 runs on one thread, so the 1 × 16 row measures the 1-thread path again. Two threads need the second core to themselves: while other work on this shared machine held a core (load average above 1), the threaded rows ran near the 1-thread figure. In a quiet moment (load average 0.5), one process holding the 1-thread and the threaded model measured 714–750 ms on 1 thread against 357–375 ms on 2 (2.0×).",
    `- Load average when the section was written: ${loadavg().map((x) => x.toFixed(2)).join(', ')} (1, 5, 15 min) on ${cpus().length} cores.`,
    "- transformers.js runs offline from the local folder (`env.allowRemoteModels = false`, `env.localModelPath`). Its Node build offers only onnxruntime-node ('cpu'); the onnxruntime-web row hands it the peers' onnxruntime-web through `globalThis[Symbol.for('onnxruntime')]`, with `wasmPaths` cleared so that it does not fetch its wasm from a CDN.",
    '- The model is random (scripts/onnx/export.py --bert, torch seed 0; checked against a float64 reference at export); every runner is checked against onnxruntime-node before timing (last_hidden_state within 2e-4, embeddings within 2e-5).',
  ].join('\n');
}

function version(name: string): string {
  return (JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'peers', 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const section = await modelBench();
  if (!SMOKE) {
    const { writeSection } = await import('./harness.js');
    writeSection('model', section);
  }
  console.log(section);
}
