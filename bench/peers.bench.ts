/**
 * attnkit side by side with its peers (the targets' table): attnkit wasm (resident and
 * stateless) and ts, onnxruntime-web 1.30 (wasm, 1 thread), @tensorflow/tfjs-backend-wasm
 * 4.22 (1 thread), onnxruntime-node 1.30 (native CPU, 1 thread) and a naive JS baseline
 * (plain nested loops), on
 *   - the self-attention layer, batch 1, S 512, E 768, 12 heads,
 *   - bare attention 12 heads × 64 at S 2048, plain and causal,
 *   - a 512-id lookup in a 30522×768 table + sinusoidal PE.
 * Every runner's output is checked against attnkit wasm's before it is timed. Each peer is
 * in its fastest honest form: ORT runs models exported once by scripts/onnx/export.py
 * (weights as initializers, graph optimisation 'all'); tfjs with weights transposed once,
 * fused matMul+bias, K transposed once per call and one 2-D matMul per head.
 * A workload's runners are timed against each other in interleaved rounds in one process
 * (harness.ts `interleave`: rotating order, rerun while other processes are busy); attnkit
 * ts and naive JS, seconds a call on the layer and bare attention, are timed alone after
 * the rounds. A run is one process:
 *   tsx bench/peers.bench.ts             one run in this process, into RESULTS.md's peers section
 *   tsx bench/peers.bench.ts --runs 3    three runs, each in its own child process, side by
 *                                        side (the targets' measure; `pnpm bench` runs this)
 *   tsx bench/peers.bench.ts --json F    one run, its figures as JSON into F (a child's job)
 * BENCH_SMOKE=1: tiny sizes and few rounds, two runs in child processes unless --runs says
 * otherwise; writes nothing but bench/.out.
 * The peers live in bench/peers (not in the workspace); bench/peers/install.sh installs them.
 * GFLOP/s counts 2 per multiply-add: the layer 8·S·E² + 4·S²·E, attention 4·H·S²·D (causal: half).
 */

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine, type Engine } from 'attnkit';
import { gatherModule } from './gather.js';
import { assertClose, interleave, machine, roundRatios, writeSection, type Load, type Runner, type Spread, type Timed } from './harness.js';
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
/** BENCH_SMOKE=1: tiny sizes and few rounds, to check the wiring without timing anything real. */
const SMOKE = process.env.BENCH_SMOKE === '1';
const S_LAYER = SMOKE ? 64 : 512;
const S_ATTENTION = SMOKE ? 256 : 2048;
/** Interleaved rounds per attempt: fewer where a round takes seconds (bare attention). */
const ROUNDS = SMOKE ? { layer: 3, attention: 3, embedding: 5 } : { layer: 15, attention: 9, embedding: 31 };
/** Warm-up, sample length and load rule of every workload (harness.ts `interleave`). */
const TIMING = { warmupMs: 300, sampleMs: 5, attempts: 3, maxOtherCores: 0.25 };

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

interface PeerTask extends Runner {
  /** A reference runner of seconds a call: timed alone over this many calls after the rounds. */
  alone?: number;
}

/** One workload of one run. */
export interface Workload {
  title: string;
  /** e.g. 'attention S2048'. */
  short: string;
  /** Every runner's row, in the order of the workload's runners. */
  rows: Timed[];
  /** The rows timed alone after the rounds (not in them). */
  alone: string[];
  /** Rounds of the kept attempt. */
  rounds: number;
  /** Other processes while the rounds ran. */
  load: Load;
}

/** One run (one process): what the report is made of, and what `--json` writes. */
export interface PeersRun {
  versions: Record<string, string>;
  workloads: Workload[];
}

/** Times a workload: its runners in interleaved rounds, then each `alone` runner by itself. */
async function runWorkload(title: string, short: string, tasks: PeerTask[], rounds: number): Promise<Workload> {
  const together = await interleave(tasks.filter((t) => !t.alone), { rounds, ...TIMING });
  const rows = new Map(together.rows.map((r) => [r.name, r]));
  for (const task of tasks.filter((t) => t.alone)) {
    // The output check is its only warm-up: a call takes seconds.
    const alone = await interleave([task], { rounds: task.alone!, warmupMs: 0, attempts: 1 });
    rows.set(task.name, alone.rows[0]);
  }
  return { title, short, rows: tasks.map((t) => rows.get(t.name)!), alone: tasks.filter((t) => t.alone).map((t) => t.name), rounds: together.rounds, load: together.load };
}

