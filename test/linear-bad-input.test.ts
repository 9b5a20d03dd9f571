// Every bad argument of linear: the right error, naming the argument.

import { describe, expect, it } from 'vitest';
import { expectRejects } from './helpers/bad-input.js';
import { bothEngines } from './helpers/engines.js';

const engines = await bothEngines();

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  const call = (...args: unknown[]) => () => (engines[backend].linear as (...a: unknown[]) => unknown)(...args);
  const x = new Float32Array(6); // [2, 3]
  const w = new Float32Array(12); // [4, 3]
  const opts = { inFeatures: 3, outFeatures: 4 };

  it('x not a multiple of inFeatures', () => {
    expectRejects(call(new Float32Array(5), w, undefined, opts), RangeError, /linear: x\.length \(5\) must be a multiple of opts\.inFeatures \(3\)/);
  });

  it('weight [in, out] instead of [out, in] of another size, bias of the wrong length', () => {
    expectRejects(call(x, new Float32Array(9), undefined, opts), RangeError, /linear: weight must hold \[outFeatures, inFeatures\] = 12 elements, got length 9/);
    expectRejects(call(x, w, new Float32Array(3), opts), RangeError, /linear: bias must hold outFeatures = 4 elements, got length 3/);
    expectRejects(call(x, Array.from(w), undefined, opts), TypeError, /linear: weight must be a Float32Array/);
  });

  it('sizes out of range or missing', () => {
    expectRejects(call(x, w, undefined, { inFeatures: 3 }), TypeError, /linear: opts\.outFeatures must be a number, got undefined/);
    expectRejects(call(x, w, undefined, { inFeatures: 0, outFeatures: 4 }), RangeError, /opts\.inFeatures must be an integer ≥ 1, got 0/);
  });

  it('a wrong out stays untouched', () => {
    const out = new Float32Array(7).fill(5);
    expectRejects(call(x, w, undefined, opts, out), RangeError, /linear: out must hold/);
    expect(out.every((v) => v === 5)).toBe(true);
  });
});
