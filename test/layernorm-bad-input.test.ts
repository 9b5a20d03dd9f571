// Every bad argument of layerNorm: the right error, naming the argument, and `out`
// untouched.

import { describe, expect, it } from 'vitest';
import { expectRejects } from './helpers/bad-input.js';
import { bothEngines } from './helpers/engines.js';

const engines = await bothEngines();

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  const call = (...args: unknown[]) => () => (engines[backend].layerNorm as (...a: unknown[]) => unknown)(...args);
  const x = new Float32Array(8);
  const w = new Float32Array(4);

  it('x not a multiple of dim, or not a Float32Array', () => {
    expectRejects(call(new Float32Array(7), w, undefined, { dim: 4 }), RangeError, /layerNorm: x\.length \(7\) must be a multiple of opts\.dim \(4\)/);
    expectRejects(call([1, 2, 3, 4], w, undefined, { dim: 4 }), TypeError, /layerNorm: x must be a Float32Array, got an array/);
  });

  it('weight and bias of the wrong length', () => {
    expectRejects(call(x, new Float32Array(3), undefined, { dim: 4 }), RangeError, /layerNorm: weight must hold opts\.dim = 4 elements, got length 3/);
    expectRejects(call(x, w, new Float32Array(5), { dim: 4 }), RangeError, /layerNorm: bias must hold opts\.dim = 4 elements, got length 5/);
    expectRejects(call(x, undefined, undefined, { dim: 4 }), TypeError, /layerNorm: weight must be a Float32Array/);
  });

  it('dim and eps out of range, opts missing', () => {
    expectRejects(call(x, w, undefined, { dim: 0 }), RangeError, /opts\.dim must be an integer ≥ 1, got 0/);
    expectRejects(call(x, w, undefined, { dim: 4, eps: 0 }), RangeError, /opts\.eps must be a finite number > 0, got 0/);
    expectRejects(call(x, w, undefined, { dim: 4, eps: NaN }), RangeError, /opts\.eps/);
    expectRejects(call(x, w, undefined), TypeError, /layerNorm: opts must be an object/);
  });

  it('a wrong out is a RangeError and stays untouched', () => {
    const out = new Float32Array(7).fill(5);
    expectRejects(call(x, w, undefined, { dim: 4 }, out), RangeError, /layerNorm: out must hold/);
    expect(out.every((v) => v === 5)).toBe(true);
  });
});
