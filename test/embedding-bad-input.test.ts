// Every bad argument of the lookup: the right error class, a message naming the argument,
// what was expected and what was got; thrown before any work (a given `out` is left
// untouched) and the engine still works afterwards.

import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from 'attnkit';
import { expectRejects } from './helpers/bad-input.js';
import { bothEngines, type Engines } from './helpers/engines.js';

let engines: Engines;
beforeAll(async () => {
  engines = await bothEngines();
});

const table = Float32Array.from({ length: 12 }, (_, i) => i); // [4, 3]

function stillWorks(engine: Engine): void {
  expect(Array.from(engine.embeddingLookup(table, 3, [1]))).toEqual([3, 4, 5]);
}

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  const lookup = (...args: unknown[]) => () => (engines[backend].embeddingLookup as (...a: unknown[]) => unknown)(...args);

  it('an id ≥ rows is a RangeError with its position and value', () => {
    expectRejects(lookup(table, 3, [0, 2, 4]), RangeError, /embeddingLookup/, /ids\[2\]/, /= 4/, /\[0, 4\)/);
    stillWorks(engines[backend]);
  });

  it('a negative id is a RangeError', () => {
    expectRejects(lookup(table, 3, Int32Array.from([-1])), RangeError, /ids\[0\] = -1/);
    stillWorks(engines[backend]);
  });

  it('a fractional id is a RangeError', () => {
    expectRejects(lookup(table, 3, [1, 1.5]), RangeError, /ids\[1\] = 1\.5/);
    stillWorks(engines[backend]);
  });

  it('a NaN id is a RangeError', () => {
    expectRejects(lookup(table, 3, [NaN]), RangeError, /ids\[0\] = NaN/);
    stillWorks(engines[backend]);
  });

  it('a non-number id is a RangeError naming it', () => {
    expectRejects(lookup(table, 3, [0, '1']), RangeError, /ids\[1\] = "1"/);
    stillWorks(engines[backend]);
  });

  it('ids of the wrong kind are a TypeError', () => {
    expectRejects(lookup(table, 3, new Float32Array([1])), TypeError, /ids must be an Int32Array, a Uint32Array or an array/, /Float32Array/);
    expectRejects(lookup(table, 3, 'abc'), TypeError, /ids/);
    stillWorks(engines[backend]);
  });

  it('a table that is not a Float32Array is a TypeError', () => {
    expectRejects(lookup(new Float64Array(12), 3, [0]), TypeError, /table must be a Float32Array/, /Float64Array/);
    expectRejects(lookup([1, 2, 3], 3, [0]), TypeError, /table/);
  });

  it('a dim that does not divide the table is a RangeError', () => {
    expectRejects(lookup(table, 5, [0]), RangeError, /table\.length \(12\) must be a multiple of dim \(5\)/);
  });

  it('a dim that is not a positive integer is a RangeError', () => {
    expectRejects(lookup(table, 0, [0]), RangeError, /dim must be an integer ≥ 1, got 0/);
    expectRejects(lookup(table, 1.5, [0]), RangeError, /dim .* got 1\.5/);
    expectRejects(lookup(table, '3', [0]), TypeError, /dim must be a number/);
  });

  it('an out of the wrong length or kind is rejected', () => {
    expectRejects(lookup(table, 3, [1, 2], new Float32Array(5)), RangeError, /out must hold \[ids\.length, dim\] = 6 elements, got length 5/);
    expectRejects(lookup(table, 3, [1], new Float64Array(3)), TypeError, /out must be a Float32Array/);
  });

  it('a bad id leaves a given out untouched', () => {
    const out = new Float32Array(6).fill(-7);
    expectRejects(lookup(table, 3, [1, 99], out), RangeError, /ids\[1\] = 99/);
    expect(Array.from(out)).toEqual([-7, -7, -7, -7, -7, -7]);
  });

  it('a resident table rejects bad ids the same way and stays usable', () => {
    const emb = engines[backend].embedding(table, 3);
    const out = new Float32Array(3).fill(-1);
    expectRejects(() => emb.lookup([4], out), RangeError, /embedding\.lookup/, /ids\[0\] = 4/);
    expect(Array.from(out)).toEqual([-1, -1, -1]);
    expect(Array.from(emb.lookup([3]))).toEqual([9, 10, 11]);
    emb.dispose();
  });

  it('a disposed resident table throws an Error on use, and dispose is idempotent', () => {
    const emb = engines[backend].embedding(table, 3);
    emb.dispose();
    emb.dispose();
    expectRejects(() => emb.lookup([0]), Error, /disposed/);
    stillWorks(engines[backend]);
  });

  it('engine.embedding checks its table and dim', () => {
    expectRejects(() => engines[backend].embedding(new Float32Array(10), 3), RangeError, /embedding: table\.length \(10\) must be a multiple of dim \(3\)/);
    expectRejects(() => engines[backend].embedding(new Uint8Array(9) as unknown as Float32Array, 3), TypeError, /table must be a Float32Array/);
  });
});
