// A query row whose every key is removed — by −∞ in the mask, by causal, by padding, or a
// mix — gives zeros in the output and the weights, never NaN; the other rows are normal.

import { beforeAll, describe, expect, it } from 'vitest';
import { bothEngines, type Engines } from './helpers/engines.js';
import { rng, uniform } from './helpers/random.js';

let engines: Engines;
beforeAll(async () => {
  engines = await bothEngines();
});

const [S, T, H, D] = [3, 4, 2, 4];
const q = uniform(rng(1), S * H * D);
const k = uniform(rng(2), T * H * D);
const v = uniform(rng(3), T * H * D);
const base = { seqQ: S, seqK: T, numHeads: H, headDim: D, returnWeights: true };

function rowOf(output: Float32Array, i: number): number[] {
  return Array.from(output.subarray(i * H * D, (i + 1) * H * D));
}

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  it('by the mask (−∞ everywhere on row 1)', () => {
    const mask = new Float32Array(S * T);
    mask.fill(-Infinity, T, 2 * T);
    const { output, weights } = engines[backend].attention(q, k, v, { ...base, mask });
    expect(rowOf(output, 1)).toEqual(new Array(H * D).fill(0));
    for (let h = 0; h < H; h++) expect(Array.from(weights!.subarray((h * S + 1) * T, (h * S + 2) * T))).toEqual([0, 0, 0, 0]);
    expect(output.every((x) => Number.isFinite(x))).toBe(true);
    expect(rowOf(output, 0).some((x) => x !== 0)).toBe(true);
  });

  it('by padding every key', () => {
    const { output, weights } = engines[backend].attention(q, k, v, { ...base, keyPaddingMask: Uint8Array.from([1, 1, 255, 1]) });
    expect(Array.from(output).every((x) => x === 0)).toBe(true);
    expect(Array.from(weights!).every((x) => x === 0)).toBe(true);
  });

  it('by causal with more queries than keys, mixed with padding and mask', () => {
    // S = 3, T = 2, causal: query i sees keys j ≤ i − 1. Row 0 sees none; padding removes
    // key 0, so row 1 sees none either; −∞ on (2, 1) leaves row 2 with none at all.
    const mask = new Float32Array(S * 2);
    mask[2 * 2 + 1] = -Infinity;
    const { output, weights } = engines[backend].attention(q, k.subarray(0, 2 * H * D), v.subarray(0, 2 * H * D), { ...base, seqK: 2, causal: true, keyPaddingMask: Uint8Array.from([1, 0]), mask });
    expect(Array.from(output).every((x) => x === 0)).toBe(true);
    expect(Array.from(weights!).every((x) => x === 0)).toBe(true);
  });

  it('seqK 0 gives zeros; NaN in the data still propagates', () => {
    expect(Array.from(engines[backend].attention(q, new Float32Array(0), new Float32Array(0), { ...base, seqK: 0 }).output).every((x) => x === 0)).toBe(true);
    const qNaN = q.slice();
    qNaN[0] = NaN;
    const { output } = engines[backend].attention(qNaN, k, v, base);
    expect(Number.isNaN(output[0])).toBe(true);
    expect(Number.isNaN(output[H * D])).toBe(false); // another query row is unaffected
  });
});
