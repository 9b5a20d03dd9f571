/**
 * The safetensors checkpoint format, read as a stream: an 8-byte little-endian header
 * length N, N bytes of JSON (`{ name: { dtype, shape, data_offsets: [begin, end] }, …,
 * "__metadata__"?: {…} }`), then the tensors' raw little-endian bytes, offsets relative
 * to the end of the header.
 *
 * `readHeader` checks the whole header (sizes, byte ranges, overlaps, the file's size when
 * known) before anything is allocated; `streamTensors` then walks the data once, in file
 * order, handing each wanted tensor's bytes to its sink in pieces of whole elements and
 * skipping the others: the file is never held whole in JS memory.
 */

import type { TensorSink } from '../backend.js';
import type { ByteReader } from '../source.js';

/** Bytes per element of every safetensors dtype (used ones or not, to check sizes). */
const DTYPE_BYTES: Record<string, number> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, U64: 8, I32: 4, U32: 4, I16: 2, U16: 2, I8: 1, U8: 1, BOOL: 1, F8_E4M3: 1, F8_E5M2: 1,
};

/** safetensors refuses headers over 100 MB; so does this reader (a bad length is caught before reading). */
const MAX_HEADER_BYTES = 100_000_000;
/** Tensor bytes are handed to sinks (and skipped) in pieces of at most this many bytes. */
const PIECE_BYTES = 1 << 20;

/** One tensor of the header; `begin`/`end` are offsets in the data (after the header). */
export interface TensorEntry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

export interface Header {
  /** Tensors by name. */
  tensors: Map<string, TensorEntry>;
  /** Offset of the data in the file: 8 + N. */
  dataStart: number;
}

function fail(message: string): never {
  throw new SyntaxError(`safetensors: ${message}`);
}

/** Bytes per element of `dtype`, undefined for a dtype this reader does not know. */
export function dtypeBytes(dtype: string): number | undefined {
  return DTYPE_BYTES[dtype];
}

/**
 * Reads and checks the header. `totalBytes`, when the source knows its size, lets a file
 * whose header or tensors run past its end fail here, before anything is allocated.
 */
export async function readHeader(reader: ByteReader): Promise<Header> {
  const totalBytes = reader.totalBytes;
  const head = await reader.read(8);
  if (head === undefined) fail(`the file ends after ${reader.buffered} bytes, before the 8-byte header length at offset 0`);
  const view = new DataView(head.buffer, head.byteOffset, 8);
  const length = view.getUint32(4, true) * 2 ** 32 + view.getUint32(0, true);
  if (totalBytes !== undefined && length > totalBytes - 8) fail(`the header length at offset 0 is ${length} bytes, past the end of the file (${totalBytes} bytes)`);
  if (length > MAX_HEADER_BYTES) fail(`the header length at offset 0 is ${length} bytes, over the format's limit of ${MAX_HEADER_BYTES}`);
  const bytes = await reader.read(length);
  if (bytes === undefined) fail(`the file ends at byte ${8 + reader.buffered}, inside the ${length}-byte header that starts at offset 8`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    fail(`the header (bytes 8 to ${8 + length}) is not valid UTF-8 JSON: ${(err as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    fail(`the header (bytes 8 to ${8 + length}) is not a JSON object, got ${Array.isArray(json) ? 'an array' : json === null ? 'null' : typeof json}`);
  }
  const dataStart = 8 + length;
  const tensors = new Map<string, TensorEntry>();
  for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    tensors.set(name, parseEntry(name, value));
  }
  checkRanges([...tensors.values()], dataStart, totalBytes);
  return { tensors, dataStart };
}

function parseEntry(name: string, value: unknown): TensorEntry {
  const where = `tensor "${name}"`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${where}: expected an object { dtype, shape, data_offsets }`);
  const { dtype, shape, data_offsets: offsets } = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  if (typeof dtype !== 'string') fail(`${where}: dtype must be a string`);
  const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (!Array.isArray(shape) || !shape.every(isCount)) fail(`${where}: shape must be an array of non-negative integers`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[0] > offsets[1]) {
    fail(`${where}: data_offsets must be [begin, end] with 0 ≤ begin ≤ end`);
  }
  const [begin, end] = offsets as number[];
  const size = DTYPE_BYTES[dtype];
  const elements = (shape as number[]).reduce((a, b) => a * b, 1);
  if (size !== undefined && end - begin !== elements * size) {
    fail(`${where}: data_offsets [${begin}, ${end}] hold ${end - begin} bytes, but ${dtype} [${shape.join(', ')}] needs ${elements * size}`);
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

/** No two tensors share a byte; none runs past the end of the file (when its size is known). */
function checkRanges(entries: TensorEntry[], dataStart: number, totalBytes: number | undefined): void {
  const sorted = entries.filter((e) => e.end > e.begin).sort((a, b) => a.begin - b.begin);
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1], sorted[i]];
    if (b.begin < a.end) {
      fail(`tensor "${b.name}" (data bytes [${b.begin}, ${b.end}), file offset ${dataStart + b.begin}) overlaps tensor "${a.name}" (data bytes [${a.begin}, ${a.end}))`);
    }
  }
  if (totalBytes === undefined) return;
  for (const e of sorted) {
    if (dataStart + e.end > totalBytes) {
      fail(`tensor "${e.name}" (data bytes [${e.begin}, ${e.end}), file offsets ${dataStart + e.begin} to ${dataStart + e.end}) runs past the end of the file (${totalBytes} bytes)`);
    }
  }
}