/** Runs the benchmark `runs` times, each in its own process (this file with `--json`), one after another. */
function runInProcesses(runs: number): PeersRun[] {
  mkdirSync(OUT, { recursive: true });
  const results: PeersRun[] = [];
  for (let i = 1; i <= runs; i++) {
    console.log(`peers: run ${i} of ${runs}, in its own process`);
    const json = join(OUT, `peers-run-${i}${SMOKE ? '-smoke' : ''}.json`);
    rmSync(json, { force: true });
    // process.execArgv carries tsx's loader, so the child runs this TypeScript file as the parent does.
    execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--json', json], { stdio: 'inherit' });
    results.push(JSON.parse(readFileSync(json, 'utf8')) as PeersRun);
  }
  return results;
}

// ---- the report ----

const RUNNERS = ['attnkit wasm', 'attnkit ts', 'onnxruntime-web', 'tfjs-backend-wasm', 'onnxruntime-node', 'naive JS'] as const;

function ms(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(3);
}

function gflops(r: Timed): string {
  return r.flops ? (r.flops / r.medianMs / 1e6).toFixed(1) : '';
}

/** `x` cores; 'n/a' without /proc (undefined, or null once through JSON). */
function cores(x: number | null | undefined): string {
  return x == null ? 'n/a' : x.toFixed(2);
}

function find(w: Workload, prefix: string): Timed {
  const row = w.rows.find((r) => r.name.startsWith(prefix));
  if (!row) throw new Error(`${w.short}: no row ${prefix}`);
  return row;
}

/** Of onnxruntime-web and tfjs-backend-wasm, the one with the lower median. */
function fasterWasmPeer(w: Workload): Timed {
  const a = find(w, 'onnxruntime-web');
  const b = find(w, 'tfjs-backend-wasm');
  return a.medianMs <= b.medianMs ? a : b;
}

/** How many times faster `name` ran than the faster wasm peer, round by round. */
function overPeer(w: Workload, name: string): Spread {
  return roundRatios(find(w, name), fasterWasmPeer(w));
}

/** '1.62× (1.58–1.66)': the median of per-round ratios and their p25–p75. */
function times(s: Spread): string {
  return `${s.median.toFixed(2)}× (${s.p25.toFixed(2)}–${s.p75.toFixed(2)})`;
}

function peerShort(r: Timed): string {
  return r.name.startsWith('onnxruntime-web') ? 'onnxruntime-web' : r.name;
}

/** Other processes' load over a workload's rounds, in a few words (for a table cell). */
function loadCell(w: Workload): string {
  const l = w.load;
  if (l.quiet === 'n/a') return 'n/a';
  const tries = l.attemptCores.length;
  return `${cores(l.otherCores)} (${l.quiet ? (tries > 1 ? `attempt ${l.kept + 1} of ${tries}` : '1 attempt') : `quietest of ${tries} attempts, none under ${l.maxOtherCores}`})`;
}

/** Other processes' load over a workload's rounds, as a sentence under its table. */
function loadLine(w: Workload): string {
  const l = w.load;
  const tries = l.attemptCores.map(cores).join(', ');
  const attempts = l.attemptCores.length;
  const head =
    l.quiet === 'n/a'
      ? 'Other processes: n/a (no /proc here), one attempt'
      : l.quiet
        ? `Other processes used ${cores(l.otherCores)} cores on average over the ${w.rounds} rounds (busiest round ${cores(l.busiestRoundCores)}); ${attempts > 1 ? `attempt ${l.kept + 1} of ${attempts} kept (each attempt: ${tries})` : 'first attempt'}`
        : `**No attempt had other processes under ${l.maxOtherCores} cores (each attempt: ${tries}); the quietest, attempt ${l.kept + 1} of ${attempts}, is kept** (busiest round ${cores(l.busiestRoundCores)})`;
  return `${head}; load average ${l.loadavgStart} → ${l.loadavgEnd}.`;
}

