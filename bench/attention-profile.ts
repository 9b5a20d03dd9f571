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
 *   tsx bench/attention-profile.ts [calls]
 */

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine, type Engine } from 'attnkit';
import { machine } from './harness.js';
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
  callMs: number;
  exportMs: number;
  phases: number[];
  clocks: number;
}

/** Mean ms per call of every part over `calls` calls, after two untimed ones (tier-up). */
function profile(title: string, flops: number, attentionFlops: number, run: () => unknown, calls: number, p: { take: Take; exportMs: () => number }): Profile {
  run();
  run();
  for (let s = 0; s <= CLOCKS; s++) p.take(s);
  const export0 = p.exportMs();
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) run();
  const callMs = (performance.now() - t0) / calls;
  return {
    title,
    flops,
    attentionFlops,
    callMs,
    exportMs: (p.exportMs() - export0) / calls,
    phases: PHASES.map((_, s) => p.take(s) / calls),
    clocks: p.take(CLOCKS) / calls,
  };
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
  const pct = (x: number) => `${((100 * x) / p.callMs).toFixed(1)} %`;
  const inKernel = p.phases.reduce((a, b) => a + b, 0);
  const lines = ['| part | ms per call | share |', '|---|---:|---:|'];
  lines.push(`| **whole call** (${(p.flops / p.callMs / 1e6).toFixed(1)} GFLOP/s) | ${ms(p.callMs)} | 100 % |`);
  lines.push(
    layer
      ? `| outside the attention kernel: Q/K/V and output projections, copies, checks | ${ms(p.callMs - p.exportMs)} | ${pct(p.callMs - p.exportMs)} |`
      : `| outside the kernel: checks, copies of q, k, v in and of the output out, its allocation | ${ms(p.callMs - p.exportMs)} | ${pct(p.callMs - p.exportMs)} |`,
  );
  lines.push(`| the attention kernel (the export) | ${ms(p.exportMs)} | ${pct(p.exportMs)} |`);
  for (const [i, name] of PHASES.entries()) lines.push(`| — ${name} | ${ms(p.phases[i])} | ${pct(p.phases[i])} |`);
  lines.push(`| — between parts: loop control and ${Math.round(p.clocks)} clock reads (≈ ${ms((p.clocks * ns) / 1e6)} ms at ${ns.toFixed(0)} ns) | ${ms(p.exportMs - inKernel)} | ${pct(p.exportMs - inKernel)} |`);
  return lines.join('\n');
}

export async function attentionProfile(calls = 5): Promise<string> {
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
  const profiles = [
    profile(`Bare attention S${S}, ${H} heads × ${D}`, flops, flops, () => p.engine.attention(q, k, v, opts), calls, p),
    profile(`Bare attention S${S}, causal (GFLOP/s counts the unmasked half)`, flops / 2, flops / 2, () => p.engine.attention(q, k, v, { ...opts, causal: true }), calls, p),
    profile(`Self-attention layer S512, E ${E}, resident`, 8 * 512 * E * E + 4 * 512 * 512 * E, 4 * 512 * 512 * E, () => layer.forward(x, { seqLen: 512 }), 4 * calls, p),
  ];
  layer.dispose();
  const ns = clockNs();
  const passFlops = (pr: Profile, i: number) => (pr.attentionFlops / 2 / pr.phases[i] / 1e6).toFixed(1);
  const lines = [
    '## Where an attention call spends its time',
    '',
    machine('one thread', `mean over ${calls} calls (the layer ${4 * calls}) after 2 untimed ones`),
    '',
    '`bench/attention-profile.ts` builds the core with the `profile` feature, whose attention kernel reads a clock imported from JS between its parts, ' +
      'and runs it through the public API; the export is also timed from JS. The clock reads cost a little inside the parts they bound (their count is given). ' +
      'Pass 1 and pass 3 each do half of the FLOPs.',
    '',
  ];
  for (const [i, pr] of profiles.entries()) {
    lines.push(`### ${pr.title}`, '', table(pr, ns, i === 2), '');
    lines.push(`Pass 1 runs at ${passFlops(pr, 3)} GFLOP/s and pass 3 at ${passFlops(pr, 5)} GFLOP/s.`, '');
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { writeSection } = await import('./harness.js');
  const section = await attentionProfile(Number(process.argv[2] ?? 5));
  writeSection('attention-profile', section);
  console.log(section);
}
