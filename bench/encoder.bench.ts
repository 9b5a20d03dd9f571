/**
 * The encoder's first two steps — lookup of 512 ids from a 30522×768 table plus the
 * sinusoidal positional rows, fused — on attnkit wasm and ts, against a plain `set` loop
 * followed by an add loop, and against the bandwidth reference: rows gathered by
 * memory.copy inside one wasm memory (no PE, no copy out). Every task's output is checked
 * before it is timed.
 */

import { createEngine } from 'attnkit';
import { lookupInputs, plainGather } from './embedding.bench.js';
import { memoryCopyGather } from './gather.js';
import { assertClose, machine, measure, speedup, table, type Task, writeSection } from './harness.js';

const DIM = 768;
const N = 512;

export async function encoderBench(): Promise<string> {
  const { tableData, ids } = lookupInputs();
  const wasm = await createEngine({ backend: 'wasm' });
  const ts = await createEngine({ backend: 'ts' });
  const pe = ts.sinusoidalEncoding(N, DIM);
  const expected = plainGather(tableData, ids, new Float32Array(N * DIM));
  const expectedWithPe = plainGather(tableData, ids, new Float32Array(N * DIM), pe);
  const bytes = N * DIM * 4;
  const out = new Float32Array(N * DIM);
  const reference = memoryCopyGather(tableData, DIM, ids);
  const tasks: Task[] = [
    { name: 'Float32Array.set loop + add loop', run: () => plainGather(tableData, ids, out, pe), verify: () => assertClose('set+add', plainGather(tableData, ids, out, pe), expectedWithPe, 0), bytes },
    // The encoder returns a fresh array per call: the same loop into a fresh array is its fair baseline.
    { name: 'Float32Array.set loop + add loop, fresh array', run: () => plainGather(tableData, ids, new Float32Array(N * DIM), pe), bytes },
    { name: 'reference: memory.copy gather in wasm (no PE)', run: reference.run, verify: () => (reference.run(), assertClose('memory.copy', reference.gathered(), expected, 0)), bytes },
  ];
  const encoders = [wasm, ts].map((engine) => engine.encoder({ table: tableData, dim: DIM, positional: 'sinusoidal' }));
  for (const [i, name] of (['wasm', 'ts'] as const).entries()) {
    const encoder = encoders[i];
    // PE in f32 added in f32 on both sides: exact agreement up to the PE's own 1 ulp.
    tasks.push({ name: `attnkit ${name}, encoder (lookup + PE)`, run: () => encoder.encode(ids), verify: () => assertClose(name, encoder.encode(ids).inputs, expectedWithPe, 1e-6), bytes });
    tasks.push({ name: `attnkit ${name}, encoder (lookup + PE) into out`, run: () => encoder.encode(ids, out), verify: () => assertClose(name, encoder.encode(ids, out).inputs, expectedWithPe, 1e-6), bytes });
  }
  const rows = await measure(tasks);
  for (const e of encoders) e.dispose();
  const ratio = (a: string, b: string) => speedup(rows, a, b);
  return [
    '## Encoder: lookup + sinusoidal positional encoding, 512 ids from a 30522×768 table',
    '',
    machine(),
    '',
    'The positional rows ([512, 768]) are precomputed once for the baselines; throughput counts the 1.5 MiB written:',
    '',
    table(rows, 'Float32Array.set loop + add loop'),
    '',
    `The wasm encoder at ${ratio('attnkit wasm, encoder (lookup + PE)', 'reference: memory.copy gather in wasm (no PE)')}× the memory.copy gather's speed ` +
      `(${ratio('attnkit wasm, encoder (lookup + PE) into out', 'reference: memory.copy gather in wasm (no PE)')}× into out; the target is 0.85×).`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeSection('encoder', await encoderBench());
  console.log('bench/RESULTS.md: encoder section written');
}
