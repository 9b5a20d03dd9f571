// Every bad argument of rope: the right error, naming the argument, x never modified.

import { beforeAll, describe, expect, it } from 'vitest';
import { expectRejects } from './helpers/bad-input.js';
import { bothEngines, type Engines } from './helpers/engines.js';

let engines: Engines;
beforeAll(async () => {
  engines = await bothEngines();
});

const shape = { seqLen: 2, numHeads: 2, headDim: 4 };
const x = Float32Array.from({ length: 16 }, (_, i) => i / 16);

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  const rope = (...args: unknown[]) => () => (engines[backend].rope as (...a: unknown[]) => unknown)(...args);

  it('an odd headDim is a RangeError', () => {
    expectRejects(rope(new Float32Array(2 * 2 * 3), { seqLen: 2, numHeads: 2, headDim: 3 }), RangeError, /rope: opts\.headDim must be even/, /got 3/);
  });

  it('x of the wrong length is a RangeError naming the shape', () => {
    expectRejects(rope(new Float32Array(15), shape), RangeError, /x must hold batch × seqLen × numHeads × headDim = 16 elements, got length 15/);
  });

  it('x of the wrong kind is a TypeError', () => {
    expectRejects(rope(Array.from(x), shape), TypeError, /x must be a Float32Array, got an array/);
  });

  it('missing opts is a TypeError, missing seqLen too', () => {
    expectRejects(rope(x), TypeError, /opts must be an object/);
    expectRejects(rope(x, { numHeads: 2, headDim: 4 }), TypeError, /opts\.seqLen must be a number, got undefined/);
  });

  it('positions of the wrong kind or length are rejected', () => {
    expectRejects(rope(x, { ...shape, positions: [0, 1] }), TypeError, /opts\.positions must be an Int32Array/);
    expectRejects(rope(x, { ...shape, positions: Int32Array.from([0]) }), RangeError, /opts\.positions must hold seqLen = 2 positions, got length 1/);
  });

  it('a bad base or offset is a RangeError', () => {
    expectRejects(rope(x, { ...shape, base: -1 }), RangeError, /opts\.base/);
    expectRejects(rope(x, { ...shape, offset: 1.5 }), RangeError, /opts\.offset/);
  });

  it('interleaved that is not a boolean is a TypeError', () => {
    expectRejects(rope(x, { ...shape, interleaved: 1 }), TypeError, /opts\.interleaved must be a boolean, got 1/);
  });

  it('an out of the wrong length is a RangeError', () => {
    expectRejects(rope(x, shape, new Float32Array(4)), RangeError, /out must hold/);
  });

  it('x is untouched and the engine still works after every rejection', () => {
    expect(Array.from(x)).toEqual(Array.from({ length: 16 }, (_, i) => Math.fround(i / 16)));
    expect(engines[backend].rope(x, shape).length).toBe(16);
  });
});
