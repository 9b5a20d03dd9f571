/**
 * Bare attention of 12 heads × 64 at sequence 2048, plain and causal, on attnkit wasm and
 * ts. Outputs are checked wasm against ts before timing.
 * GFLOP/s counts 2 per multiply-add: 4·H·S²·D (half of it when causal).
 */

import { createEngine } from 'attnkit';
import { assertClose, machine, measure, table, type Task } from './harness.js';
import { D, H } from './naive.js';
import { seeded, uniform } from './random.js';

export async function attentionBench(): Promise<string> {
  const wasm = await createEngine({ backend: 'wasm' });
  const ts = await createEngine({ backend: 'ts' });
  const random = seeded(7);
  const sections: string[] = ['## Attention', '', machine(), ''];
  const S = 2048;
  const q = uniform(random, S * H * D, 1);
  const k = uniform(random, S * H * D, 1);
  const v = uniform(random, S * H * D, 1);
  for (const causal of [false, true]) {
    const opts = { seqQ: S, seqK: S, numHeads: H, headDim: D, causal };
    const flops = 4 * H * S * S * D * (causal ? 0.5 : 1);
    const reference = ts.attention(q, k, v, opts).output;
    const label = `attention S${S}${causal ? ', causal' : ''}`;
    const tasks: Task[] = [
      { name: `${label}: wasm`, run: () => wasm.attention(q, k, v, opts), verify: () => assertClose('wasm', wasm.attention(q, k, v, opts).output, reference, 1e-4), flops },
      { name: `${label}: ts`, run: () => ts.attention(q, k, v, opts), flops },
    ];
    const rows = await measure(tasks, 3000, 3);
    sections.push(`### Bare attention, ${H} heads × ${D}, S ${S}${causal ? ', causal (GFLOP/s counts the unmasked half)' : ''}`, '', table(rows, `${label}: ts`), '');
  }
  return sections.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { writeSection } = await import('./harness.js');
  writeSection('attention', await attentionBench());
  console.log('bench/RESULTS.md: attention section written');
}
