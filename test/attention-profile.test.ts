// The profiling build (the crate's `profile` feature, bench/attention-profile.ts) computes
// what the shipped module computes, bit for bit, and its clock sees every part of the
// kernel; the shipped module itself imports nothing (wasm-size.test.ts).

import { createEngine } from 'attnkit';
import { expect, it } from 'vitest';
import { PHASES, profiledEngine } from '../bench/attention-profile.js';
import { seeded, uniform } from '../bench/random.js';

it('the profiling build gives the shipped bits and times every part of the kernel', async () => {
  const p = await profiledEngine();
  const shipped = await createEngine({ backend: 'wasm' });
  const random = seeded(3);
  // T = 600 keys: three chunks of the blocked kernel; 37 query rows: a partial block.
  const [S, T, H, D] = [37, 600, 4, 16];
  const q = uniform(random, S * H * D, 1);
  const k = uniform(random, T * H * D, 1);
  const v = uniform(random, T * H * D, 1);
  for (const causal of [false, true]) {
    const opts = { seqQ: S, seqK: T, numHeads: H, headDim: D, causal };
    for (let s = 0; s <= PHASES.length; s++) p.take(s);
    const before = p.exportMs();
    const profiled = p.engine.attention(q, k, v, opts).output;
    expect(p.exportMs()).toBeGreaterThan(before);
    const ms = PHASES.map((_, s) => p.take(s));
    const clocks = p.take(PHASES.length);
    expect(profiled).toEqual(shipped.attention(q, k, v, opts).output);
    // One clock read per part boundary: at least one per kv head, block and chunk.
    expect(clocks).toBeGreaterThanOrEqual(H * 2 * 3);
    for (const [s, name] of PHASES.entries()) expect(ms[s], name).toBeGreaterThanOrEqual(0);
    const passes = ms[3] + ms[4] + ms[5];
    expect(passes).toBeGreaterThan(0);
  }
}, 180_000);
