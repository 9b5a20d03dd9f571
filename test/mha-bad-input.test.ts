// Every bad argument of multiHeadAttention, selfAttention and forward: error class, the
// argument named, nothing modified, the engine and a resident layer still usable.

import { beforeAll, describe, expect, it } from 'vitest';
import type { AttentionParams } from 'attnkit';
import { expectRejects } from './helpers/bad-input.js';
import { bothEngines, type Engines } from './helpers/engines.js';
import { rng, uniform } from './helpers/random.js';

let engines: Engines;
beforeAll(async () => {
  engines = await bothEngines();
});

const E = 8;
const random = rng(9);
const params: AttentionParams = { wq: uniform(random, E * E), wk: uniform(random, 4 * E), wv: uniform(random, 4 * E), wo: uniform(random, E * E), bq: uniform(random, E) };
const opts = { seqLen: 3, embedDim: E, numHeads: 4, numKvHeads: 2 }; // headDim 2, wk/wv [4, 8]
const x = uniform(random, 3 * E);

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  const mha = (...args: unknown[]) => () => (engines[backend].multiHeadAttention as (...a: unknown[]) => unknown)(...args);

  it('numHeads not dividing embedDim', () => expectRejects(mha(x, params, { ...opts, numHeads: 3 }), RangeError, /opts\.numHeads \(3\) must divide opts\.embedDim \(8\)/));
  it('numKvHeads not dividing numHeads', () => expectRejects(mha(x, params, { ...opts, numKvHeads: 3 }), RangeError, /opts\.numKvHeads \(3\) must divide opts\.numHeads \(4\)/));
  it('x of the wrong length', () => expectRejects(mha(x.subarray(1), params, opts), RangeError, /x must hold batch × seqLen × embedDim = 24 elements, got length 23/));
  it('wk of the GQA shape expected', () => expectRejects(mha(x, { ...params, wk: uniform(random, E * E) }, opts), RangeError, /params\.wk must hold \[numKvHeads × headDim, embedDim\] = 32 elements, got length 64/));
  it('a missing weight', () => expectRejects(mha(x, { ...params, wo: undefined }, opts), TypeError, /params\.wo must be a Float32Array, got undefined/));
  it('a bias of the wrong length', () => expectRejects(mha(x, { ...params, bo: new Float32Array(3) }, opts), RangeError, /params\.bo must hold \[embedDim\] = 8 elements, got length 3/));
  it('kv of the wrong length for seqK', () => expectRejects(mha(x, params, { ...opts, kv: new Float32Array(20), seqK: 2 }), RangeError, /opts\.kv must hold batch × seqK × embedDim = 16 elements, got length 20/));
  it('seqK without kv', () => expectRejects(mha(x, params, { ...opts, seqK: 5 }), RangeError, /opts\.seqK \(5\) must equal opts\.seqLen \(3\) without opts\.kv/));
  it('rope with an odd head width', () => expectRejects(mha(x, { ...params, wk: uniform(random, E * E), wv: uniform(random, E * E) }, { ...opts, numHeads: 8, numKvHeads: 8, rope: {} }), RangeError, /opts\.rope needs an even headDim/));
  it('a mask of the wrong length', () => expectRejects(mha(x, params, { ...opts, mask: new Float32Array(4) }), RangeError, /opts\.mask must hold seqQ × seqK = 9/));
  it('averageWeights that is not a boolean', () => expectRejects(mha(x, params, { ...opts, averageWeights: 1 }), TypeError, /opts\.averageWeights must be a boolean/));

  it('selfAttention checks its config and params; forward checks its call', () => {
    expectRejects(() => engines[backend].selfAttention(params, { embedDim: E, numHeads: 5 }), RangeError, /selfAttention: config\.numHeads \(5\) must divide config\.embedDim \(8\)/);
    expectRejects(() => engines[backend].selfAttention({ ...params, wq: new Float32Array(3) }, { embedDim: E, numHeads: 4, numKvHeads: 2 }), RangeError, /selfAttention: params\.wq must hold/);
    const layer = engines[backend].selfAttention(params, { embedDim: E, numHeads: 4, numKvHeads: 2 });
    expectRejects(() => layer.forward(x.subarray(0, 16), { seqLen: 3 }), RangeError, /selfAttention\.forward: x must hold/);
    expectRejects(() => layer.forward(x, { seqLen: 3, keyPaddingMask: new Uint8Array(2) }), RangeError, /opts\.keyPaddingMask must hold batch × seqK = 3/);
    expect(layer.forward(x, { seqLen: 3 }).output.length).toBe(24); // still usable
    layer.dispose();
  });

  it('params and x are untouched, the engine still works', () => {
    const before = [x.slice(), params.wq.slice(), params.bq!.slice()];
    engines[backend].multiHeadAttention(x, params, { ...opts, rope: { offset: 2 }, returnWeights: true });
    expect([x, params.wq, params.bq]).toEqual(before);
  });
});