/**
 * Walks the data in file order after `readHeader`: each tensor with a sink gets its bytes,
 * every other byte is skipped; then reads to the end of the source (so the last progress
 * report is the whole size). A source that ends early is a SyntaxError naming the tensor
 * and the offset.
 */
export async function streamTensors(reader: ByteReader, header: Header, sinks: Map<string, TensorSink>): Promise<void> {
  const wanted = [...sinks.keys()].map((name) => header.tensors.get(name)!).sort((a, b) => a.begin - b.begin);
  let at = 0; // data offset of the reader
  /** Up to `max` bytes, a multiple of `align`: what is already buffered (no copy), else the next chunk. */
  const piece = async (max: number, align: number, inside: string): Promise<Uint8Array> => {
    if (reader.buffered > 0 && reader.buffered < align) {
      // An element split between two chunks: joined on its own, so that the next chunk is
      // not copied onto the end of the last one (which would copy every chunk of the file).
      const head = (await reader.read(reader.buffered))!.slice();
      const tail = await reader.read(align - head.length);
      if (tail === undefined) truncated(reader, header, inside, at);
      const element = new Uint8Array(align);
      element.set(head);
      element.set(tail, head.length);
      at += align;
      return element;
    }
    if (reader.buffered === 0 && (await reader.atEnd())) truncated(reader, header, inside, at);
    const n = Math.min(max, Math.max(align, reader.buffered - (reader.buffered % align)));
    const bytes = await reader.read(n);
    if (bytes === undefined) truncated(reader, header, inside, at);
    at += n;
    return bytes;
  };
  for (const entry of wanted) {
    while (at < entry.begin) await piece(Math.min(PIECE_BYTES, entry.begin - at), 1, `the bytes before tensor "${entry.name}"`);
    const sink = sinks.get(entry.name)!;
    const size = DTYPE_BYTES[entry.dtype];
    while (at < entry.end) sink.write(await piece(Math.min(PIECE_BYTES - (PIECE_BYTES % size), entry.end - at), size, `tensor "${entry.name}"`));
    sink.end();
  }
  while ((await reader.chunk()) !== undefined);
}

function truncated(reader: ByteReader, header: Header, inside: string, at: number): never {
  fail(`the file ends at byte ${header.dataStart + at + reader.buffered}, inside ${inside} (data offset ${at})`);
}
