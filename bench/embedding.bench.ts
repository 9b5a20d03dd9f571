/**
 * Embedding lookup: 512 ids from a 30522×768 table (BERT-base's vocabulary and width), on
 * attnkit wasm and ts (resident and stateless), against a plain `Float32Array.prototype.set`
 * loop. Every task's output is checked against the plain loop's before it is timed.
 */

import { createEngine } from 'attnkit';
import { assertClose, machine, measure, speedup, table, type Task, writeSection } from './harness.js';
import { seeded } from './random.js';

const ROWS = 30522;
const DIM = 768;
const N = 512;

/** The baseline: one `set` per row, then (with `pe`) one add loop. */
export function plainGather(tableData: Float32Array, ids: Int32Array, out: Float32Array, pe?: Float32Array): Float32Array {
  for (let i = 0; i < ids.length; i++) out.set(tableData.subarray(ids[i] * DIM, (ids[i] + 1) * DIM), i * DIM);
  if (pe) for (let j = 0; j < out.length; j++) out[j] += pe[j];
  return out;
}

/** The benchmarks' table [30522, 768] and 512 ids into it. */
export function lookupInputs(): { tableData: Float32Array; ids: Int32Array } {
  const random = seeded(42);
  const tableData = Float32Array.from({ length: ROWS * DIM }, () => random() * 2 - 1);
  const ids = Int32Array.from({ length: N }, () => Math.floor(random() * ROWS));
  return { tableData, ids };
}

export async function embeddingBench(): Promise<string> {
  const { tableData, ids } = lookupInputs();
  const wasm = await createEngine({ backend: 'wasm' });
  const ts = await createEngine({ backend: 'ts' });
  const expected = plainGather(tableData, ids, new Float32Array(N * DIM));
  const bytes = N * DIM * 4;
  const out = new Float32Array(N * DIM);
  const wasmTable = wasm.embedding(tableData, DIM);
  const tsTable = ts.embedding(tableData, DIM);
  const lookup: Task[] = [
    { name: 'Float32Array.set loop', run: () => plainGather(tableData, ids, out), verify: () => assertClose('set', plainGather(tableData, ids, out), expected, 0), bytes },
    { name: 'attnkit wasm, resident', run: () => wasmTable.lookup(ids, out), verify: () => assertClose('wasm', wasmTable.lookup(ids, out), expected, 0), bytes },
    { name: 'attnkit ts, resident', run: () => tsTable.lookup(ids, out), verify: () => assertClose('ts', tsTable.lookup(ids, out), expected, 0), bytes },
    { name: 'attnkit wasm, stateless', run: () => wasm.embeddingLookup(tableData, DIM, ids, out), verify: () => assertClose('wasm', wasm.embeddingLookup(tableData, DIM, ids, out), expected, 0), bytes },
  ];
  const rows = await measure(lookup);
  wasmTable.dispose();
  tsTable.dispose();
  const ratio = (a: string, b: string) => speedup(rows, a, b);
  return [
    '## Embedding lookup: 512 ids from a 30522×768 table',
    '',
    machine(),
    '',
    'Into a preallocated `out`; throughput counts the 1.5 MiB of rows gathered:',
    '',
    table(rows, 'Float32Array.set loop'),
    '',
    `Ratios (speed-up, same run): wasm/ts resident ${ratio('attnkit wasm, resident', 'attnkit ts, resident')}×, ` +
      `wasm/Float32Array.set ${ratio('attnkit wasm, resident', 'Float32Array.set loop')}×.`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeSection('embedding', await embeddingBench());
  console.log('bench/RESULTS.md: embedding section written');
}
