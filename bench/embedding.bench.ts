/**
 * Embedding lookup: 512 ids from a 30522×768 table (BERT-base's vocabulary and width),
 * alone and with a sinusoidal positional table added — the first two steps of the
 * worked example's pipeline — on attnkit wasm and ts, against a plain `Float32Array.prototype.set`
 * loop. Every task's output is checked against the plain loop's before it is timed.
 */

import { createEngine, type Engine } from 'attnkit';
import { memoryCopyGather } from './gather.js';
import { assertClose, machine, measure, table, type Task, writeSection } from './harness.js';
import { seeded } from './random.js';

const ROWS = 30522;
const DIM = 768;
const N = 512;


/** The baseline: one `set` per row, then (with `pe`) one add loop. */
function plainGather(tableData: Float32Array, ids: Int32Array, out: Float32Array, pe?: Float32Array): Float32Array {
  for (let i = 0; i < ids.length; i++) out.set(tableData.subarray(ids[i] * DIM, (ids[i] + 1) * DIM), i * DIM);
  if (pe) for (let j = 0; j < out.length; j++) out[j] += pe[j];
  return out;
}

type Encoder = { encode(ids: Int32Array, out?: Float32Array): { inputs: Float32Array }; dispose(): void };
type WithEncoder = Engine & { encoder?: (config: { table: Float32Array; dim: number; positional: 'sinusoidal' }) => Encoder };

export async function embeddingBench(): Promise<string> {
  const random = seeded(42);
  const tableData = Float32Array.from({ length: ROWS * DIM }, () => random() * 2 - 1);
  const ids = Int32Array.from({ length: N }, () => Math.floor(random() * ROWS));
  const wasm = await createEngine({ backend: 'wasm' });
  const ts = await createEngine({ backend: 'ts' });
  const pe = ts.sinusoidalEncoding(N, DIM);
  const expected = plainGather(tableData, ids, new Float32Array(N * DIM));
  const expectedWithPe = plainGather(tableData, ids, new Float32Array(N * DIM), pe);
  const bytes = N * DIM * 4;

  const out = new Float32Array(N * DIM);
  const reference = memoryCopyGather(tableData, DIM, ids);
  const wasmTable = wasm.embedding(tableData, DIM);
  const tsTable = ts.embedding(tableData, DIM);
  const lookup: Task[] = [
    { name: 'Float32Array.set loop', run: () => plainGather(tableData, ids, out), verify: () => assertClose('set', plainGather(tableData, ids, out), expected, 0), bytes },
    { name: 'attnkit wasm, resident', run: () => wasmTable.lookup(ids, out), verify: () => assertClose('wasm', wasmTable.lookup(ids, out), expected, 0), bytes },
    { name: 'attnkit ts, resident', run: () => tsTable.lookup(ids, out), verify: () => assertClose('ts', tsTable.lookup(ids, out), expected, 0), bytes },
    { name: 'attnkit wasm, stateless', run: () => wasm.embeddingLookup(tableData, DIM, ids, out), verify: () => assertClose('wasm', wasm.embeddingLookup(tableData, DIM, ids, out), expected, 0), bytes },
  ];

  // + sinusoidal PE: the encoder (lookup fused with the positional add) where it exists.
  const withPe: Task[] = [
    { name: 'Float32Array.set loop + add loop', run: () => plainGather(tableData, ids, out, pe), verify: () => assertClose('set+add', plainGather(tableData, ids, out, pe), expectedWithPe, 0), bytes },
    // The encoder returns a fresh array per call: the same loop into a fresh array is its fair baseline.
    { name: 'Float32Array.set loop + add loop, fresh array', run: () => plainGather(tableData, ids, new Float32Array(N * DIM), pe), bytes },
    // The bandwidth reference: rows gathered by memory.copy inside one wasm memory (no PE, no copy out).
    { name: 'reference: memory.copy gather in wasm (no PE)', run: reference.run, verify: () => (reference.run(), assertClose('memory.copy', reference.gathered(), expected, 0)), bytes },
  ];
  const encoders: Encoder[] = [];
  for (const [name, engine] of [['wasm', wasm], ['ts', ts]] as const) {
    const make = (engine as WithEncoder).encoder;
    if (typeof make !== 'function') continue;
    const encoder = make.call(engine, { table: tableData, dim: DIM, positional: 'sinusoidal' });
    encoders.push(encoder);
    // PE in f32 added in f32 on both sides: exact agreement up to the PE's own 1 ulp.
    withPe.push({ name: `attnkit ${name}, encoder (lookup + PE)`, run: () => encoder.encode(ids), verify: () => assertClose(name, encoder.encode(ids).inputs, expectedWithPe, 1e-6), bytes });
    withPe.push({ name: `attnkit ${name}, encoder (lookup + PE) into out`, run: () => encoder.encode(ids, out), verify: () => assertClose(name, encoder.encode(ids, out).inputs, expectedWithPe, 1e-6), bytes });
  }

  const lookupRows = await measure(lookup);
  const peRows = await measure(withPe);
  wasmTable.dispose();
  tsTable.dispose();
  for (const e of encoders) e.dispose();

  const ratio = (a: string, b: string, rows = lookupRows) => {
    const x = rows.find((r) => r.name === a);
    const y = rows.find((r) => r.name === b);
    return x && y ? (y.medianMs / x.medianMs).toFixed(2) : 'n/a';
  };
  return [
    '## Embedding lookup: 512 ids from a 30522×768 table',
    '',
    machine(),
    '',
    'Lookup alone (into a preallocated `out`; throughput counts the 1.5 MiB of rows gathered):',
    '',
    table(lookupRows, 'Float32Array.set loop'),
    '',
    'Lookup + sinusoidal positional encoding ([512, 768], precomputed once for the baselines):',
    '',
    table(peRows, 'Float32Array.set loop + add loop'),
    '',
    `Ratios (speed-up, same run): wasm/ts resident ${ratio('attnkit wasm, resident', 'attnkit ts, resident')}×, ` +
      `wasm/Float32Array.set ${ratio('attnkit wasm, resident', 'Float32Array.set loop')}×; ` +
      `the wasm encoder at ${ratio('attnkit wasm, encoder (lookup + PE)', 'reference: memory.copy gather in wasm (no PE)', peRows)}× the memory.copy gather's speed ` +
      `(${ratio('attnkit wasm, encoder (lookup + PE) into out', 'reference: memory.copy gather in wasm (no PE)', peRows)}× into out; the target is 0.85×).`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeSection('embedding', await embeddingBench());
  console.log('bench/RESULTS.md: embedding section written');
}
