// Embedding lookup against torch.nn.functional.embedding (test/golden/embedding.json).
// A lookup copies float32 values, so the result must equal the reference exactly.

import { ACCURACY } from 'attnkit';
import { describe, it } from 'vitest';
import { bothEngines } from './helpers/engines.js';
import { expectGolden, f32, f64, loadGolden } from './helpers/golden.js';

const engines = await bothEngines();

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  it.each(loadGolden('embedding'))('$name', (c) => {
    const table = f32(c.inputs.table);
    const ids = c.inputs.ids as number[];
    const dim = c.options.dim as number;
    const expected = f64(c.expected.output);
    expectGolden(engines[backend].embeddingLookup(table, dim, ids), expected, ACCURACY.embedding, 'stateless');
    const resident = engines[backend].embedding(table, dim);
    expectGolden(resident.lookup(ids), expected, ACCURACY.embedding, 'resident');
    resident.dispose();
  });
});
