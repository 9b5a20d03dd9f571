/**
 * createEngine cold start in Node: a fresh process per sample imports the package and
 * creates an engine (compile + instantiate the .wasm for 'wasm'); medians of 15 processes.
 * Also the module's size, raw and gzipped: what a user downloads and a Worker bundles.
 */

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { machine } from './harness.js';

const SAMPLES = 15;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

function coldStart(backend: 'wasm' | 'ts'): { importMs: number; createMs: number } {
  const script = `const t0 = performance.now(); const { createEngine } = await import('attnkit'); const t1 = performance.now();
await createEngine({ backend: '${backend}' }); const t2 = performance.now(); console.log(JSON.stringify([t1 - t0, t2 - t1]));`;
  const runs = Array.from({ length: SAMPLES }, () => JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as [number, number]);
  return { importMs: median(runs.map((r) => r[0])), createMs: median(runs.map((r) => r[1])) };
}

export async function coldStartBench(): Promise<string> {
  const wasmBytes = readFileSync(createRequire(import.meta.url).resolve('attnkit/attnkit.wasm'));
  const rows = (['wasm', 'ts'] as const).map((backend) => {
    const { importMs, createMs } = coldStart(backend);
    return `| ${backend} | ${importMs.toFixed(1)} | ${createMs.toFixed(1)} |`;
  });
  return [
    '## createEngine cold start (Node, a fresh process per sample)',
    '',
    machine(),
    '',
    `attnkit.wasm: ${wasmBytes.length} bytes, ${gzipSync(wasmBytes, { level: 9 }).length} gzipped.`,
    '',
    `| backend | import('attnkit') ms | createEngine() ms |`,
    '|---|---:|---:|',
    ...rows,
    '',
    `Medians of ${SAMPLES} processes; createEngine on 'wasm' reads, compiles and instantiates the module.`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { writeSection } = await import('./harness.js');
  writeSection('cold-start', await coldStartBench());
  console.log('bench/RESULTS.md: cold-start section written');
}
