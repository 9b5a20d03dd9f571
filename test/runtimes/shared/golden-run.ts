/**
 * The golden cases (test/golden/*.json) run on an engine inside any runtime: no Node
 * built-ins, no vitest, only what Node, workerd, Chromium, Deno and Bun all have (atob,
 * crypto.subtle). The caller passes the parsed fixtures and an engine; the report says,
 * per case, the largest difference from the float64 reference against the same tolerance
 * as the Node golden tests, and the SHA-256 of the raw f32 bytes of every output, which
 * test/runtime-golden.test.ts compares across runtimes.
 */

import type { AttentionOptions, AttentionParams, Engine, EncoderConfig, MultiHeadAttentionOptions, Positional, RopeOptions } from 'attnkit';

interface GoldenCase {
  name: string;
  inputs: Record<string, unknown>;
  options: Record<string, unknown>;
  expected: Record<string, string>;
}

export type Fixtures = Record<string, { cases: GoldenCase[] }>;

/** The ops whose fixtures every runtime runs. */
export const OPS = ['embedding', 'sinusoidal', 'rope', 'attention', 'mha', 'encoder'] as const;

export interface CaseResult {
  op: string;
  name: string;
  /** Largest |actual − expected| over every output of the case. */
  maxAbs: number;
  tolerance: number;
  ok: boolean;
  error?: string;
}

export interface GoldenReport {
  runtime: string;
  backend: string;
  results: CaseResult[];
  /** 'op/case name' → SHA-256 (hex) of the case's outputs' f32 bytes, in order. */
  hashes: Record<string, string>;
}

