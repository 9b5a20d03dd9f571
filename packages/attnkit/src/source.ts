/**
 * Sources for loaders (word vectors, checkpoints): every form a user may hold the bytes in,
 * read as a stream of chunks so that a large file is never held whole in JS memory next to
 * the engine's copy of what it holds.
 *
 * A source is bytes (`Uint8Array`, `ArrayBuffer`), a `Blob`, a `Response` (or a promise of
 * one), a `ReadableStream<Uint8Array>`, an `AsyncIterable<Uint8Array>`, or, where the runtime
 * has a file system (Node, Deno, Bun), a path (`string`) or a `file:` `URL`.
 *
 * Nothing here names a Node built-in: opening a path is a function the entry point passes in.
 */

import { describe } from './validate.js';

/** Anything a loader reads from. */
export type Source =
  | Uint8Array
  | ArrayBuffer
  | Blob
  | Response
  | PromiseLike<Response>
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>
  | string
  | URL;

/** What a loader reports while it reads: bytes read so far, the whole size when known, rows parsed. */
export interface LoadProgress {
  bytes: number;
  totalBytes?: number;
  rows?: number;
}

/** The options every loader takes. */
export interface LoadOptions {
  /** Called as chunks arrive; the last call reports the whole size. */
  onProgress?: (progress: LoadProgress) => void;
  /** Aborting rejects the load with an `AbortError` `DOMException` and frees what it took. */
  signal?: AbortSignal;
}

/** Opens a file by path or `file:` URL as chunks, with its size (absent where there is no file system). */
export type OpenFile = (path: string | URL) => Promise<{ chunks: AsyncIterable<Uint8Array>; size: number }>;

/** An open source: its chunks, and its size when known in advance. */
export interface ByteStream {
  chunks: AsyncIterable<Uint8Array>;
  totalBytes?: number;
}

/** Chunks of bytes already in memory are handed out as views of this many bytes. */
const VIEW_BYTES = 1 << 20;

function* views(bytes: Uint8Array): Generator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += VIEW_BYTES) yield bytes.subarray(at, Math.min(bytes.length, at + VIEW_BYTES));
}

async function* streamChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // On an early exit (a parse error, an abort) the rest of the stream is not read.
    await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

function isResponse(value: unknown): value is Response {
  return typeof Response === 'function' && value instanceof Response;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function responseStream(op: string, response: Response): ByteStream {
  if (!response.ok) throw new Error(`${op}: could not read ${response.url || 'the response'}: HTTP ${response.status}`);
  const length = Number(response.headers.get('content-length') ?? NaN);
  const totalBytes = Number.isSafeInteger(length) && length >= 0 && response.headers.get('content-encoding') === null ? length : undefined;
  if (response.body === null) return { chunks: views(new Uint8Array(0)) as unknown as AsyncIterable<Uint8Array>, totalBytes: 0 };
  return { chunks: streamChunks(response.body), totalBytes };
}

/** An iterable of chunks as an async one (for bytes already in memory). */
async function* asAsync(chunks: Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield* chunks;
}

/**
 * Opens `source` for reading; `name` is the argument's name in error messages. A source of
 * the wrong kind is a `TypeError`; a path where there is no file system an `Error`.
 */
export async function openSource(op: string, name: string, source: unknown, openFile?: OpenFile): Promise<ByteStream> {
  if (source instanceof Uint8Array) return { chunks: asAsync(views(source)), totalBytes: source.length };
  if (source instanceof ArrayBuffer) return { chunks: asAsync(views(new Uint8Array(source))), totalBytes: source.byteLength };
  if (typeof Blob === 'function' && source instanceof Blob) return { chunks: streamChunks(source.stream() as ReadableStream<Uint8Array>), totalBytes: source.size };
  if (isResponse(source)) return responseStream(op, source);
  if (typeof ReadableStream === 'function' && source instanceof ReadableStream) return { chunks: streamChunks(source) };
  if (typeof source === 'string' || (typeof URL === 'function' && source instanceof URL)) {
    if (source instanceof URL && source.protocol !== 'file:') {
      throw new TypeError(`${op}: ${name} is a ${source.protocol} URL: pass fetch(url) (a Response) instead`);
    }
    if (openFile === undefined) throw new Error(`${op}: this runtime has no file system to read ${name} = ${describe(String(source))} from; pass its bytes, a Blob, a Response or a stream`);
    const file = await openFile(source);
    return { chunks: file.chunks, totalBytes: file.size };
  }
  if (isThenable(source)) {
    const response = await source;
    if (!isResponse(response)) throw new TypeError(`${op}: ${name} is a promise that resolved to ${describe(response)}, not a Response`);
    return responseStream(op, response);
  }
  if (typeof source === 'object' && source !== null && typeof (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
    return { chunks: checkedChunks(op, name, source as AsyncIterable<Uint8Array>) };
  }
  throw new TypeError(
    `${op}: ${name} must be a Uint8Array, an ArrayBuffer, a Blob, a Response, a ReadableStream, an async iterable of Uint8Array chunks or a file path, got ${describe(source)}`,
  );
}

/** A user's async iterable, with each chunk checked to be bytes. */
async function* checkedChunks(op: string, name: string, chunks: AsyncIterable<unknown>): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    if (!(chunk instanceof Uint8Array)) throw new TypeError(`${op}: ${name} yielded ${describe(chunk)}; every chunk must be a Uint8Array`);
    yield chunk;
  }
}

