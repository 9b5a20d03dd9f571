// The worked example's pipeline as one object: each positional kind, both backends in agreement,
// inputs = lookup + positional table, output = inputs without attention, dispose.

import { beforeAll, describe, expect, it } from 'vitest';
import type { Positional } from 'attnkit';
import { expectRejects } from './helpers/bad-input.js';
import { expectClose } from './helpers/compare.js';
import { bothEngines, type Engines } from './helpers/engines.js';
import { encoderFixture } from './helpers/encoder-fixture.js';

let engines: Engines;
beforeAll(async () => {
  engines = await bothEngines();
});

const dim = 12;
const { table, learned, params } = encoderFixture(21, dim, 50, 16);
const ids = [3, 49, 0, 3, 17];
const kinds: [string, Positional][] = [['none', 'none'], ['sinusoidal', 'sinusoidal'], ['learned', { learned }], ['rope', { rope: { interleaved: true } }]];

describe.each(kinds)('positional %s', (_, positional) => {
  it('inputs are the lookup plus the positional rows; wasm and ts agree', () => {
    const results = (['wasm', 'ts'] as const).map((backend) => {
      const enc = engines[backend].encoder({ table, dim, positional, attention: { params, numHeads: 3 } });
      const r = enc.encode(ids);
      enc.dispose();
      return r;
    });
    const lookup = engines.ts.embeddingLookup(table, dim, ids);
    const pe = positional === 'sinusoidal' ? engines.ts.sinusoidalEncoding(ids.length, dim) : typeof positional === 'object' && 'learned' in positional ? learned.subarray(0, ids.length * dim) : new Float32Array(ids.length * dim);
    for (const r of results) {
      // One f32 addition (the same on both backends): exact.
      expectClose(r.inputs, lookup.map((x, i) => Math.fround(x + pe[i])), 0, 'inputs');
      expect(r.weights!.length).toBe(3 * ids.length * ids.length);
    }
    // f32 layer vs f64 reference: 1e-5.
    expectClose(results[0].output, results[1].output, 1e-5, 'output');
    expectClose(results[0].weights!, results[1].weights!, 1e-5, 'weights');
  });
});

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  it('without attention the output equals the inputs and there are no weights', () => {
    const enc = engines[backend].encoder({ table, dim, positional: 'sinusoidal' });
    const r = enc.encode(ids);
    expect(r.output).toEqual(r.inputs);
    expect(r.weights).toBeUndefined();
    enc.dispose();
  });

  it('sinusoidal rows grow with longer sequences and stay consistent', () => {
    const enc = engines[backend].encoder({ table, dim, positional: 'sinusoidal' });
    const short = enc.encode([1, 2]).inputs;
    const long = enc.encode([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]).inputs;
    expect(long.subarray(0, 2 * dim)).toEqual(short);
    enc.dispose();
  });

  it('keeps its positional table: the inputs equal lookup + sinusoidalEncoding at every length, and the user may change the learned table afterwards', () => {
    const engine = engines[backend];
    const sin = engine.encoder({ table, dim, positional: 'sinusoidal' });
    for (const n of [3, 1, 9, 40, 2, 41]) {
      const seq = Array.from({ length: n }, (_, i) => (i * 7) % 50);
      const expected = engine.embeddingLookup(table, dim, seq).map((x, i) => x + engine.sinusoidalEncoding(n, dim)[i]);
      // f32 adds of the same f32 values: identical.
      expect(sin.encode(seq).inputs, `n = ${n}`).toEqual(expected);
    }
    sin.dispose();
    const mine = learned.slice();
    const enc = engine.encoder({ table, dim, positional: { learned: mine } });
    const before = enc.encode(ids).inputs;
    mine.fill(100); // the encoder took a copy at creation
    expect(enc.encode(ids).inputs).toEqual(before);
    enc.dispose();
  });

  it('repeated encodes at the same length take no more engine memory', () => {
    const enc = engines[backend].encoder({ table, dim, positional: 'sinusoidal' });
    enc.encode(ids);
    const bytes = engines[backend].memoryBytes;
    for (let i = 0; i < 200; i++) enc.encode(ids);
    expect(engines[backend].memoryBytes).toBe(bytes);
    enc.dispose();
  });

  it('checks its config and ids, and throws after dispose', () => {
    expectRejects(() => engines[backend].encoder({ table, dim, positional: 'alibi' as 'none' }), TypeError, /encoder: config\.positional must be 'sinusoidal', 'none', \{ learned \} or \{ rope \}/);
    expectRejects(() => engines[backend].encoder({ table, dim: 7, positional: 'none' }), RangeError, /encoder: table\.length \(600\) must be a multiple of dim \(7\)/);
    expectRejects(() => engines[backend].encoder({ table, dim, positional: { rope: {} }, attention: { params, numHeads: 4 } }), RangeError, /rope needs an even head width, got dim \/ numHeads = 3/);
    const enc = engines[backend].encoder({ table, dim, positional: { learned } });
    expectRejects(() => enc.encode([50]), RangeError, /encoder\.encode: ids\[0\] = 50/);
    expectRejects(() => enc.encode(new Array(17).fill(0)), RangeError, /ids\.length \(17\) exceeds the learned positional table's 16 positions/);
    expect(enc.encode([1]).inputs.length).toBe(dim);
    enc.dispose();
    expectRejects(() => enc.encode([1]), Error, /encoder\.encode: this encoder was disposed/);
  });
});
