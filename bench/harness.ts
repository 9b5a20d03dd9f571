/**
 * What every benchmark shares: the machine and runtime description, a tinybench run
 * whose tasks are verified before they are timed, an interleaved run for ratios between
 * runners on a shared machine (`interleave`), and a markdown section written into
 * bench/RESULTS.md between `<!-- name:start -->` and `<!-- name:end -->` markers, so each
 * benchmark file refreshes its own section and keeps the others.
 */

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import { expectClose } from '../test/helpers/compare.js';

export const RESULTS = join(dirname(fileURLToPath(import.meta.url)), 'RESULTS.md');

/** One timed task: `verify` runs once before timing and throws when the output is wrong. */
export interface Task {
  name: string;
  run: () => unknown;
  verify?: () => void;
  /** Floating-point operations per call, for GFLOP/s (2 per multiply-add). */
  flops?: number;
  /** Bytes moved per call, for GB/s. */
  bytes?: number;
}

export interface Row {
  name: string;
  medianMs: number;
  /** Median absolute deviation, ms. */
  madMs: number;
  samples: number;
  flops?: number;
  bytes?: number;
}

/** The machine and runtime lines of a RESULTS section; `threads` as the section ran them, `timing` how it timed them. */
export function machine(threads = 'one thread', timing = 'tinybench medians'): string {
  const cpu = cpus();
  const versions = process.versions;
  return [
    `- machine: ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
    `- runtime: Node ${versions.node} (V8 ${versions.v8}), ${process.platform} ${process.arch}`,
    `- date: ${new Date().toISOString().slice(0, 10)}, ${threads}, ${timing}`,
  ].join('\n');
}

/** Verifies then times every task, one after another, in one process. */
export async function measure(tasks: Task[], timeMs = 1500, minIterations = 10): Promise<Row[]> {
  for (const task of tasks) task.verify?.();
  const bench = new Bench({ time: timeMs, warmup: true, iterations: minIterations });
  for (const task of tasks) bench.add(task.name, task.run);
  await bench.run();
  return bench.tasks.map((t, i) => {
    const result = t.result;
    if (result.state !== 'completed') throw new Error(`${t.name}: ${result.state}${'error' in result ? `: ${String(result.error)}` : ''}`);
    return { name: t.name, medianMs: result.latency.p50, madMs: result.latency.mad, samples: result.latency.samplesCount, flops: tasks[i].flops, bytes: tasks[i].bytes };
  });
}

function format(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(4);
}

/** A markdown table of rows: median, spread, throughput, and the ratio to `baseline`. */
export function table(rows: Row[], baseline?: string): string {
  const base = rows.find((r) => r.name === baseline);
  const lines = ['| task | median ms | ± MAD ms | samples | throughput |' + (base ? ` × ${baseline} |` : ''), '|---|---:|---:|---:|---:|' + (base ? '---:|' : '')];
  for (const r of rows) {
    const throughput = r.flops ? `${(r.flops / r.medianMs / 1e6).toFixed(1)} GFLOP/s` : r.bytes ? `${(r.bytes / r.medianMs / 1e6).toFixed(1)} GB/s` : '';
    const ratio = base ? ` ${(base.medianMs / r.medianMs).toFixed(2)} |` : '';
    lines.push(`| ${r.name} | ${format(r.medianMs)} | ${format(r.madMs)} | ${r.samples} | ${throughput} |${ratio}`);
  }
  return lines.join('\n');
}

/** How many times faster task `a` ran than task `b` in the same run ('n/a' when one is missing). */
export function speedup(rows: Row[], a: string, b: string): string {
  const x = rows.find((r) => r.name === a);
  const y = rows.find((r) => r.name === b);
  return x && y ? (y.medianMs / x.medianMs).toFixed(2) : 'n/a';
}

/** Replaces (or appends) the section `name` of RESULTS.md. */
export function writeSection(name: string, body: string): void {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const section = `${start}\n${body.trim()}\n${end}`;
  let text = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '# attnkit benchmark results\n\nWritten by `pnpm bench` (bench/*.bench.ts); each section is refreshed by its own benchmark.\n';
  const at = text.indexOf(start);
  const until = text.indexOf(end);
  text = at >= 0 && until > at ? text.slice(0, at) + section + text.slice(until + end.length) : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(RESULTS, text);
}

/** Throws unless actual and expected agree to within tol everywhere (test/helpers/compare.ts). */
export function assertClose(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expectClose(actual, expected, tol, what);
}

// ---- interleaved runs: ratios between runners on a shared machine ----

/** One runner of an interleaved comparison. */
export interface Runner {
  name: string;
  /** One call; a returned promise (as ORT's `run` returns) is awaited inside the timed sample. */
  run: () => unknown;
  /** Runs once before anything is timed; throws (or rejects) when the output is wrong. */
  check?: () => unknown;
  /** Floating-point operations per call, for GFLOP/s (2 per multiply-add). */
  flops?: number;
  /** Bytes moved per call, for GB/s. */
  bytes?: number;
}

/** Options of `interleave`; the defaults are the ones the peers benchmark states in its report. */
export interface InterleaveOptions {
  /** Rounds per attempt; a round times every runner once. */
  rounds: number;
  /**
   * Untimed calls per runner before the rounds, until this many ms have passed (at least one
   * call; the output check is one more). 0: no warm-up beyond the check, and one call per
   * sample (for runners of seconds a call). Default 300.
   */
  warmupMs?: number;
  /** A sample repeats a shorter call until it lasts about this many ms. Default 5. */
  sampleMs?: number;
  /** Attempts at most while other processes are busier than `maxOtherCores`. Default 3. */
  attempts?: number;
  /** Other processes' mean load over an attempt's rounds above which it is rerun, cores. Default 0.25. */
  maxOtherCores?: number;
  /** Progress lines (default: stdout). */
  log?: (line: string) => void;
}

/** A runner's result: `Row`'s median and MAD over the samples, plus the samples themselves. */
export interface Timed extends Row {
  /** ms per call of each sample, in round order (the kept attempt's rounds). */
  times: number[];
  /** Calls per sample. */
  calls: number;
  p25Ms: number;
  p75Ms: number;
}

/** Median, quartiles and extremes of a set of numbers. */
export interface Spread {
  median: number;
  p25: number;
  p75: number;
  min: number;
  max: number;
}

/** What else ran on the machine while a comparison was timed. */
export interface Load {
  /** Cores used by other processes, mean over the kept attempt's rounds; undefined without /proc. */
  otherCores?: number;
  /** The busiest round of the kept attempt, cores used by other processes. */
  busiestRoundCores?: number;
  /** Each attempt's mean, in order (undefined entries without /proc). */
  attemptCores: (number | undefined)[];
  /** Index of the kept attempt in `attemptCores`. */
  kept: number;
  /** Whether the kept attempt was under the limit ('n/a' without /proc). */
  quiet: boolean | 'n/a';
  /** The limit the attempts were held to, cores. */
  maxOtherCores: number;
  /** /proc/loadavg's 1, 5 and 15 min averages before the first attempt and after the last ('n/a' without /proc). */
  loadavgStart: string;
  loadavgEnd: string;
}

export interface Interleaved {
  /** One per runner, in the order given. */
  rows: Timed[];
  rounds: number;
  load: Load;
}

/** The p-quantile of ascending `sorted` (linear between neighbours). */
function quantile(sorted: number[], p: number): number {
  const at = (sorted.length - 1) * p;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/** Median, p25–p75 and min–max of `xs` (not empty). */
export function spread(xs: number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  return { median: quantile(s, 0.5), p25: quantile(s, 0.25), p75: quantile(s, 0.75), min: s[0], max: s[s.length - 1] };
}

/**
 * How many times faster `a` ran than `b`, round by round: b's time ÷ a's time in each round of
 * the same interleaved run, summarised.
 */
export function roundRatios(a: Timed, b: Timed): Spread {
  if (a.times.length !== b.times.length) throw new Error(`${a.name} and ${b.name}: not from the same rounds`);
  return spread(a.times.map((t, r) => b.times[r] / t));
}

/** Clock ticks per second of /proc's CPU times (USER_HZ; 100 on Linux's usual builds). */
let ticksPerSecond: number | undefined;

/**
 * Fields of /proc/self/stat by their number in proc(5) (1 = pid); undefined without /proc.
 * The command (field 2) may hold spaces, so fields are counted from its closing parenthesis.
 */
export function selfStat(...numbers: number[]): number[] | undefined {
  try {
    const own = readFileSync('/proc/self/stat', 'utf8');
    const fields = own.slice(own.lastIndexOf(')') + 2).split(' ');
    return numbers.map((n) => Number(fields[n - 3]));
  } catch {
    return undefined;
  }
}

/** Busy ticks of every CPU (/proc/stat's `cpu` line), this process's (/proc/self/stat), and the time. */
function cpuTicks(): { busy: number; self: number; wallMs: number } | undefined {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).map(Number);
    // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest is inside user)
    const busy = cpu[1] + cpu[2] + cpu[3] + cpu[6] + cpu[7] + (cpu[8] || 0);
    // utime is field 14, stime 15.
    const [utime, stime] = selfStat(14, 15) ?? [Number.NaN, Number.NaN];
    const self = utime + stime;
    if (!Number.isFinite(busy) || !Number.isFinite(self)) return undefined;
    if (ticksPerSecond === undefined) {
      try {
        ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
      } catch {
        ticksPerSecond = 100;
      }
    }
    return { busy, self, wallMs: performance.now() };
  } catch {
    return undefined;
  }
}

/** Cores other processes kept busy between two readings (all CPUs' busy time less this process's threads'). */
function otherCores(from: ReturnType<typeof cpuTicks>, to: ReturnType<typeof cpuTicks>): number | undefined {
  if (!from || !to || to.wallMs <= from.wallMs) return undefined;
  const seconds = (to.wallMs - from.wallMs) / 1000;
  return Math.max(0, (to.busy - from.busy - (to.self - from.self)) / (seconds * ticksPerSecond!));
}

function loadavg(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'n/a';
  }
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return typeof (x as PromiseLike<unknown> | undefined)?.then === 'function';
}

/** ms per call over `calls` calls back to back, awaiting each returned promise. */
async function sample(run: () => unknown, calls: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) {
    const out = run();
    if (isThenable(out)) await out;
  }
  return (performance.now() - t0) / calls;
}

/**
 * Times runners against each other in interleaved rounds, so that a slow spell of a shared
 * machine lands on all of them rather than on whichever would be timed then:
 *   1. every runner's `check` (its output), then every runner's warm-up (`warmupMs`);
 *   2. rounds: each times every runner once, round r starting at runner r mod n; a sample of
 *      a call shorter than `sampleMs` repeats it until the sample lasts about `sampleMs`
 *      (time ÷ calls), so the timer's resolution does not decide;
 *   3. the load of other processes over each round, from /proc (Linux); when their mean over
 *      the attempt exceeds `maxOtherCores`, the rounds are run again, up to `attempts` in all,
 *      keeping the first quiet attempt or else the quietest (`load.quiet` says which).
 * Without /proc the load is undefined and one attempt is made.
 */
export async function interleave(runners: Runner[], options: InterleaveOptions): Promise<Interleaved> {
  const { rounds, warmupMs = 300, sampleMs = 5, attempts = 3, maxOtherCores = 0.25 } = options;
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const n = runners.length;
  for (const runner of runners) {
    log(`  check ${runner.name}`);
    await runner.check?.();
  }
  const calls = runners.map(() => 1);
  if (warmupMs > 0) {
    for (const [i, runner] of runners.entries()) {
      // The calls per sample follow the warm-up calls' median, which a slow first call or a
      // collector pause does not move.
      const t0 = performance.now();
      const durations: number[] = [];
      do durations.push(await sample(runner.run, 1));
      while (performance.now() - t0 < warmupMs);
      calls[i] = Math.max(1, Math.ceil(sampleMs / Math.max(spread(durations).median, 1e-3)));
    }
  }
  const loadavgStart = loadavg();
  const tried: { times: number[][]; otherCores?: number; busiest?: number }[] = [];
  for (let attempt = 0; attempt < attempts; attempt++) {
    const what = n > 1 ? `${rounds} interleaved rounds of ${runners.map((r) => r.name).join(', ')}` : `${rounds} sample${rounds > 1 ? 's' : ''} of ${runners[0].name}`;
    log(`  ${what}${attempt ? ` (attempt ${attempt + 1} of ${attempts})` : ''}`);
    const times = runners.map(() => [] as number[]);
    const first = cpuTicks();
    const perRound: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const before = cpuTicks();
      for (let j = 0; j < n; j++) {
        const i = (r + j) % n;
        times[i].push(await sample(runners[i].run, calls[i]));
      }
      const cores = otherCores(before, cpuTicks());
      if (cores !== undefined) perRound.push(cores);
    }
    const mean = otherCores(first, cpuTicks());
    tried.push({ times, otherCores: mean, busiest: perRound.length ? Math.max(...perRound) : undefined });
    if (mean === undefined || mean <= maxOtherCores || attempts === 1) break;
    log(`  other processes used ${mean.toFixed(2)} cores (limit ${maxOtherCores})${attempt + 1 < attempts ? ': again' : ': keeping the quietest attempt'}`);
  }
  const last = tried[tried.length - 1];
  const quiet = last.otherCores === undefined ? 'n/a' : last.otherCores <= maxOtherCores;
  const kept = quiet === false ? tried.reduce((best, t, i) => (t.otherCores! < tried[best].otherCores! ? i : best), 0) : tried.length - 1;
  const rows = runners.map((runner, i): Timed => {
    const times = tried[kept].times[i];
    const s = spread(times);
    const mad = spread(times.map((t) => Math.abs(t - s.median))).median;
    return { name: runner.name, medianMs: s.median, madMs: mad, p25Ms: s.p25, p75Ms: s.p75, samples: times.length, calls: calls[i], times, flops: runner.flops, bytes: runner.bytes };
  });
  const load: Load = {
    otherCores: tried[kept].otherCores,
    busiestRoundCores: tried[kept].busiest,
    attemptCores: tried.map((t) => t.otherCores),
    kept,
    quiet,
    maxOtherCores,
    loadavgStart,
    loadavgEnd: loadavg(),
  };
  return { rows, rounds, load };
}
