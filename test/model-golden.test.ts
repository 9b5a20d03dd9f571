// Whole BERT encoders (1 and 3 layers, padding masks, token types; F32, F16 and BF16
// checkpoints, with and without the bert. prefix, GELU erf and tanh) against PyTorch
// float64 (scripts/golden/bert.py), on both backends, with f32 and f16 storage:
// last_hidden_state, mean and CLS pooling. Tolerances: the documented bounds.

import { ACCURACY } from 'attnkit';
import { describe, expect, it } from 'vitest';
import { bothEngines } from './helpers/engines.js';
import { expectGolden, f64 } from './helpers/golden.js';
import { checkpoint, goldenPath, loadModelCases, modelInput } from './helpers/model-golden.js';

/** forward: ≤ 3 layers of f32 GEMMs (K ≤ 48) and LayerNorms on O(1) activations; measured ≤ 1.3e-6. */
const FORWARD_TOLERANCE = ACCURACY.model.forward;
/** embed: unit vectors of 12–16 entries; measured ≤ 2.3e-7. */
const EMBED_TOLERANCE = ACCURACY.model.embed;
const engines = await bothEngines();

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  describe.each(['f32', 'f16'] as const)('dtype %s', (dtype) => {
    it.each(loadModelCases())('$name', async (c) => {
      const engine = engines[backend];
      const before = engine.memoryBytes;
      // Alternate the sources: bytes and a file path.
      const weights = c.name.startsWith('3') ? goldenPath(c.file) : checkpoint(c);
      const model = await engine.loadModel({ config: c.config, weights, dtype });
      const input = modelInput(c);
      const expected = c.expected[dtype];
      expectGolden(model.forward(input), f64(expected.hidden), FORWARD_TOLERANCE, `${c.name}: last_hidden_state`);
      expectGolden(model.embed(input), f64(expected.mean), EMBED_TOLERANCE, `${c.name}: mean pooling`);
      expectGolden(model.embed(input, { pooling: 'cls' }), f64(expected.cls), EMBED_TOLERANCE, `${c.name}: CLS pooling`);
      expect(model.config.numLayers).toBe(c.config.num_hidden_layers);
      model.dispose();
      if (backend === 'ts') expect(engine.memoryBytes).toBe(before);
    });
  });
});
