// Every bad argument of gelu: the right error, naming the argument.

import { describe, expect, it } from 'vitest';
import { expectRejects } from './helpers/bad-input.js';
import { bothEngines } from './helpers/engines.js';

const engines = await bothEngines();

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  const call = (...args: unknown[]) => () => (engines[backend].gelu as (...a: unknown[]) => unknown)(...args);

  it('x not a Float32Array', () => {
    expectRejects(call(new Float64Array(3)), TypeError, /gelu: x must be a Float32Array, got a Float64Array of length 3/);
  });

  it('an unknown approximation', () => {
    expectRejects(call(new Float32Array(3), { approximate: 'erf' }), RangeError, /gelu: opts\.approximate must be 'none' or 'tanh', got "erf"/);
    expectRejects(call(new Float32Array(3), 'tanh'), TypeError, /gelu: opts must be an object/);
  });

  it('a wrong out stays untouched', () => {
    const out = new Float32Array(2).fill(5);
    expectRejects(call(new Float32Array(3), {}, out), RangeError, /gelu: out must hold x\.length = 3 elements, got length 2/);
    expect(Array.from(out)).toEqual([5, 5]);
  });
});
