// Every bad argument of attention: error class, a message naming the argument, nothing
// modified, and the engine still usable.

import { beforeAll, describe, expect, it } from 'vitest';
import { expectRejects } from './helpers/bad-input.js';
import { bothEngines, type Engines } from './helpers/engines.js';
import { rng, uniform } from './helpers/random.js';

let engines: Engines;
beforeAll(async () => {
  engines = await bothEngines();
});

const opts = { batch: 1, seqQ: 2, seqK: 3, numHeads: 4, numKvHeads: 2, headDim: 4 };
const q = uniform(rng(1), 2 * 4 * 4);
const k = uniform(rng(2), 3 * 2 * 4);
const v = uniform(rng(3), 3 * 2 * 4);
const snapshot = [q.slice(), k.slice(), v.slice()];

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  const call = (...args: unknown[]) => () => (engines[backend].attention as (...a: unknown[]) => unknown)(...args);

  it('q of the wrong length', () => expectRejects(call(q.subarray(1), k, v, opts), RangeError, /attention: q must hold batch × seqQ × numHeads × headDim = 32 elements, got length 31/));
  it('k of the wrong length (numKvHeads counted)', () => expectRejects(call(q, q.subarray(0, 24 + 4), v, opts), RangeError, /k must hold batch × seqK × numKvHeads × headDim = 24 elements/));
  it('v of the wrong kind', () => expectRejects(call(q, k, Array.from(v), opts), TypeError, /v must be a Float32Array, got an array/));
  it('numKvHeads not dividing numHeads', () => expectRejects(call(q, k, v, { ...opts, numKvHeads: 3 }), RangeError, /opts\.numKvHeads \(3\) must divide opts\.numHeads \(4\)/));
  it('a mask of the wrong length', () => expectRejects(call(q, k, v, { ...opts, mask: new Float32Array(10) }), RangeError, /opts\.mask must hold seqQ × seqK = 6 or batch × numHeads × seqQ × seqK = 24 elements, got length 10/));
  it('a mask of the wrong kind', () => expectRejects(call(q, k, v, { ...opts, mask: new Float64Array(6) }), TypeError, /opts\.mask must be a Float32Array/));
  it('a key padding mask that is not a Uint8Array', () => expectRejects(call(q, k, v, { ...opts, keyPaddingMask: [0, 1, 0] }), TypeError, /opts\.keyPaddingMask must be a Uint8Array, got an array/));
  it('a key padding mask of the wrong length', () => expectRejects(call(q, k, v, { ...opts, keyPaddingMask: new Uint8Array(2) }), RangeError, /opts\.keyPaddingMask must hold batch × seqK = 3 elements, got length 2/));
  it('a scale that is not finite', () => expectRejects(call(q, k, v, { ...opts, scale: NaN }), RangeError, /opts\.scale must be a finite number > 0, got NaN/));
  it('a missing headDim', () => expectRejects(call(q, k, v, { ...opts, headDim: undefined }), TypeError, /opts\.headDim must be a number, got undefined/));
  it('a fractional seqK', () => expectRejects(call(q, k, v, { ...opts, seqK: 2.5 }), RangeError, /opts\.seqK must be an integer ≥ 0, got 2\.5/));
  it('causal that is not a boolean', () => expectRejects(call(q, k, v, { ...opts, causal: 'yes' }), TypeError, /opts\.causal must be a boolean/));
  it('no options', () => expectRejects(call(q, k, v), TypeError, /attention: opts must be an object/));
  it('an out of the wrong length', () => expectRejects(call(q, k, v, opts, new Float32Array(31)), RangeError, /attention: out must hold batch × seqQ × numHeads × headDim = 32 elements, got length 31/));
  it('an out of the wrong kind', () => expectRejects(call(q, k, v, opts, new Float64Array(32)), TypeError, /attention: out must be a Float32Array/));
  it('an out that shares memory with an input', () => {
    const shared = new Float32Array(32 + 24);
    shared.set(k, 32);
    const before = shared.slice();
    expectRejects(call(q, shared.subarray(32), v, opts, shared.subarray(8, 40)), RangeError, /attention: out shares memory with k/);
    expect(shared).toEqual(before);
  });

  it('inputs are untouched and the engine still works', () => {
    expect([q, k, v]).toEqual(snapshot);
    expect(engines[backend].attention(q, k, v, opts).output.length).toBe(32);
  });
});
