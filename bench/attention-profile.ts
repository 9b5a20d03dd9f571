/**
 * Where the time of one attention call goes, part by part, through the public API:
 *   - outside the kernel: argument checks, q, k, v copied into linear memory, the output
 *     allocated and copied back (the TS glue, wasm/attention.ts);
 *   - inside it: the scratch's allocation, the finite check on V, packing K and V, pass 1
 *     (scores Q·Kᵀ), pass 2 (softmax), pass 3 (values P·V), and the rows (Q·scale in,
 *     O / l out).
 * It builds the core with the crate's `profile` feature (scripts/build-wasm.ts --profile),
 * whose kernel reads a clock imported from here between those parts, hands that module to
 * createEngine({ module }), and times the export from JS around each call. Workloads: bare
 * attention S2048 (12 heads × 64), plain and causal, and the self-attention layer S512
 * (E 768), whose projections are what its time minus the attention export leaves.
 *
 *   tsx bench/attention-profile.ts [rounds]
 */

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine, type Engine } from 'attnkit';
import { machine, selfStat, spread } from './harness.js';
import { D, E, H } from './naive.js';
import { seeded, uniform } from './random.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The kernel's parts, in the crate's order (profile.rs `Phase`); slot 7 counts clock reads. */
export const PHASES = ['scratch allocation', 'finite check on V', 'packing K and V', 'pass 1: scores Q·Kᵀ', 'pass 2: softmax', 'pass 3: values P·V', 'rows: Q·scale in, O / l out'];
const CLOCKS = PHASES.length;

type Take = (slot: number) => number;

/** An engine on the profiling build, with the attention export timed from JS. */
export async function profiledEngine(): Promise<{ engine: Engine; take: Take; exportMs: () => number }> {
  execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'build-wasm.ts'), '--profile'], { stdio: 'inherit', cwd: ROOT });
  const module = await WebAssembly.compile(readFileSync(join(ROOT, 'target', 'attnkit-profile.wasm')));
  let spent = 0;
  let take: Take | undefined;
  // The package instantiates its module with no imports: give this one its clock, and wrap
  // the attention export so that its own time is measured beside the whole call's.
  const instantiate = WebAssembly.instantiate;
  const patched = async (m: WebAssembly.Module, imports?: WebAssembly.Imports): Promise<WebAssembly.Instance> => {
    const instance = await instantiate(m, { ...imports, env: { attnkit_clock: () => performance.now() } });
    const exports: Record<string, unknown> = { ...instance.exports };
    const kernel = exports.attnkit_attention as (...args: number[]) => void;
    exports.attnkit_attention = (...args: number[]) => {
      const t0 = performance.now();
      kernel(...args);
      spent += performance.now() - t0;
    };
    take = exports.attnkit_profile_take as Take;
    return { exports } as unknown as WebAssembly.Instance;
  };
  (WebAssembly as { instantiate: unknown }).instantiate = patched;
  try {
    const engine = await createEngine({ backend: 'wasm', module });
    if (take === undefined) throw new Error('attention-profile: the engine did not instantiate the profiling module');
    return { engine, take, exportMs: () => spent };
  } finally {
    (WebAssembly as { instantiate: unknown }).instantiate = instantiate;
  }
}

interface Profile {
  title: string;
  flops: number;
  /** The attention's own FLOPs (4·H·S²·D; causal: half), which pass 1 and pass 3 share equally. */
  attentionFlops: number;
  /** One entry per round, ms per call: the whole call, the export, and each part. */
  rounds: Round[];
  clocks: number;
}

interface Round {
  callMs: number;
  exportMs: number;
  phases: number[];
}

/**
 * ms per call of every part, in `rounds` rounds of `calls` calls each, after two untimed
 * calls (tier-up). A shared machine changes speed from one round to the next, so the report
 * shows the quickest, the median and the slowest round side by side: which parts a slow
 * spell slows, and by how much.
 */