/** A workload's rows: median, p25–p75, samples, throughput and the ratio to the faster wasm peer. */
function rowTable(w: Workload): string {
  const peer = fasterWasmPeer(w);
  const lines = [`| runner | median ms | p25–p75 ms | samples × calls | throughput | × ${peer.name} |`, '|---|---:|---:|---:|---:|---:|'];
  for (const r of w.rows) {
    const alone = w.alone.includes(r.name);
    const throughput = r.flops ? `${gflops(r)} GFLOP/s` : r.bytes ? `${(r.bytes / r.medianMs / 1e6).toFixed(1)} GB/s` : '';
    const ratio = alone ? `${(peer.medianMs / r.medianMs).toFixed(2)} †` : roundRatios(r, peer).median.toFixed(2);
    const samples = alone ? `${r.samples}, alone †` : `${r.samples} × ${r.calls}`;
    lines.push(`| ${r.name} | ${ms(r.medianMs)} | ${ms(r.p25Ms)}–${ms(r.p75Ms)} | ${samples} | ${throughput} | ${ratio} |`);
  }
  if (w.alone.length) lines.push('', '† timed alone after the rounds, its output check the only warm-up; the ratio is one of medians.');
  return lines.join('\n');
}

/** Per-round ratios of every other interleaved runner to each attnkit wasm runner. */
function roundTable(w: Workload): string {
  const lines = ['| per round: runner ms ÷ attnkit ms | median | p25–p75 | min–max |', '|---|---:|---:|---:|'];
  const bases = w.rows.filter((r) => r.name.startsWith('attnkit wasm'));
  const others = w.rows.filter((r) => !r.name.startsWith('attnkit') && !w.alone.includes(r.name));
  for (const base of bases) {
    for (const other of others) {
      const s = roundRatios(base, other);
      lines.push(`| ${other.name} ÷ ${base.name} | ${s.median.toFixed(2)} | ${s.p25.toFixed(2)}–${s.p75.toFixed(2)} | ${s.min.toFixed(2)}–${s.max.toFixed(2)} |`);
    }
  }
  return lines.join('\n');
}

