// gelu against torch.nn.functional.gelu in float64 (test/golden/gelu.json), both forms, on
// a dense grid of [−10, 10], N(0, 3) values and the extremes, on both backends. NaN where
// PyTorch gives NaN (GELU(−∞)); elsewhere within ACCURACY.gelu (measured: 9.2e-7 wasm,
// 4.0e-7 ts, largest near |x| = 5.5; exact beyond 5.8).

import { ACCURACY } from 'attnkit';
import { describe, expect, it } from 'vitest';
import { bothEngines } from './helpers/engines.js';
import { f32, f64, loadGolden } from './helpers/golden.js';

const ABS = ACCURACY.gelu;
const engines = await bothEngines();

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  it.each(loadGolden('gelu'))('$name', (c) => {
    const x = f32(c.inputs.x);
    const expected = f64(c.expected.output);
    const out = engines[backend].gelu(x, c.options as { approximate: 'none' | 'tanh' });
    let worst = 0;
    for (let i = 0; i < x.length; i++) {
      if (Number.isNaN(expected[i])) {
        expect(out[i], `x = ${x[i]}`).toBeNaN();
        continue;
      }
      const d = out[i] === expected[i] ? 0 : Math.abs(out[i] - expected[i]); // ∞ = ∞
      worst = Math.max(worst, d / ABS);
      if (!(d <= ABS)) throw new Error(`${c.name}: x = ${x[i]}: ${out[i]} vs ${expected[i]} (|Δ| ${d})`);
    }
    if (process.env.GOLDEN_REPORT) console.log(`golden ${c.name}: worst |Δ| / bound = ${worst.toFixed(3)}`);
  });
});