function profile(title: string, flops: number, attentionFlops: number, run: () => unknown, rounds: number, calls: number, p: { take: Take; exportMs: () => number }): Profile {
  run();
  run();
  for (let s = 0; s <= CLOCKS; s++) p.take(s);
  const measured: Round[] = [];
  let clocks = 0;
  for (let r = 0; r < rounds; r++) {
    const export0 = p.exportMs();
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) run();
    const callMs = (performance.now() - t0) / calls;
    measured.push({ callMs, exportMs: (p.exportMs() - export0) / calls, phases: PHASES.map((_, s) => p.take(s) / calls) });
    clocks = p.take(CLOCKS) / calls;
  }
  return { title, flops, attentionFlops, rounds: measured, clocks };
}

/** This process's minor page faults so far (/proc/self/stat field 10), undefined without /proc. */
function minorFaults(): number | undefined {
  return selfStat(10)?.[0];
}

/**
 * What a fresh output costs: ms to fill a new Float32Array of `floats` (as every call
 * without an `out` returns) against filling one that is reused, and the minor page faults
 * the fresh one takes (its pages are touched for the first time).
 */
function freshOutput(floats: number): { freshMs: number; reusedMs: number; faults?: number } {
  const src = new Float32Array(floats).fill(1);
  const reused = new Float32Array(floats);
  const fresh: number[] = [];
  const again: number[] = [];
  let faults: number | undefined = 0;
  for (let i = 0; i < 7; i++) {
    const f0 = minorFaults();
    let t0 = performance.now();
    new Float32Array(floats).set(src);
    fresh.push(performance.now() - t0);
    const f1 = minorFaults();
    faults = f0 === undefined || f1 === undefined || faults === undefined ? undefined : faults + (f1 - f0);
    t0 = performance.now();
    reused.set(src);
    again.push(performance.now() - t0);
  }
  return { freshMs: spread(fresh).median, reusedMs: spread(again).median, faults: faults === undefined ? undefined : faults / 7 };
}

/** ns per clock read, as JS sees it (performance.now in a loop; the wasm → JS call adds a little). */
function clockNs(): number {
  const n = 200_000;
  let sink = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) sink += performance.now();
  const ns = ((performance.now() - t0) * 1e6) / n;
  if (!(sink > 0)) throw new Error('attention-profile: the clock went backwards');
  return ns;
}

function table(p: Profile, ns: number, layer: boolean): string {
  const ms = (x: number) => x.toFixed(x >= 10 ? 1 : 2);
  const byCall = [...p.rounds].sort((a, b) => a.callMs - b.callMs);
  const [quick, mid, slow] = [byCall[0], byCall[byCall.length >> 1], byCall[byCall.length - 1]];
  // Each row: a part's ms per call in a round.
  const parts: [string, (r: Round) => number][] = [
    [`**whole call**`, (r) => r.callMs],
    [
      layer ? 'outside the attention kernel: Q/K/V and output projections, copies, checks' : 'outside the kernel: checks, copies of q, k, v in and of the output out, its allocation',
      (r) => r.callMs - r.exportMs,
    ],
    ['the attention kernel (the export)', (r) => r.exportMs],
    ...PHASES.map((name, i): [string, (r: Round) => number] => [`— ${name}`, (r) => r.phases[i]]),
    [`— between parts: loop control and ${Math.round(p.clocks)} clock reads (≈ ${ms((p.clocks * ns) / 1e6)} ms at ${ns.toFixed(0)} ns)`, (r) => r.exportMs - r.phases.reduce((a, b) => a + b, 0)],
  ];
  const lines = [
    `| part | median round, ms per call | share | quickest round | slowest round | slowest ÷ quickest |`,
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const [name, of] of parts) {
    lines.push(`| ${name} | ${ms(of(mid))} | ${((100 * of(mid)) / mid.callMs).toFixed(1)} % | ${ms(of(quick))} | ${ms(of(slow))} | ${of(quick) > 0 ? (of(slow) / of(quick)).toFixed(2) : ''} |`);
  }
  const gflops = (r: Round) => (p.flops / r.callMs / 1e6).toFixed(1);
  const pass = (r: Round, i: number) => (p.attentionFlops / 2 / r.phases[i] / 1e6).toFixed(1);
  lines.push(
    '',
    `${p.rounds.length} rounds. Whole call: ${gflops(mid)} GFLOP/s in the median round (${gflops(quick)} quickest, ${gflops(slow)} slowest); ` +
      `pass 1 ${pass(mid, 3)} and pass 3 ${pass(mid, 5)} GFLOP/s in the median round (${pass(quick, 3)} and ${pass(quick, 5)} in the quickest, ${pass(slow, 3)} and ${pass(slow, 5)} in the slowest).`,
  );
  return lines.join('\n');
}