function decode(value: unknown): Float32Array | Float64Array {
  if (typeof value !== 'string') throw new Error(`golden: expected an encoded array, got ${typeof value}`);
  const binary = atob(value.slice(4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  if (value.startsWith('f32:')) return new Float32Array(bytes.buffer);
  if (value.startsWith('f64:')) return new Float64Array(bytes.buffer);
  throw new Error(`golden: unknown encoding ${value.slice(0, 4)}`);
}
const f32 = (v: unknown) => decode(v) as Float32Array;
const f64 = (v: unknown) => decode(v) as Float64Array;

function maxAbsDiff(actual: Float32Array, expected: Float64Array, what: string): number {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length}, expected ${expected.length}`);
  let max = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    max = Math.max(max, Number.isNaN(d) ? Infinity : d);
  }
  return max;
}

type Run = (engine: Engine, c: GoldenCase) => { outputs: Float32Array[]; expected: Float64Array[]; tolerance: number };

function params(encoded: Record<string, unknown>): AttentionParams {
  const names = ['wq', 'wk', 'wv', 'wo', 'bq', 'bk', 'bv', 'bo'].filter((n) => encoded[n] !== undefined);
  return Object.fromEntries(names.map((n) => [n, f32(encoded[n])])) as unknown as AttentionParams;
}

/** Each op with the tolerance of its Node golden test (see test/<op>-golden.test.ts for the reasons). */
const RUNS: Record<(typeof OPS)[number], Run> = {
  embedding: (engine, c) => ({
    outputs: [engine.embeddingLookup(f32(c.inputs.table), c.options.dim as number, c.inputs.ids as number[])],
    expected: [f64(c.expected.output)],
    tolerance: 0,
  }),
  sinusoidal: (engine, c) => {
    const { seqLen, dim, base, offset } = c.options as { seqLen: number; dim: number; base: number; offset: number };
    return { outputs: [engine.sinusoidalEncoding(seqLen, dim, { base, offset })], expected: [f64(c.expected.output)], tolerance: 2 ** -23 };
  },
  rope: (engine, c) => {
    const { positions, ...rest } = c.options as Omit<RopeOptions, 'positions'> & { positions?: number[] };
    const opts: RopeOptions = { ...rest, ...(positions ? { positions: Int32Array.from(positions) } : {}) };
    return { outputs: [engine.rope(f32(c.inputs.x), opts)], expected: [f64(c.expected.output)], tolerance: 2e-6 };
  },
  attention: (engine, c) => {
    const opts = { ...(c.options as unknown as AttentionOptions) };
    if (c.inputs.mask !== undefined) opts.mask = f32(c.inputs.mask);
    if (c.inputs.keyPaddingMask !== undefined) opts.keyPaddingMask = Uint8Array.from(c.inputs.keyPaddingMask as number[]);
    const r = engine.attention(f32(c.inputs.q), f32(c.inputs.k), f32(c.inputs.v), opts);
    const withWeights = c.expected.weights !== undefined;
    return {
      outputs: withWeights ? [r.output, r.weights!] : [r.output],
      expected: withWeights ? [f64(c.expected.output), f64(c.expected.weights)] : [f64(c.expected.output)],
      tolerance: opts.seqK >= 256 ? 1e-5 : 2e-6,
    };
  },
  mha: (engine, c) => {
    const opts = { ...(c.options as unknown as MultiHeadAttentionOptions) };
    if (c.inputs.kv !== undefined) opts.kv = f32(c.inputs.kv);
    if (c.inputs.mask !== undefined) opts.mask = f32(c.inputs.mask);
    if (c.inputs.keyPaddingMask !== undefined) opts.keyPaddingMask = Uint8Array.from(c.inputs.keyPaddingMask as number[]);
    const r = engine.multiHeadAttention(f32(c.inputs.x), params(c.inputs), opts);
    return { outputs: [r.output, r.weights!], expected: [f64(c.expected.output), f64(c.expected.weights)], tolerance: 5e-6 };
  },
  encoder: (engine, c) => {
    const options = c.options as { dim: number; positional: unknown; attention?: { numHeads: number; causal: boolean } };
    const p = options.positional;
    const positional = (typeof p === 'object' && p !== null && 'learned' in p ? { learned: f32((p as { learned: string }).learned) } : p) as Positional;
    const config: EncoderConfig = { table: f32(c.inputs.table), dim: options.dim, positional };
    if (options.attention) {
      config.attention = { params: params(c.inputs.params as Record<string, unknown>), numHeads: options.attention.numHeads, causal: options.attention.causal };
    }
    const encoder = engine.encoder(config);
    const r = encoder.encode(c.inputs.ids as number[]);
    encoder.dispose();
    const outputs = [r.inputs, r.output];
    const expected = [f64(c.expected.inputs), f64(c.expected.output)];
    if (c.expected.weights !== undefined) {
      outputs.push(r.weights!);
      expected.push(f64(c.expected.weights));
    }
    return { outputs, expected, tolerance: 2e-6 };
  },
};

async function sha256(arrays: Float32Array[]): Promise<string> {
  let length = 0;
  for (const a of arrays) length += a.byteLength;
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const a of arrays) {
    bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += a.byteLength;
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Runs every golden case of `fixtures` on `engine`; never throws for a failing case. */
export async function runGolden(runtime: string, engine: Engine, fixtures: Fixtures): Promise<GoldenReport> {
  const report: GoldenReport = { runtime, backend: engine.backend, results: [], hashes: {} };
  for (const op of OPS) {
    for (const c of fixtures[op]?.cases ?? []) {
      try {
        const { outputs, expected, tolerance } = RUNS[op](engine, c);
        const maxAbs = Math.max(0, ...outputs.map((o, i) => maxAbsDiff(o, expected[i], `${op}/${c.name}`)));
        report.results.push({ op, name: c.name, maxAbs, tolerance, ok: maxAbs <= tolerance });
        report.hashes[`${op}/${c.name}`] = await sha256(outputs);
      } catch (err) {
        report.results.push({ op, name: c.name, maxAbs: Infinity, tolerance: 0, ok: false, error: String(err) });
      }
    }
  }
  return report;
}
