/**
 * Argument checks shared by both backends, run before any work: a bad call throws here,
 * with the op and the argument in the message, and never reaches a kernel. Because both
 * backends go through the same checks, they throw the same errors.
 */

import type { Ids } from './types.js';

/** The largest length or index the kernels take (they index with 32-bit integers). */
export const INT32_MAX = 2 ** 31 - 1;

/** Describes a value for an error message: its kind, and its value when short. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor.name;
    return 'length' in value ? `a ${name} of length ${(value as unknown as ArrayLike<unknown>).length}` : `a ${name}`;
  }
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'Object'})`;
  return typeof value;
}

/** `value` is a Float32Array, optionally of exactly `length` elements. */
export function checkFloat32(op: string, name: string, value: unknown, length?: number, shape?: string): Float32Array {
  if (!(value instanceof Float32Array)) {
    throw new TypeError(`${op}: ${name} must be a Float32Array, got ${describe(value)}`);
  }
  if (length !== undefined && value.length !== length) {
    const what = shape ? `${shape} = ${length} elements` : `${length} elements`;
    throw new RangeError(`${op}: ${name} must hold ${what}, got length ${value.length}`);
  }
  return value;
}

/** An optional `out` array: a Float32Array of exactly `length` elements, or undefined. */
export function checkOut(op: string, out: unknown, length: number, shape: string): Float32Array | undefined {
  if (out === undefined) return undefined;
  return checkFloat32(op, 'out', out, length, shape);
}

/** A RangeError when `out` shares memory with any of `inputs` (which must stay unchanged). */
export function checkDisjoint(op: string, name: string, out: ArrayBufferView, inputs: Record<string, ArrayBufferView>): void {
  const start = out.byteOffset;
  const end = start + out.byteLength;
  for (const [input, x] of Object.entries(inputs)) {
    if (x.buffer === out.buffer && x.byteOffset < end && start < x.byteOffset + x.byteLength) {
      throw new RangeError(`${op}: ${name} shares memory with ${input}; the inputs are never written, so pass an array of its own`);
    }
  }
}

/** An integer in [min, max]; `fallback` when the value is undefined and a fallback is given. */
export function checkInt(op: string, name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number') {
    throw new TypeError(`${op}: ${name} must be a number, got ${describe(value)}`);
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`;
    throw new RangeError(`${op}: ${name} must be ${range}, got ${value}`);
  }
  return value;
}

/** A finite number > 0; `fallback` when undefined. */
export function checkPositive(op: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') {
    throw new TypeError(`${op}: ${name} must be a number, got ${describe(value)}`);
  }
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${op}: ${name} must be a finite number > 0, got ${value}`);
  }
  return value;
}

/** A boolean, or undefined for `fallback`. */
export function checkBool(op: string, name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new TypeError(`${op}: ${name} must be a boolean, got ${describe(value)}`);
  }
  return value;
}

/** An options object (or undefined when `optional`). */
export function checkOptions<T extends object>(op: string, name: string, value: unknown, optional: boolean): Partial<T> {
  if (value === undefined && optional) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${op}: ${name} must be an object, got ${describe(value)}`);
  }
  return value as Partial<T>;
}

/** A table [R, dim]: returns R. */
export function checkTable(op: string, table: unknown, dim: unknown): { rows: number; dim: number } {
  const t = checkFloat32(op, 'table', table);
  const d = checkInt(op, 'dim', dim, 1);
  if (t.length % d !== 0) {
    throw new RangeError(`${op}: table.length (${t.length}) must be a multiple of dim (${d})`);
  }
  return { rows: t.length / d, dim: d };
}

/**
 * Ids: an Int32Array, Uint32Array or array of integers, each in [0, rows). Returns the
 * ids unchanged (they are only read).
 */
export function checkIds(op: string, ids: unknown, rows: number): Ids {
  if (!(ids instanceof Int32Array || ids instanceof Uint32Array || Array.isArray(ids))) {
    throw new TypeError(`${op}: ids must be an Int32Array, a Uint32Array or an array of integers, got ${describe(ids)}`);
  }
  const list = ids as ArrayLike<unknown>;
  for (let i = 0; i < list.length; i++) {
    const id = list[i];
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= rows) {
      const got = typeof id === 'number' ? String(id) : describe(id);
      throw new RangeError(`${op}: ids[${i}] = ${got} is not a valid row: expected an integer in [0, ${rows})`);
    }
  }
  return ids as Ids;
}
