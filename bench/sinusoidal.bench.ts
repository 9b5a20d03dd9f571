/**
 * Sinusoidal positional encoding [2048, 768] on attnkit wasm and ts against the naive JS
 * baseline (the tests' float64 reference). Outputs are checked against it before timing.
 */

import { createEngine } from 'attnkit';
import * as reference from '../test/helpers/reference.js';
import { assertClose, machine, measure, table, type Task, writeSection } from './harness.js';
import { E } from './naive.js';

const S = 2048;

export async function sinusoidalBench(): Promise<string> {
  const [wasm, ts] = await Promise.all([createEngine({ backend: 'wasm' }), createEngine({ backend: 'ts' })]);
  const expected = reference.sinusoidalEncoding(S, E);
  const bytes = S * E * 4;
  const tasks: Task[] = [
    { name: 'naive JS (float64 reference)', run: () => reference.sinusoidalEncoding(S, E), bytes },
    { name: 'attnkit wasm', run: () => wasm.sinusoidalEncoding(S, E), verify: () => assertClose('wasm', wasm.sinusoidalEncoding(S, E), expected, 2 ** -23), bytes },
    { name: 'attnkit ts', run: () => ts.sinusoidalEncoding(S, E), verify: () => assertClose('ts', ts.sinusoidalEncoding(S, E), expected, 2 ** -23), bytes },
  ];
  return [`## Sinusoidal positional encoding [${S}, ${E}]`, '', machine(), '', table(await measure(tasks), 'naive JS (float64 reference)')].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeSection('sinusoidal', await sinusoidalBench());
  console.log('bench/RESULTS.md: sinusoidal section written');
}
