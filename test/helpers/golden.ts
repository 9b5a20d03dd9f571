/**
 * Reads the PyTorch golden fixtures of test/golden/ (made by scripts/golden/generate.py).
 * Arrays are stored as base64: "f32:…" little-endian float32 inputs (exact), "f64:…"
 * little-endian float64 expected values.
 */

import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { fileURLToPath } from 'node:url';

export interface GoldenCase {
  name: string;
  inputs: Record<string, unknown>;
  options: Record<string, unknown>;
  expected: Record<string, string>;
}

export function loadGolden(op: string): GoldenCase[] {
  const path = fileURLToPath(new URL(`../golden/${op}.json`, import.meta.url));
  return (JSON.parse(readFileSync(path, 'utf8')) as { cases: GoldenCase[] }).cases;
}

/** Decodes "f32:…" to a Float32Array or "f64:…" to a Float64Array. */
export function decode(value: unknown): Float32Array | Float64Array {
  if (typeof value !== 'string') throw new Error(`golden: expected an encoded array, got ${typeof value}`);
  const bytes = Buffer.from(value.slice(4), 'base64');
  const copy = new Uint8Array(bytes).buffer; // aligned
  if (value.startsWith('f32:')) return new Float32Array(copy);
  if (value.startsWith('f64:')) return new Float64Array(copy);
  throw new Error(`golden: unknown encoding ${value.slice(0, 4)}`);
}

export function f32(value: unknown): Float32Array {
  const a = decode(value);
  if (!(a instanceof Float32Array)) throw new Error('golden: expected f32 data');
  return a;
}

export function f64(value: unknown): Float64Array {
  const a = decode(value);
  if (!(a instanceof Float64Array)) throw new Error('golden: expected f64 data');
  return a;
}

/** Largest |a − b| and largest |a − b| / max(|b|, 1e-3): for failure messages. */
export function diffs(actual: ArrayLike<number>, expected: ArrayLike<number>): { abs: number; rel: number } {
  let abs = 0;
  let rel = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    const dd = Number.isNaN(d) ? Infinity : d;
    abs = Math.max(abs, dd);
    rel = Math.max(rel, dd / Math.max(Math.abs(expected[i]), 1e-3));
  }
  return { abs, rel };
}

/** Throws unless max |actual − expected| ≤ tol, reporting max abs and rel differences. */
export function expectGolden(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length}, expected ${expected.length}`);
  recordHash(actual, what);
  const { abs, rel } = diffs(actual, expected);
  if (process.env.GOLDEN_REPORT) console.log(`golden ${what}: max abs ${abs.toExponential(2)}, max rel ${rel.toExponential(2)}`);
  if (!(abs <= tol)) throw new Error(`${what}: max abs diff ${abs.toExponential(3)} (max rel ${rel.toExponential(3)}) exceeds ${tol}`);
}

/**
 * With GOLDEN_HASHES=FILE, appends "test name | what | sha256 of the output's bytes" for
 * every output checked against a golden file: two runs' files compare the exact bits a
 * change produces (a refactor must leave them equal).
 */
function recordHash(actual: ArrayLike<number>, what: string): void {
  const file = process.env.GOLDEN_HASHES;
  if (!file) return;
  const bytes = ArrayBuffer.isView(actual) ? new Uint8Array(actual.buffer, actual.byteOffset, actual.byteLength) : new Uint8Array(Float64Array.from(actual).buffer);
  const hash = createHash('sha256').update(bytes).digest('hex');
  appendFileSync(file, `${expect.getState().currentTestName} | ${what} | ${hash}\n`);
}
