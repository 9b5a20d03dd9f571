/**
 * createEngine({ threads }): 1 thread against 2 on the same process and inputs — bare
 * attention 12 heads × 64 at S 2048 (plain and causal) and the resident layer at S 512,
 * E 768, 12 heads. Outputs are checked bit-identical to 1 thread before timing. The
 * target: with 2 threads on 2 cores, ≥ 1.7× the 1-thread wasm figure.
 * `tsx bench/threads.bench.ts [rounds]` runs the whole measurement `rounds` times (default
 * 3) and reports each task's median of the rounds' medians.
 */

import { loadavg } from 'node:os';
import { createEngine } from 'attnkit';
import { machine, measure, type Row, type Task } from './harness.js';
import { seeded, uniform } from './random.js';

const E = 768;
const H = 12;
const D = E / H;

function sameBits(what: string, a: Float32Array, b: Float32Array): void {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  if (x.length !== y.length || x.some((v, i) => v !== y[i])) throw new Error(`${what}: 2 threads differ from 1`);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export async function threadsBench(rounds = 3): Promise<string> {
  const one = await createEngine({ backend: 'wasm' });
  const two = await createEngine({ backend: 'wasm', threads: 2 });
  const random = seeded(11);
  const w = () => uniform(random, E * E, Math.sqrt(3 / E));
  const params = { wq: w(), wk: w(), wv: w(), wo: w(), bq: uniform(random, E, 0.1), bk: uniform(random, E, 0.1), bv: uniform(random, E, 0.1), bo: uniform(random, E, 0.1) };
  const layers = [one, two].map((e) => e.selfAttention(params, { embedDim: E, numHeads: H }));
  const x = uniform(random, 512 * E, 1);
  const S = 2048;
  const q = uniform(random, S * E, 1);
  const k = uniform(random, S * E, 1);
  const v = uniform(random, S * E, 1);

  const tasks: Task[] = [];
  const workloads: { label: string; flops: number; run: (i: number) => Float32Array }[] = [
    { label: 'layer S512 E768 H12, resident', flops: 8 * 512 * E * E + 4 * 512 * 512 * E, run: (i) => layers[i].forward(x, { seqLen: 512 }).output },
    ...[false, true].map((causal) => ({
      label: `attention 12×64 S${S}${causal ? ', causal' : ''}`,
      flops: 4 * H * S * S * D * (causal ? 0.5 : 1),
      run: (i: number) => [one, two][i].attention(q, k, v, { seqQ: S, seqK: S, numHeads: H, headDim: D, causal }).output,
    })),
  ];
  for (const wl of workloads) {
    for (const i of [0, 1]) {
      tasks.push({ name: `${wl.label}: ${i + 1} thread${i ? 's' : ''}`, run: () => wl.run(i), flops: wl.flops, verify: i ? () => sameBits(wl.label, wl.run(1), wl.run(0)) : undefined });
    }
  }

  const perRound: Row[][] = [];
  const loadBefore = loadavg()[0];
  for (let r = 0; r < rounds; r++) perRound.push(await measure(tasks, 2000, 5));
  const loadAfter = loadavg()[0];
  const rows = tasks.map((t, i) => ({ name: t.name, medians: perRound.map((round) => round[i].medianMs), flops: t.flops! }));

  const lines = [
    '## Threads: createEngine({ threads: 2 }) against 1 thread',
    '',
    machine('1 and 2 threads'),
    `- ${rounds} rounds in one process; each cell is the median of the rounds' tinybench medians (each round's medians in brackets); outputs bit-identical to 1 thread, checked before timing`,
    `- the machine is shared: other work on its 2 cores lowers the 2-thread figures most; 1-minute load average ${loadBefore.toFixed(2)} before the rounds, ${loadAfter.toFixed(2)} after (this benchmark alone adds up to 2)`,
    '',
    '| task | median ms | rounds ms | GFLOP/s | × 1 thread | target ≥ 1.7× |',
    '|---|---:|---:|---:|---:|---|',
  ];
  for (let i = 0; i < rows.length; i += 2) {
    const [a, b] = [rows[i], rows[i + 1]];
    const [ma, mb] = [median(a.medians), median(b.medians)];
    const speedUp = ma / mb;
    const fmt = (ms: number) => ms.toFixed(ms >= 100 ? 0 : 1);
    lines.push(`| ${a.name} | ${fmt(ma)} | ${a.medians.map(fmt).join(', ')} | ${(a.flops / ma / 1e6).toFixed(1)} | 1.00 | |`);
    lines.push(`| ${b.name} | ${fmt(mb)} | ${b.medians.map(fmt).join(', ')} | ${(b.flops / mb / 1e6).toFixed(1)} | ${speedUp.toFixed(2)} | ${speedUp >= 1.7 ? 'met' : 'not met'} |`);
  }
  for (const l of layers) l.dispose();
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { writeSection } = await import('./harness.js');
  const section = await threadsBench(Number(process.argv[2] ?? 3));
  writeSection('threads', section);
  console.log(section);
}