/** Throws the signal's reason (an `AbortError` `DOMException` unless the caller gave another) when aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw signal.reason ?? abortError();
  }
}

/** An `AbortError` `DOMException` (an Error of that name where the runtime has no DOMException). */
function abortError(): Error {
  const message = 'The operation was aborted.';
  return typeof DOMException === 'function' ? new DOMException(message, 'AbortError') : Object.assign(new Error(message), { name: 'AbortError' });
}

/**
 * Reads a byte stream in exact amounts (binary formats: a header of known size, then rows
 * or tensors) or chunk by chunk (text formats), keeping count of the offset and reporting
 * progress after every chunk. Chunks are consumed as they are used: what has been handed
 * out is not kept.
 */
export class ByteReader {
  /** Bytes consumed by the caller so far. */
  offset = 0;
  /** Bytes received from the source so far. */
  private received = 0;
  private readonly iterator: AsyncIterator<Uint8Array>;
  private pending: Uint8Array = new Uint8Array(0);
  private ended = false;

  constructor(
    private readonly stream: ByteStream,
    private readonly options: LoadOptions = {},
    /** Rows parsed so far, for progress reports. */
    public rows = 0,
  ) {
    this.iterator = stream.chunks[Symbol.asyncIterator]();
  }

  get totalBytes(): number | undefined {
    return this.stream.totalBytes;
  }

  /** Pulls the next chunk from the source into `pending`; false at the end. */
  private async pull(): Promise<boolean> {
    throwIfAborted(this.options.signal);
    if (this.ended) return false;
    const { done, value } = await this.iterator.next();
    throwIfAborted(this.options.signal);
    if (done) {
      this.ended = true;
      this.report();
      return false;
    }
    this.received += value.length;
    this.pending = this.pending.length === 0 ? value : concat(this.pending, value);
    this.report();
    return true;
  }

  /** Reports progress: bytes received so far (and, at the end, the whole size). */
  report(): void {
    const { onProgress } = this.options;
    if (onProgress === undefined) return;
    const totalBytes = this.stream.totalBytes ?? (this.ended ? this.received : undefined);
    onProgress(totalBytes === undefined ? { bytes: this.received, rows: this.rows } : { bytes: this.received, totalBytes, rows: this.rows });
  }

  /** The next chunk as it arrives (what is left of the last one first), or undefined at the end. */
  async chunk(): Promise<Uint8Array | undefined> {
    throwIfAborted(this.options.signal);
    if (this.pending.length === 0 && !(await this.pull())) return undefined;
    const chunk = this.pending;
    this.pending = new Uint8Array(0);
    this.offset += chunk.length;
    return chunk;
  }

  /**
   * Exactly `n` bytes, or undefined when the stream ends first (`atEnd()` tells whether it
   * ended cleanly between items). The result may be a view of a chunk: copy what you keep.
   */
  async read(n: number): Promise<Uint8Array | undefined> {
    throwIfAborted(this.options.signal);
    while (this.pending.length < n) {
      if (!(await this.pull())) return undefined;
    }
    const out = this.pending.subarray(0, n);
    this.pending = this.pending.subarray(n);
    this.offset += n;
    return out;
  }

  /** Whether no byte is left (pulls a chunk to find out). */
  async atEnd(): Promise<boolean> {
    while (this.pending.length === 0) {
      if (!(await this.pull())) return true;
    }
    return false;
  }

  /** Bytes received but not consumed yet. */
  get buffered(): number {
    return this.pending.length;
  }

  /** Stops reading the source (a failed or finished load). */
  async close(): Promise<void> {
    this.ended = true;
    this.pending = new Uint8Array(0);
    await this.iterator.return?.();
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