export async function attentionProfile(rounds = 9): Promise<string> {
  const p = await profiledEngine();
  const random = seeded(7);
  const S = 2048;
  const q = uniform(random, S * E, 1);
  const k = uniform(random, S * E, 1);
  const v = uniform(random, S * E, 1);
  const opts = { seqQ: S, seqK: S, numHeads: H, headDim: D };
  const w = () => uniform(random, E * E, Math.sqrt(3 / E));
  const params = { wq: w(), wk: w(), wv: w(), wo: w(), bq: uniform(random, E, 0.1), bk: uniform(random, E, 0.1), bv: uniform(random, E, 0.1), bo: uniform(random, E, 0.1) };
  const x = uniform(random, 512 * E, 1);
  const layer = p.engine.selfAttention(params, { embedDim: E, numHeads: H });
  const flops = 4 * H * S * S * D;
  const into = new Float32Array(S * E);
  const profiles = [
    profile(`Bare attention S${S}, ${H} heads × ${D}`, flops, flops, () => p.engine.attention(q, k, v, opts), rounds, 2, p),
    profile(`Bare attention S${S}, ${H} heads × ${D}, into a reused \`out\``, flops, flops, () => p.engine.attention(q, k, v, opts, into), rounds, 2, p),
    profile(`Bare attention S${S}, causal (GFLOP/s counts the unmasked half)`, flops / 2, flops / 2, () => p.engine.attention(q, k, v, { ...opts, causal: true }), rounds, 3, p),
    profile(`Self-attention layer S512, E ${E}, resident`, 8 * 512 * E * E + 4 * 512 * 512 * E, 4 * 512 * 512 * E, () => layer.forward(x, { seqLen: 512 }), rounds, 8, p),
  ];
  layer.dispose();
  const ns = clockNs();
  const out = freshOutput(S * E);
  const layerOut = freshOutput(512 * E);
  const lines = [
    '## Where an attention call spends its time',
    '',
    machine('one thread', `${rounds} rounds of 2 calls (causal 3, the layer 8) after 2 untimed ones, ms per call`),
    '',
    '`bench/attention-profile.ts` builds the core with the `profile` feature, whose attention kernel reads a clock imported from JS between its parts, ' +
      'and runs it through the public API; the export is also timed from JS. The clock reads cost a little inside the parts they bound (their count is given). ' +
      'Pass 1 and pass 3 each do half of the FLOPs.',
    '',
  ];
  const faultLine = (o: ReturnType<typeof freshOutput>, what: string) =>
    `- ${what}: filling a fresh array takes ${o.freshMs.toFixed(2)} ms, a reused one ${o.reusedMs.toFixed(2)} ms` +
    (o.faults === undefined ? '' : o.faults >= 1 ? ` (${Math.round(o.faults)} minor page faults, ${((1000 * (o.freshMs - o.reusedMs)) / o.faults).toFixed(1)} µs each)` : ' (no page faults: the allocator handed back memory already touched)');
  lines.push(
    'Part of "outside the kernel" is the fresh output every call returns: its pages are touched for the first time, and each first touch is a page fault.',
    '',
    faultLine(out, `the [${S}, ${E}] output of attention (${((S * E * 4) / 2 ** 20).toFixed(1)} MiB)`),
    faultLine(layerOut, `the [512, ${E}] output of the layer (${((512 * E * 4) / 2 ** 20).toFixed(1)} MiB)`),
    '',
  );
  for (const [i, pr] of profiles.entries()) {
    lines.push(`### ${pr.title}`, '', table(pr, ns, i === profiles.length - 1), '');
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { writeSection } = await import('./harness.js');
  const section = await attentionProfile(Number(process.argv[2] ?? 9));
  writeSection('attention-profile', section);
  console.log(section);
}
