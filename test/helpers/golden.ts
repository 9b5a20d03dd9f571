/**
 * Reads the PyTorch golden fixtures of test/golden/ (made by scripts/golden/generate.py).
 * Arrays are stored as base64: "f32:…" little-endian float32 inputs (exact), "f64:…"
 * little-endian float64 expected values.
 */

import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { expectClose } from './compare.js';
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

/**
 * Throws unless max |actual − expected| ≤ tol (compare.ts `expectClose`); with GOLDEN_REPORT
 * set, logs each case's max abs and rel difference.
 */
export function expectGolden(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  recordHash(actual, what);
  const { maxAbs, maxRel } = expectClose(actual, expected, tol, what);
  if (process.env.GOLDEN_REPORT) console.log(`golden ${what}: max abs ${maxAbs.toExponential(2)}, max rel ${maxRel.toExponential(2)}`);
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