/** Horizontal bars of the medians, one panel per workload, log scale (naive JS is 10–100× the rest). */
function svgChart(workloads: Workload[], caption: string): string {
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
    `<text x="10" y="20" font-size="14" font-weight="bold">${esc(caption)}</text>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

/** One run's targets: what was measured, and whether it met the target. */
function runTargets(run: PeersRun): { target: string; measured: string; ok: boolean }[] {
  const [layer, attention, causal, embedding] = run.workloads;
  const resident = overPeer(layer, 'attnkit wasm, resident');
  const stateless = overPeer(layer, 'attnkit wasm, stateless');
  const layerRow = find(layer, 'attnkit wasm, resident');
  const layerGflops = layerRow.flops! / layerRow.medianMs / 1e6;
  const bare = overPeer(attention, 'attnkit wasm');
  const masked = overPeer(causal, 'attnkit wasm');
  const enc = find(embedding, 'attnkit wasm, encoder');
  const gather = find(embedding, 'reference: memory.copy');
  const ortNode = find(embedding, 'onnxruntime-node');
  // Per round, the gather's time ÷ the encoder's: the fraction of the gather's speed the encoder reaches.
  const bandwidth = roundRatios(enc, gather);
  const overOrtNode = roundRatios(enc, ortNode);
  const tsOverNaive = [layer, attention, causal].map((w) => find(w, 'naive JS').medianMs / find(w, 'attnkit ts').medianMs);
  return [
    {
      target: 'layer S512, wasm, 1 thread, resident: ≥ 1.3× the faster wasm peer',
      measured: `${times(resident)} ${peerShort(fasterWasmPeer(layer))}; stateless ${times(stateless)}`,
      ok: resident.median >= 1.3,
    },
    // An absolute speed, unlike the ratios: it moves with the machine's state as a whole.
    { target: 'layer S512, wasm, 1 thread, resident: ≥ 35 GFLOP/s', measured: `${layerGflops.toFixed(1)} GFLOP/s`, ok: layerGflops >= 35 },
    { target: 'bare attention S2048: ≥ 1.4× the faster wasm peer', measured: `${times(bare)} ${peerShort(fasterWasmPeer(attention))}`, ok: bare.median >= 1.4 },
    { target: 'causal attention S2048: ≥ 2.5× the faster wasm peer', measured: `${times(masked)} ${peerShort(fasterWasmPeer(causal))}`, ok: masked.median >= 2.5 },
    {
      target: 'embedding + PE: ≥ 85 % of the memory.copy gather bandwidth',
      measured: `${(100 * bandwidth.median).toFixed(0)} % (${ms(enc.medianMs)} ms vs ${ms(gather.medianMs)} ms for the bare gather)`,
      ok: bandwidth.median >= 0.85,
    },
    { target: 'embedding + PE: ≥ onnxruntime-node', measured: `${times(overOrtNode)}; ${ms(enc.medianMs)} vs ${ms(ortNode.medianMs)} ms`, ok: overOrtNode.median >= 1 },
    {
      target: 'ts backend ≥ 3× naive JS on the attention workloads',
      measured: `layer ${tsOverNaive[0].toFixed(2)}×, attention ${tsOverNaive[1].toFixed(2)}×, causal ${tsOverNaive[2].toFixed(2)}×`,
      ok: tsOverNaive.every((r) => r >= 3),
    },
  ];
}

/** The peers section: how it was measured, the runs' key ratios side by side, the targets, each run's tables. */
function report(runs: PeersRun[]): string {
  const n = runs.length;
  const versions = runs[0].versions;
  const [layer, attention, causal, embedding] = runs[0].workloads;
  const cols = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const runNames = runs.map((_, i) => `run ${i + 1}`);
  const lines: string[] = [
    '## attnkit and its peers, side by side',
    '',
    machine('one thread', `interleaved rounds, medians; ${n === 1 ? 'one run, in one process' : `${n} runs, each in its own process`}`),
    `- versions: attnkit ${versions.attnkit}; onnxruntime-web ${versions['onnxruntime-web']} (wasm backend, \`numThreads = 1\`, SIMD); ` +
      `@tensorflow/tfjs-core ${versions['@tensorflow/tfjs-core']} + tfjs-backend-wasm ${versions['@tensorflow/tfjs-backend-wasm']} (single-threaded SIMD build); ` +
      `onnxruntime-node ${versions['onnxruntime-node']} (native CPU, \`intraOpNumThreads = 1\`)`,
    `- the machine (${cpus().length} cores) is shared with other work: each cell states how many cores other processes used while it was timed`,
    '',
    "Every output is checked against attnkit wasm's before timing (1e-4 on the attention outputs, 1e-6 on embedding + PE). " +
      'ORT runs models written by `scripts/onnx/export.py` (python3-torch; `nn.MultiheadAttention` and softmax(q·kᵀ/8)·v with q, k, v in BSHD, causal by `masked_fill(triu, -inf)`), graph optimisation `all`. ' +
      'tfjs: weights transposed once, fused matMul + bias, Kᵀ once per call, one 2-D matMul per head, the causal mask a constant. ' +
      'Naive JS: plain nested loops (f64 sums).',
    '',
    'How the ratios are measured (`interleave` in `bench/harness.ts`):',
    `- ${n === 1 ? 'One run in one process (`tsx bench/peers.bench.ts`).' : `${n} runs, one after another, each in its own process (\`tsx bench/peers.bench.ts --runs ${n}\`, which \`pnpm bench\` runs with 3).`} ` +
      'In a workload, attnkit wasm (resident and stateless for the layer), onnxruntime-web, tfjs-backend-wasm and onnxruntime-node (for embedding + PE also attnkit ts, naive JS and the memory.copy gather) are timed in interleaved rounds.',
    `- After the output checks, each runner is warmed up (calls until ${TIMING.warmupMs} ms have passed, at least one). ` +
      'Then each round times every runner once, round r starting at runner r mod n, so that a slow spell of the machine falls on all of them. ' +
      `A sample of a call shorter than ${TIMING.sampleMs} ms repeats it until the sample lasts about ${TIMING.sampleMs} ms (ms per call = the sample ÷ its calls); ORT's \`run\` returns a promise, awaited inside the sample.`,
    `- A runner's time is its median over the rounds (${ROUNDS.layer} for the layer, ${ROUNDS.attention} for bare attention, ${ROUNDS.embedding} for embedding + PE), its spread p25–p75. ` +
      "A ratio is the median over the rounds of the peer's ms ÷ attnkit's ms in the same round, shown with the p25–p75 of those ratios (min–max in the per-round tables). " +
      'The faster wasm peer is whichever of onnxruntime-web and tfjs-backend-wasm has the lower median.',
    "- Other processes' load during a workload: Δ busy jiffies of /proc/stat's `cpu` line (user + nice + system + irq + softirq + steal) less Δ of this process's utime + stime (all its threads), ÷ (Δ wall × CLK_TCK), i.e. cores used by other processes. " +
      `A workload whose rounds averaged more than ${TIMING.maxOtherCores} cores is run again, up to ${TIMING.attempts} attempts; the first attempt under ${TIMING.maxOtherCores} is kept, else the quietest, which its cell says. The load average (/proc/loadavg) is noted before and after.`,
    '- attnkit ts and naive JS on the layer and bare attention (seconds a call) are not in the rounds: each is timed alone after them over 1–3 calls, its output check the only warm-up, and its ratio is one of medians.',
    '',
    `### ${n === 1 ? 'Key ratios' : `${n} runs side by side`} (× the faster wasm peer: median of the per-round ratios, p25–p75)`,
    '',
    cols(['key ratio', ...runNames]),
    `|---|${runs.map(() => '---|').join('')}`,
  ];
  const key: [string, (run: PeersRun) => string][] = [
    [`${layer.short}, resident`, (r) => `${times(overPeer(r.workloads[0], 'attnkit wasm, resident'))} ${peerShort(fasterWasmPeer(r.workloads[0]))}`],
    [`${layer.short}, stateless`, (r) => `${times(overPeer(r.workloads[0], 'attnkit wasm, stateless'))} ${peerShort(fasterWasmPeer(r.workloads[0]))}`],
    [`${layer.short}, resident GFLOP/s`, (r) => gflops(find(r.workloads[0], 'attnkit wasm, resident'))],
    [attention.short, (r) => `${times(overPeer(r.workloads[1], 'attnkit wasm'))} ${peerShort(fasterWasmPeer(r.workloads[1]))}`],
    [causal.short, (r) => `${times(overPeer(r.workloads[2], 'attnkit wasm'))} ${peerShort(fasterWasmPeer(r.workloads[2]))}`],
    ...[layer, attention, causal, embedding].map((w, i): [string, (run: PeersRun) => string] => [`other processes, cores: ${w.short}`, (r) => loadCell(r.workloads[i])]),
  ];
  for (const [label, cell] of key) lines.push(cols([label, ...runs.map(cell)]));

  const perRun = runs.map(runTargets);
  lines.push('', '### Targets', '', cols(['target', ...runNames, 'verdict']), `|---|${runs.map(() => '---|').join('')}---|`);
  for (const [t, { target }] of perRun[0].entries()) {
    const met = perRun.filter((targets) => targets[t].ok).length;
    const verdict = met < n ? `**not met** (met in ${met} of ${n} run${n > 1 ? 's' : ''})` : n >= 3 ? `**met** in every run (${n})` : `met in ${n === 1 ? 'the one run' : 'both runs'}; **not judged**: the targets count three runs`;
    lines.push(cols([target, ...perRun.map((targets) => `${targets[t].measured}: ${targets[t].ok ? 'met' : 'not met'}`), verdict]));
  }
  const blank = runs.map(() => '');
  lines.push(
    cols(['long sequences (S8192, S16384)', 'see the long-sequence section', ...blank.slice(1), '']),
    cols(['2 threads on 2 cores ≥ 1.7×', 'see the threads section (`bench/threads.bench.ts`)', ...blank.slice(1), '']),
    '',
    'A target is met when it is met in each of three runs, each in its own process.',
  );

  for (const [i, run] of runs.entries()) {
    lines.push('', n === 1 ? '### The run' : `### Run ${i + 1} of ${n}`, '');
    lines.push(cols(['workload', 'attnkit wasm', 'attnkit ts', 'onnxruntime-web wasm', 'tfjs-backend-wasm', 'onnxruntime-node native', 'naive JS', 'other processes, cores']), '|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const w of run.workloads) {
      const cells = RUNNERS.map((name) => {
        const r = find(w, name);
        return `${ms(r.medianMs)} ms${r.flops ? ` (${gflops(r)})` : ''}`;
      });
      lines.push(cols([w.title.replace(' (GFLOP/s counts the unmasked half)', ''), ...cells, loadCell(w)]));
    }
    lines.push('', 'Median ms (GFLOP/s); attnkit wasm is the resident layer / encoder where there is one.', '');
    for (const w of run.workloads) lines.push(`#### ${w.title}`, '', rowTable(w), '', roundTable(w), '', loadLine(w), '');
  }
  lines.push(`Chart of the medians${n > 1 ? ' (run 1)' : ''}: [peers.svg](peers.svg).`);
  return lines.join('\n');
}

