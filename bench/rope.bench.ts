/**
 * Rotary position embedding of q [1, 2048, 12, 64] (rotate-half) on attnkit wasm and ts
 * against the naive JS baseline (the tests' float64 reference). Outputs are checked
 * against it before timing.
 */

import { ACCURACY, createEngine } from 'attnkit';
import * as reference from '../test/helpers/reference.js';
import { assertClose, machine, measure, table, type Task, writeSection } from './harness.js';
import { D, H } from './naive.js';
import { seeded, uniform } from './random.js';

const S = 2048;

export async function ropeBench(): Promise<string> {
  const [wasm, ts] = await Promise.all([createEngine({ backend: 'wasm' }), createEngine({ backend: 'ts' })]);
  const x = uniform(seeded(11), S * H * D, 1);
  const opts = { seqLen: S, numHeads: H, headDim: D };
  const positions = Int32Array.from({ length: S }, (_, i) => i);
  const naive = () => reference.rope(x, { batch: 1, ...opts }, positions);
  const expected = naive();
  const out = new Float32Array(x.length);
  const bytes = x.length * 4;
  const tasks: Task[] = [
    { name: 'naive JS (float64 reference)', run: naive, bytes },
    { name: 'attnkit wasm', run: () => wasm.rope(x, opts, out), verify: () => assertClose('wasm', wasm.rope(x, opts), expected, ACCURACY.rope), bytes },
    { name: 'attnkit ts', run: () => ts.rope(x, opts, out), verify: () => assertClose('ts', ts.rope(x, opts), expected, ACCURACY.rope), bytes },
  ];
  return [`## Rotary position embedding, ${S} positions × ${H} heads × ${D}`, '', machine(), '', table(await measure(tasks), 'naive JS (float64 reference)')].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeSection('rope', await ropeBench());
  console.log('bench/RESULTS.md: rope section written');
}
