/**
 * The multi-head attention layer (projections, attention, output projection) at batch 1,
 * sequence 128 and 512, embed 768, 12 heads (BERT-base), on attnkit wasm (resident layer
 * and stateless) and ts. Outputs are checked wasm against ts before timing.
 * GFLOP/s counts 2 per multiply-add: 8·S·E² + 4·S²·E.
 */

import { createEngine } from 'attnkit';
import { assertClose, machine, measure, table, type Task } from './harness.js';
import { D, E, H } from './naive.js';
import { seeded, uniform } from './random.js';

export async function mhaBench(): Promise<string> {
  const wasm = await createEngine({ backend: 'wasm' });
  const ts = await createEngine({ backend: 'ts' });
  const random = seeded(7);
  // Xavier-scale weights keep activations unit-scale, like a trained layer's.
  const w = () => uniform(random, E * E, Math.sqrt(3 / E));
  const params = { wq: w(), wk: w(), wv: w(), wo: w(), bq: uniform(random, E, 0.1), bk: uniform(random, E, 0.1), bv: uniform(random, E, 0.1), bo: uniform(random, E, 0.1) };
  const config = { embedDim: E, numHeads: H };
  const wasmLayer = wasm.selfAttention(params, config);
  const tsLayer = ts.selfAttention(params, config);

  const sections: string[] = [`## Multi-head attention layer, E ${E}, ${H} heads × ${D}`, '', machine(), ''];
  for (const S of [128, 512]) {
    const x = uniform(random, S * E, 1);
    const flops = 8 * S * E * E + 4 * S * S * E;
    const reference = tsLayer.forward(x, { seqLen: S }).output;
    // f32 sums of 768 products in different orders: 1e-4 absolute on unit-scale outputs.
    const tasks: Task[] = [
      { name: `layer S${S}: wasm, resident`, run: () => wasmLayer.forward(x, { seqLen: S }), verify: () => assertClose('wasm resident', wasmLayer.forward(x, { seqLen: S }).output, reference, 1e-4), flops },
      { name: `layer S${S}: wasm, stateless`, run: () => wasm.multiHeadAttention(x, params, { seqLen: S, embedDim: E, numHeads: H }), verify: () => assertClose('wasm stateless', wasm.multiHeadAttention(x, params, { seqLen: S, embedDim: E, numHeads: H }).output, reference, 1e-4), flops },
      { name: `layer S${S}: ts, resident`, run: () => tsLayer.forward(x, { seqLen: S }), flops },
    ];
    const rows = await measure(tasks, 2000, S === 512 ? 5 : 10);
    sections.push(`### Layer, batch 1, S ${S}, E ${E}, ${H} heads`, '', table(rows, `layer S${S}: ts, resident`), '');
  }

  wasmLayer.dispose();
  tsLayer.dispose();
  return sections.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { writeSection } = await import('./harness.js');
  writeSection('mha', await mhaBench());
  console.log('bench/RESULTS.md: mha section written');
}
