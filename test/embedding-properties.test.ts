// Properties of the lookup that hold for any table, on both backends.

import { beforeAll, describe, expect, it } from 'vitest';
import { bothEngines, type Engines } from './helpers/engines.js';
import { rng, uniform } from './helpers/random.js';

let engines: Engines;
beforeAll(async () => {
  engines = await bothEngines();
});

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  it('a lookup of 0..rows returns the table', () => {
    for (const [rows, dim] of [[1, 1], [5, 3], [17, 4], [33, 17]]) {
      const table = uniform(rng(rows * dim), rows * dim);
      const all = Array.from({ length: rows }, (_, i) => i);
      expect(engines[backend].embeddingLookup(table, dim, all)).toEqual(table);
      const resident = engines[backend].embedding(table, dim);
      expect(resident.lookup(all)).toEqual(table);
      resident.dispose();
    }
  });

  it('row i of the result is row ids[i] of the table, for repeated ids', () => {
    const dim = 6;
    const table = uniform(rng(7), 10 * dim);
    const ids = [9, 9, 0, 4, 9];
    const out = engines[backend].embeddingLookup(table, dim, ids);
    ids.forEach((id, i) => expect(out.subarray(i * dim, (i + 1) * dim)).toEqual(table.subarray(id * dim, (id + 1) * dim)));
  });

  it('fills and returns a given out array', () => {
    const table = uniform(rng(8), 4 * 3);
    const out = new Float32Array(2 * 3);
    const result = engines[backend].embeddingLookup(table, 3, [3, 1], out);
    expect(result).toBe(out);
    expect(out).toEqual(engines.ts.embeddingLookup(table, 3, [3, 1]));
  });

  it('does not modify the table or the ids, and a resident table ignores later changes', () => {
    const table = uniform(rng(9), 6 * 4);
    const tableBefore = table.slice();
    const ids = Int32Array.from([5, 0, 2]);
    const resident = engines[backend].embedding(table, 4);
    const first = resident.lookup(ids);
    expect(table).toEqual(tableBefore);
    expect(ids).toEqual(Int32Array.from([5, 0, 2]));
    table.fill(42);
    expect(resident.lookup(ids)).toEqual(first);
    resident.dispose();
  });

  it('empty ids give an empty result', () => {
    expect(engines[backend].embeddingLookup(new Float32Array(6), 3, []).length).toBe(0);
  });
});
