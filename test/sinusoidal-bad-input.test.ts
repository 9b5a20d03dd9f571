// Every bad argument of sinusoidalEncoding: the right error, naming the argument.

import { beforeAll, describe, expect, it } from 'vitest';
import { expectRejects } from './helpers/bad-input.js';
import { bothEngines, type Engines } from './helpers/engines.js';

let engines: Engines;
beforeAll(async () => {
  engines = await bothEngines();
});

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  const pe = (...args: unknown[]) => () => (engines[backend].sinusoidalEncoding as (...a: unknown[]) => unknown)(...args);

  it('a negative or fractional seqLen is a RangeError', () => {
    expectRejects(pe(-1, 4), RangeError, /sinusoidalEncoding: seqLen must be an integer ≥ 0, got -1/);
    expectRejects(pe(2.5, 4), RangeError, /seqLen .* got 2\.5/);
  });

  it('a dim below 1 is a RangeError', () => {
    expectRejects(pe(3, 0), RangeError, /dim must be an integer ≥ 1, got 0/);
  });

  it('a base that is not a finite positive number is a RangeError', () => {
    expectRejects(pe(3, 4, { base: 0 }), RangeError, /opts\.base must be a finite number > 0, got 0/);
    expectRejects(pe(3, 4, { base: Infinity }), RangeError, /opts\.base/);
    expectRejects(pe(3, 4, { base: '10000' }), TypeError, /opts\.base must be a number/);
  });

  it('a fractional offset is a RangeError', () => {
    expectRejects(pe(3, 4, { offset: 0.5 }), RangeError, /opts\.offset .* got 0\.5/);
  });

  it('opts that is not an object is a TypeError', () => {
    expectRejects(pe(3, 4, 10000), TypeError, /opts must be an object, got 10000/);
  });

  it('the engine still works after every rejection', () => {
    expect(Array.from(engines[backend].sinusoidalEncoding(1, 2))).toEqual([0, 1]);
  });
});
