/**
 * What crosses between the pool and its workers: arguments made fit to post (typed arrays
 * copied into buffers of their own, or shared when they already live in a
 * SharedArrayBuffer; functions and AbortSignals left behind), results handed back by
 * transfer, errors rebuilt with their class, and the pool's error codes.
 *
 * Nothing here names a Node built-in.
 */

/** The `code` of an error the pool itself raises. */
export type PoolErrorCode = 'ATTNKIT_QUEUE_FULL' | 'ATTNKIT_WORKER_EXITED' | 'ATTNKIT_POOL_CLOSED';

/** An `Error` with the pool's `code`. */
export function poolError(code: PoolErrorCode, message: string): Error & { code: PoolErrorCode } {
  return Object.assign(new Error(message), { code });
}

/** What `signal` rejects with: its reason, or an `AbortError` `DOMException` (as `fetch`). */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/**
 * The key under which a pool's resident object carries its id, and under which an argument
 * naming it crosses to a worker (`{ [OBJECT_REF]: id }`), which puts its own copy there.
 */
export const OBJECT_REF = 'attnkit.pool.object';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

type TypedArray = Float32Array | Float64Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array | Uint8ClampedArray;

function isTyped(value: unknown): value is TypedArray {
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}

const isShared = (buffer: ArrayBufferLike) => typeof SharedArrayBuffer === 'function' && buffer instanceof SharedArrayBuffer;

/**
 * A copy of `value` fit to post to a worker, walking plain objects and arrays:
 * - `'call'`: a typed array in a SharedArrayBuffer passes as it is (shared, no copy); any
 *   other is copied into a buffer of its own (only its elements, not the rest of the buffer
 *   it views) and that buffer is added to `transfer`, so the caller's array is never detached;
 * - `'share'`: every typed array is copied into a new SharedArrayBuffer, which every worker
 *   then reads without a copy of its own (weights of resident objects, kept to rebuild a
 *   worker that died).
 * Functions and AbortSignals become `undefined` (callbacks and signals stay on this side).
 */
export function prepare(value: unknown, mode: 'call' | 'share', transfer: ArrayBuffer[]): unknown {
  if (isTyped(value)) {
    if (mode === 'call') {
      if (isShared(value.buffer)) return value;
      const copy = value.slice();
      transfer.push(copy.buffer as ArrayBuffer);
      return copy;
    }
    const Ctor = value.constructor as new (buffer: SharedArrayBuffer) => TypedArray;
    const copy = new Ctor(new SharedArrayBuffer(value.byteLength));
    copy.set(value as never);
    return copy;
  }
  if (typeof value === 'function' || (typeof AbortSignal === 'function' && value instanceof AbortSignal)) return undefined;
  if (typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[OBJECT_REF] === 'number') {
    return { [OBJECT_REF]: (value as Record<string, unknown>)[OBJECT_REF] };
  }
  if (Array.isArray(value)) return value.map((item) => prepare(item, mode, transfer));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = prepare(item, mode, transfer);
    return out;
  }
  return value;
}

/** The buffers of every non-shared typed array in `value` (plain objects and arrays walked), each once. */
export function transferables(value: unknown, found = new Set<ArrayBuffer>()): ArrayBuffer[] {
  if (isTyped(value)) {
    if (!isShared(value.buffer)) found.add(value.buffer as ArrayBuffer);
  } else if (Array.isArray(value)) {
    for (const item of value) transferables(item, found);
  } else if (isPlainObject(value)) {
    for (const item of Object.values(value)) transferables(item, found);
  }
  return [...found];
}

/** An error as a worker reports it. */
export interface WireError {
  name: string;
  message: string;
  code?: string;
}

export function toWire(err: unknown): WireError {
  if (err instanceof Error || (typeof DOMException === 'function' && err instanceof DOMException)) {
    const code = (err as { code?: unknown }).code;
    return { name: err.name, message: err.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { name: 'Error', message: String(err) };
}

const classes: Record<string, new (message: string) => Error> = { RangeError, TypeError, SyntaxError, Error };

/** The error a worker reported, with its class (RangeError, TypeError, SyntaxError, AbortError …). */
export function fromWire(wire: WireError): Error {
  if (wire.name === 'AbortError') return new DOMException(wire.message, 'AbortError') as unknown as Error;
  const err = new (classes[wire.name] ?? Error)(wire.message);
  if (wire.code !== undefined) Object.assign(err, { code: wire.code });
  return err;
}

/** Whether `value` is the optional last `{ signal }` argument of a method without an options object. */
export function isCallOptions(value: unknown): value is { signal?: AbortSignal } {
  return isPlainObject(value) && !(OBJECT_REF in value);
}