// ---- the benchmark ----

/** One run in this process: checks and times every workload. */
export async function peersRun(): Promise<PeersRun> {
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
      { name: 'attnkit ts, resident', run: () => tsLayer.forward(x, { seqLen: S }), check: () => assertClose('ts', tsLayer.forward(x, { seqLen: S }).output, reference, tol), flops, alone: 3 },
      { name: 'onnxruntime-web (wasm)', run: () => webSession.run(webFeeds), check: async () => assertClose('onnxruntime-web', (await webSession.run(webFeeds)).y.data, reference, tol), flops },
      { name: 'tfjs-backend-wasm', run: tfLayer, check: () => assertClose('tfjs', tfLayer(), reference, tol), flops },
      { name: 'onnxruntime-node (native)', run: () => nodeSession.run(nodeFeeds), check: async () => assertClose('onnxruntime-node', (await nodeSession.run(nodeFeeds)).y.data, reference, tol), flops },
      { name: 'naive JS', run: () => naiveSelfAttention(x, params, S), check: () => assertClose('naive', naiveSelfAttention(x, params, S), reference, tol), flops, alone: 2 },
    ];
    workloads.push(await runWorkload(`Self-attention layer, batch 1, S ${S}, E ${E}, ${H} heads`, `layer S${S}`, tasks, ROUNDS.layer));
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
        { name: 'attnkit wasm', run: () => wasm.attention(q, k, v, opts), check: () => assertClose('wasm', wasm.attention(q, k, v, opts).output, reference, 0), flops },
        { name: 'attnkit ts', run: () => ts.attention(q, k, v, opts), check: () => assertClose('ts', ts.attention(q, k, v, opts).output, reference, tol), flops, alone: 2 },
        { name: 'onnxruntime-web (wasm)', run: () => webSession.run(webFeeds), check: async () => assertClose('onnxruntime-web', (await webSession.run(webFeeds)).o.data, reference, tol), flops },
        { name: 'tfjs-backend-wasm', run: tfAttention, check: () => assertClose('tfjs', tfAttention(), reference, tol), flops },
        { name: 'onnxruntime-node (native)', run: () => nodeSession.run(nodeFeeds), check: async () => assertClose('onnxruntime-node', (await nodeSession.run(nodeFeeds)).o.data, reference, tol), flops },
        { name: 'naive JS', run: () => naiveAttention(q, k, v, S, causal), check: () => assertClose('naive', naiveAttention(q, k, v, S, causal), reference, tol), flops, alone: 1 },
      ];
      const title = `Bare attention, ${H} heads × ${D}, S ${S}${causal ? ', causal (GFLOP/s counts the unmasked half)' : ''}`;
      workloads.push(await runWorkload(title, `${causal ? 'causal' : 'attention'} S${S}`, tasks, ROUNDS.attention));
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
    workloads.push(await runWorkload(`${N}-id lookup in ${ROWS}×${E} + sinusoidal PE`, 'embedding + PE', tasks, ROUNDS.embedding));
    encoder.dispose();
    tsEncoder.dispose();
    tfTable.dispose();
    tfPe.dispose();
    await webSession.release();
    await nodeSession.release();
  }

  return { versions: peers.versions, workloads };
}

