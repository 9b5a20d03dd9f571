// wasm vs ts embedding lookup, stateless and resident, on 240 seeded random cases that
// always include the edge sizes: dim 1, dims not a multiple of 4, one row, empty ids,
// ids at rows − 1. A lookup is a copy, so the backends must agree bit for bit.

import { beforeAll, describe, expect, it } from 'vitest';
import * as reference from './helpers/reference.js';
import { bothEngines, type Engines } from './helpers/engines.js';
import { int, pick, rng, uniform } from './helpers/random.js';

let engines: Engines;
beforeAll(async () => {
  engines = await bothEngines();
});

interface Case {
  seed: number;
  rows: number;
  dim: number;
  ids: number[];
  kind: 'Int32Array' | 'Uint32Array' | 'array';
}

function makeCase(seed: number): Case {
  const random = rng(seed);
  const rows = pick(random, [1, 2, 3, int(random, 4, 64), int(random, 65, 300)]);
  const dim = pick(random, [1, 2, 3, 4, 5, 7, 8, 15, 16, 17, int(random, 18, 130)]);
  const n = pick(random, [0, 1, int(random, 2, 8), int(random, 9, 200)]);
  // Half the ids at the table's end, where an off-by-one would read past it.
  const ids = Array.from({ length: n }, () => (random() < 0.5 ? rows - 1 - int(random, 0, Math.min(2, rows - 1)) : int(random, 0, rows - 1)));
  return { seed, rows, dim, ids, kind: pick(random, ['Int32Array', 'Uint32Array', 'array'] as const) };
}

function idsOf(c: Case): Int32Array | Uint32Array | number[] {
  return c.kind === 'Int32Array' ? Int32Array.from(c.ids) : c.kind === 'Uint32Array' ? Uint32Array.from(c.ids) : [...c.ids];
}

describe('embeddingLookup: wasm equals ts and the reference exactly', () => {
  const cases = Array.from({ length: 240 }, (_, i) => makeCase(1000 + i));

  it('covers the edge sizes', () => {
    expect(cases.some((c) => c.dim === 1)).toBe(true);
    expect(cases.some((c) => c.dim % 4 !== 0 && c.dim > 4)).toBe(true);
    expect(cases.some((c) => c.rows === 1)).toBe(true);
    expect(cases.some((c) => c.ids.length === 0)).toBe(true);
  });

  it.each(cases)('seed $seed: rows $rows, dim $dim, $kind', (c) => {
    const table = uniform(rng(c.seed), c.rows * c.dim, 3);
    const expected = engines.ts.embeddingLookup(table, c.dim, idsOf(c));
    expect(engines.wasm.embeddingLookup(table, c.dim, idsOf(c))).toEqual(expected);
    expect(Array.from(expected)).toEqual(Array.from(reference.embeddingLookup(table, c.dim, c.ids)));

    const wasmResident = engines.wasm.embedding(table, c.dim);
    const tsResident = engines.ts.embedding(table, c.dim);
    try {
      expect(wasmResident.lookup(idsOf(c))).toEqual(expected);
      expect(tsResident.lookup(idsOf(c))).toEqual(expected);
    } finally {
      wasmResident.dispose();
      tsResident.dispose();
    }
  });
});
