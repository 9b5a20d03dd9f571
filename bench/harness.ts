/**
 * What every benchmark shares: the machine and runtime description, a tinybench run
 * whose tasks are verified before they are timed, and a markdown section written into
 * bench/RESULTS.md between `<!-- name:start -->` and `<!-- name:end -->` markers, so each
 * benchmark file refreshes its own section and keeps the others.
 */

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

/** The machine and runtime lines of a RESULTS section; `threads` as the section ran them. */
export function machine(threads = 'one thread'): string {
  const cpu = cpus();
  const versions = process.versions;
  return [
    `- machine: ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
    `- runtime: Node ${versions.node} (V8 ${versions.v8}), ${process.platform} ${process.arch}`,
    `- date: ${new Date().toISOString().slice(0, 10)}, ${threads}, tinybench medians`,
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