/**
 * `runs` runs (one in this process, or each in its own child process) written up as the
 * peers section; writes bench/peers.svg from the first run (not in smoke mode).
 */
export async function peersBench(runs = 1): Promise<string> {
  const results = runs === 1 ? [await peersRun()] : runInProcesses(runs);
  const chart = results[0].workloads.map((w) => ({ ...w, rows: w.rows.filter((r) => !r.name.startsWith('reference')) }));
  if (!SMOKE) writeFileSync(join(HERE, 'peers.svg'), svgChart(chart, `attnkit vs peers: median ms${runs > 1 ? ` (run 1 of ${runs})` : ''}, one thread, log scale per panel (shorter is faster)`));
  return report(results);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const json = option('--json');
  const runs = Number(option('--runs') ?? (SMOKE ? 2 : 1));
  if ((json === undefined && args.includes('--json')) || !Number.isInteger(runs) || runs < 1) throw new Error('usage: tsx bench/peers.bench.ts [--runs N | --json FILE]');
  if (json !== undefined) {
    writeFileSync(json, JSON.stringify(await peersRun()));
  } else {
    const section = await peersBench(runs);
    if (!SMOKE) writeSection('peers', section);
    console.log(section);
    if (!SMOKE) console.log('bench/RESULTS.md: peers section written; bench/peers.svg');
  }
}
