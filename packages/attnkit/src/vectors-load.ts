/**
 * Word-vector files read as a stream, each row parsed and handed to the engine's table
 * (a `VectorsHandle`) a block of rows at a time: GloVe text (no header), word2vec text
 * (a `rows dim` header; fastText's .vec), word2vec binary, and NumPy .npy (2-D, `<f4` or
 * `<f2`, C order) with a vocabulary of one word per row. Nothing of the table is kept in
 * JS memory beyond one block of staged rows (STAGE_BYTES).
 *
 * Errors: a malformed file is a SyntaxError naming the format and the line (text) or the
 * byte offset (binary); a size that cannot be held is a RangeError before allocating.
 * The caller frees the table on any failure.
 */

import type { Kernels, VectorDtype, VectorsHandle } from './backend.js';
import { ByteReader, openSource, throwIfAborted, type LoadProgress, type OpenFile } from './source.js';
import { f16ToF32 } from './ts/half.js';
import { elementBytes } from './ts/vectors.js';

export type VectorFormat = 'glove' | 'word2vec' | 'word2vec-binary' | 'npy';

/** What a loader produced: the filled table and its words. */
export interface LoadedVectors {
  handle: VectorsHandle;
  words: string[];
  index: Map<string, number>;
  duplicates: number;
  format: VectorFormat;
}

export interface LoadSettings {
  format: VectorFormat | 'auto';
  dtype: VectorDtype;
  /** Rows to read at most (duplicates included); Infinity for all. */
  limit: number;
  vocab?: unknown;
  onProgress?: (p: LoadProgress) => void;
  signal?: AbortSignal;
}

const OP = 'loadVectors';

/** Bytes of rows staged in JS before they are handed to the table (one block). */
const STAGE_BYTES = 256 * 1024;

/** A table (values, scales, norms) is at most this many bytes: wasm32's address space. */
export const MAX_TABLE_BYTES = 2 ** 32;

/** The longest word a binary file may hold before the space that ends it. */
const MAX_WORD_BYTES = 1 << 16;

/** The largest magnitude f16 stores finitely: halves round |x| ≥ 65520 to ∞. */
const F16_LIMIT = 65520;

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The UTF-8 decoder, made when first needed (importing the package touches no global that may be missing). */
let decoder: TextDecoder | undefined;
const utf8 = { decode: (bytes: Uint8Array) => (decoder ??= new TextDecoder('utf-8')).decode(bytes) };

function syntax(format: string, where: string, what: string): SyntaxError {
  return new SyntaxError(`${OP}: ${format} ${where}: ${what}`);
}

/** Bytes a table of `rows` rows of width `dim` takes: values, int8 scales and unit norms. */
export function tableBytes(rows: number, dim: number, dtype: VectorDtype): number {
  return rows * (dim * elementBytes(dtype) + (dtype === 'int8' ? 4 : 0) + 4);
}

/** A word's bytes as a string; invalid UTF-8 becomes U+FFFD. */
function decodeWord(buf: Uint8Array, start: number, end: number): string {
  let ascii = true;
  for (let i = start; i < end; i++) {
    if (buf[i] >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii && end - start <= 64) return String.fromCharCode.apply(null, buf.subarray(start, end) as unknown as number[]);
  return utf8.decode(buf.subarray(start, end));
}

/**
 * A decimal number in buf[s, e), or NaN when it is not one. Up to 15 significant digits
 * and a power of ten within ±22 are exact in a double, so one multiplication or division
 * rounds correctly; anything else goes to `Number`. Either way the result is the double
 * nearest the text, as `parseFloat` gives.
 */
function parseNumber(buf: Uint8Array, s: number, e: number): number {
  let i = s;
  let neg = false;
  let c = buf[i];
  if (c === 45) {
    neg = true;
    i++;
  } else if (c === 43) i++;
  let mant = 0;
  let digits = 0;
  let exp = 0;
  let any = false;
  let slow = false;
  while (i < e && (c = buf[i] - 48) >= 0 && c <= 9) {
    any = true;
    if (mant !== 0 || c !== 0) {
      if (digits < 15) {
        mant = mant * 10 + c;
        digits++;
      } else slow = true;
    }
    i++;
  }
  if (i < e && buf[i] === 46) {
    i++;
    while (i < e && (c = buf[i] - 48) >= 0 && c <= 9) {
      any = true;
      if (mant !== 0 || c !== 0) {
        if (digits < 15) {
          mant = mant * 10 + c;
          digits++;
          exp--;
        } else slow = true;
      } else exp--;
      i++;
    }
  }
  if (!any) return NaN;
  if (i < e && (buf[i] === 101 || buf[i] === 69)) {
    i++;
    let eneg = false;
    if (buf[i] === 45) {
      eneg = true;
      i++;
    } else if (buf[i] === 43) i++;
    let x = 0;
    let edigits = 0;
    while (i < e && (c = buf[i] - 48) >= 0 && c <= 9) {
      if (x < 100000) x = x * 10 + c;
      edigits++;
      i++;
    }
    if (edigits === 0) return NaN;
    exp += eneg ? -x : x;
  }
  if (i !== e) return NaN;
  if (slow || exp > 22 || exp < -22) return Number(String.fromCharCode.apply(null, buf.subarray(s, e) as unknown as number[]));
  const v = mant === 0 ? 0 : exp < 0 ? mant / POW10[-exp] : mant * POW10[exp];
  return neg ? -v : v;
}

/** Why buf[s, e) is not a usable value: a non-finite number or not a number at all. */
function badValue(buf: Uint8Array, s: number, e: number): string {
  const text = String.fromCharCode.apply(null, buf.subarray(s, Math.min(e, s + 40)) as unknown as number[]);
  const v = Number(text);
  return /^[+-]?(nan|inf(inity)?)$/i.test(text) || (!Number.isNaN(v) && !Number.isFinite(v)) ? `value ${JSON.stringify(text)} is not finite` : `value ${JSON.stringify(text)} is not a number`;
}

/**
 * The bytes of the source as they arrive: `buf[pos …]` is unread; `more()` appends the
 * next chunk (copying only the unread tail).
 */
class Input {
  buf: Uint8Array = new Uint8Array(0);
  pos = 0;
  /** Where a tail and the next chunk are joined (grown when a join needs more). */
  private joined = new Uint8Array(0);
  /** Byte offset of buf[0] in the file. */
  private base = 0;
  eof = false;

  constructor(readonly reader: ByteReader) {}

  get available(): number {
    return this.buf.length - this.pos;
  }

  /** Byte offset of buf[pos] in the file. */
  get offset(): number {
    return this.base + this.pos;
  }

  async more(): Promise<boolean> {
    if (this.eof) return false;
    const chunk = await this.reader.chunk();
    if (chunk === undefined) {
      this.eof = true;
      return false;
    }
    const restLength = this.buf.length - this.pos;
    this.base += this.pos;
    if (restLength === 0) {
      // A plain Uint8Array view (not a Buffer or other subclass): the parser's loops then
      // see one kind of array and stay optimised.
      this.buf = chunk.constructor === Uint8Array ? chunk : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
    } else {
      // The unread tail and the new chunk, joined in a block kept between calls (no
      // garbage per chunk): the tail moves to the block's start, the chunk after it.
      const need = restLength + chunk.length;
      const rest = this.buf.subarray(this.pos);
      if (this.joined.length < need) {
        const grown = new Uint8Array(Math.max(need, 2 * this.joined.length));
        grown.set(rest);
        this.joined = grown;
      } else if (rest.buffer === this.joined.buffer) {
        this.joined.copyWithin(0, rest.byteOffset - this.joined.byteOffset, rest.byteOffset - this.joined.byteOffset + restLength);
      } else {
        this.joined.set(rest);
      }
      this.joined.set(chunk, restLength);
      this.buf = this.joined.subarray(0, need);
    }
    this.pos = 0;
    return true;
  }

  /** At least n unread bytes (false when the file ends first). */
  async fill(n: number): Promise<boolean> {
    while (this.available < n) if (!(await this.more())) return false;
    return true;
  }

  /** The end (exclusive) of the next line, its '\n' not included; -1 at the end of the file. */
  async lineEnd(): Promise<number> {
    // Bytes after pos already searched: they stay searched when more() joins a chunk.
    let searched = 0;
    for (;;) {
      const nl = this.buf.indexOf(10, this.pos + searched);
      if (nl >= 0) return nl;
      searched = this.buf.length - this.pos;
      if (!(await this.more())) return this.available > 0 ? this.buf.length : -1;
    }
  }

  /** Moves past a line that ends at `end` (its '\n', when there is one). */
  skipLine(end: number): void {
    this.pos = Math.min(end + 1, this.buf.length);
  }
}

/**
 * Collects rows for the table: the words, the first row of each word (later ones are
 * counted as duplicates), and a block of staged values handed to the table when full.
 */
class Rows {
  readonly words: string[] = [];
  readonly index = new Map<string, number>();
  duplicates = 0;
  /** Rows read, duplicates included (what `limit` counts). */
  read = 0;
  readonly stage: Float32Array;
  readonly stageRows: number;
  staged = 0;
  handle: VectorsHandle | undefined;
  /** Rows the table has room for. */
  private capacity = 0;

  constructor(
    private readonly kernels: Kernels,
    readonly dim: number,
    readonly dtype: VectorDtype,
    readonly input: Input,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.stageRows = Math.max(1, Math.floor(STAGE_BYTES / (dim * 4)));
    this.stage = new Float32Array(this.stageRows * dim);
  }

  /** Takes room for `rows` rows, checking first that they can be held. */
  allocate(format: string, rows: number): void {
    this.check(format, rows);
    if (this.handle === undefined) this.handle = this.kernels.createVectors(this.dim, this.dtype, rows);
    else this.handle.reserve(rows);
    this.capacity = rows;
  }

  /** A RangeError when `rows` rows cannot be held. */
  check(format: string, rows: number): void {
    const bytes = tableBytes(rows, this.dim, this.dtype);
    const room = this.kernels.backend === 'wasm' ? MAX_TABLE_BYTES - this.kernels.memoryBytes : MAX_TABLE_BYTES;
    if (!Number.isSafeInteger(bytes) || bytes > room) {
      throw new RangeError(
        `${OP}: ${format} holds ${rows} rows × ${this.dim} values: ${bytes} bytes as ${this.dtype}, more than this engine can hold (${room} bytes); pass a smaller limit${this.dtype === 'int8' ? '' : " or dtype 'int8'"}`,
      );
    }
  }

  /** Where the next row's values go in the stage. */
  get slot(): number {
    return this.staged * this.dim;
  }

  /** Counts a row read under `word`; false when the word was seen already (a duplicate, not kept). */
  note(word: string): boolean {
    this.read++;
    if (this.index.has(word)) {
      this.duplicates++;
      return false;
    }
    this.index.set(word, this.words.length);
    this.words.push(word);
    return true;
  }

  /** Keeps the staged row under `word` (or counts it as a duplicate); flushes a full stage. */
  keep(word: string): void {
    if (this.note(word) && ++this.staged === this.stageRows) this.flush();
  }

  /** Hands the staged rows to the table. */
  flush(): void {
    this.ensure(this.staged);
    this.handle!.append(this.stage, this.staged);
    this.staged = 0;
  }

  /** Room for `extra` more rows, growing the table when it is full; checks for an abort and reports rows. */
  ensure(extra: number): void {
    throwIfAborted(this.signal);
    this.input.reader.rows = this.read;
    const needed = this.handle!.rows + extra;
    if (needed > this.capacity) {
      // Rows per byte so far × the whole size, plus 5 %: one or two steps for a sized
      // source; doubling for a stream of unknown size.
      const total = this.input.reader.totalBytes;
      const estimate = total !== undefined && this.input.offset > 0 ? Math.ceil((this.words.length / this.input.offset) * total * 1.05) : 2 * this.capacity;
      this.allocate('the file', Math.max(needed, estimate));
    }
  }

  /** The value check every format shares: f16 cannot hold |x| ≥ 65520. */
  checkRange(format: string, where: string, at: number): void {
    if (this.dtype !== 'f16') return;
    const end = at + this.dim;
    for (let i = at; i < end; i++) {
      if (Math.abs(this.stage[i]) >= F16_LIMIT) {
        throw new RangeError(`${OP}: ${format} ${where}: value ${this.stage[i]} does not fit f16 (|x| < ${F16_LIMIT}); load with dtype 'f32'`);
      }
    }
  }
}

/** Splits a header line into tokens (spaces and tabs). */
function tokens(buf: Uint8Array, s: number, e: number): string[] {
  return utf8.decode(buf.subarray(s, e)).trim().split(/[ \t]+/).filter((t) => t.length > 0);
}

/** The end of a line without trailing spaces, tabs and '\r'. */
function trimEnd(buf: Uint8Array, s: number, e: number): number {
  while (e > s && (buf[e - 1] === 32 || buf[e - 1] === 9 || buf[e - 1] === 13)) e--;
  return e;
}

/**
 * Parses one text row buf[s, e) into the stage at `rows.slot`: the word (up to the first
 * space or tab), then exactly `dim` values. Returns the word's end, or throws.
 *
 * The common form of a value, [±]digits[.digits] with at most 15 significant digits, is
 * read in the same pass that finds its end (the digits as an integer, divided once by an
 * exact power of ten: correctly rounded); any other form goes to `parseNumber`.
 */
function parseTextRow(buf: Uint8Array, s: number, e: number, rows: Rows, format: string, line: number): number {
  const { stage, dim } = rows;
  let i = s;
  while (i < e && buf[i] !== 32 && buf[i] !== 9) i++;
  const wordEnd = i;
  const at = rows.slot;
  let n = 0;
  for (;;) {
    let b = 0;
    while (i < e && ((b = buf[i]) === 32 || b === 9)) i++;
    if (i >= e) break;
    const t = i;
    let neg = false;
    if (b === 45) {
      neg = true;
      i++;
    } else if (b === 43) i++;
    let mant = 0;
    let digits = 0;
    let frac = 0;
    const first = i;
    for (; i < e; i++) {
      const d = buf[i] - 48;
      if (d < 0 || d > 9) break;
      mant = mant * 10 + d;
      if (mant !== 0) digits++;
    }
    let any = i > first;
    if (i < e && buf[i] === 46) {
      const f = ++i;
      for (; i < e; i++) {
        const d = buf[i] - 48;
        if (d < 0 || d > 9) break;
        mant = mant * 10 + d;
        if (mant !== 0) digits++;
      }
      frac = i - f;
      any = any || frac > 0;
    }
    let v: number;
    if ((i === e || (b = buf[i]) === 32 || b === 9) && any && digits <= 15 && frac <= 22) {
      v = frac === 0 ? mant : mant / POW10[frac];
      if (neg) v = -v;
    } else {
      while (i < e && buf[i] !== 32 && buf[i] !== 9) i++;
      v = parseNumber(buf, t, i);
      if (!Number.isFinite(v)) throw syntax(format, `line ${line}`, `${badValue(buf, t, i)} (value ${n + 1} of the word ${JSON.stringify(decodeWord(buf, s, wordEnd))})`);
    }
    if (n === dim) {
      throw syntax(format, `line ${line}`, `expected ${dim} values after the word ${JSON.stringify(decodeWord(buf, s, wordEnd))}, got more`);
    }
    stage[at + n++] = v;
  }
  if (n !== dim) {
    throw syntax(format, `line ${line}`, `expected ${dim} values after the word ${JSON.stringify(decodeWord(buf, s, wordEnd))}, got ${n}`);
  }
  rows.checkRange(format, `line ${line}`, at);
  return wordEnd;
}

/** How many values follow the word on a text line (for GloVe's width and sniffing). */
function countValues(buf: Uint8Array, s: number, e: number): { n: number; numeric: boolean } {
  let i = s;
  while (i < e && buf[i] !== 32 && buf[i] !== 9) i++;
  let n = 0;
  let numeric = true;
  for (;;) {
    while (i < e && (buf[i] === 32 || buf[i] === 9)) i++;
    if (i >= e) break;
    const t = i;
    while (i < e && buf[i] !== 32 && buf[i] !== 9) i++;
    if (Number.isNaN(parseNumber(buf, t, i))) numeric = false;
    n++;
  }
  return { n, numeric };
}

/** Whether buf[s, e) is two non-negative integers: a word2vec header. */
function looksLikeHeader(buf: Uint8Array, s: number, e: number): boolean {
  const t = tokens(buf, s, e);
  return t.length === 2 && t.every((x) => /^[+-]?\d+$/.test(x));
}

/** Reads text rows (GloVe or word2vec text) until the end, `limit` or the header's count. */
async function readTextRows(input: Input, rows: Rows, format: string, firstLine: number, limit: number, promised: number | undefined): Promise<void> {
  const want = Math.min(limit, promised ?? Infinity);
  const line = rows.handle!.parseText ? await readTextRowsInBackend(input, rows, format, firstLine, want) : await readTextRowsHere(input, rows, format, firstLine, want);
  if (promised !== undefined && rows.read < want) {
    throw syntax(format, `line ${line}`, `the header promises ${promised} rows, the file ends after ${rows.read}`);
  }
}

/** Text rows parsed here, one line at a time; returns the last line's number. */
async function readTextRowsHere(input: Input, rows: Rows, format: string, firstLine: number, want: number): Promise<number> {
  let line = firstLine;
  while (rows.read < want) {
    const newline = input.buf.indexOf(10, input.pos);
    const end = newline >= 0 ? newline : await input.lineEnd();
    if (end < 0) break;
    const { buf } = input;
    const s = input.pos;
    const e = trimEnd(buf, s, end);
    input.skipLine(end);
    line++;
    if (e === s) continue; // a blank line
    const wordEnd = parseTextRow(buf, s, e, rows, format, line);
    rows.keep(decodeWord(buf, s, wordEnd));
  }
  return line;
}

/**
 * Text rows parsed by the backend (the wasm core), the whole lines of each chunk at once,
 * into rows staged there; the words are read here from the spans it returns. A line the
 * backend refuses is parsed again here, which throws the error naming what is wrong.
 */
async function readTextRowsInBackend(input: Input, rows: Rows, format: string, firstLine: number, want: number): Promise<number> {
  const handle = rows.handle!;
  let line = firstLine;
  while (rows.read < want) {
    let lastNewline = input.buf.lastIndexOf(10);
    while (lastNewline < input.pos && !input.eof) {
      const searched = input.buf.length - input.pos;
      if (!(await input.more())) break;
      lastNewline = input.buf.indexOf(10, input.pos + searched) < 0 ? -1 : input.buf.lastIndexOf(10);
    }
    if (input.available === 0) break;
    const last = lastNewline < input.pos;
    const start = input.pos;
    const end = last ? input.buf.length : lastNewline + 1;
    const parsed = handle.parseText!(input.buf, start, end, last, Math.min(rows.stageRows, want - rows.read));
    const { spans } = parsed;
    if (rows.dtype === 'f16') {
      const values = handle.parsedValues!(parsed.rows);
      for (let r = 0; r < parsed.rows; r++) {
        for (let j = r * rows.dim; j < (r + 1) * rows.dim; j++) {
          if (Math.abs(values[j]) >= F16_LIMIT) {
            throw new RangeError(`${OP}: ${format} line ${line + spans[3 * r + 2] + 1}: value ${values[j]} does not fit f16 (|x| < ${F16_LIMIT}); load with dtype 'f32'`);
          }
        }
      }
    }
    let keep: number[] | undefined;
    for (let r = 0; r < parsed.rows; r++) {
      if (!rows.note(decodeWord(input.buf, start + spans[3 * r], start + spans[3 * r + 1]))) {
        keep ??= Array.from({ length: r }, (_, i) => i);
      } else keep?.push(r);
    }
    rows.ensure(keep === undefined ? parsed.rows : keep.length);
    handle.appendParsed!(parsed.rows, keep);
    input.pos += parsed.consumed;
    line += parsed.lines;
    if (parsed.error) {
      // A line the backend leaves to us: malformed (this throws, naming what is wrong), or
      // holding a value beyond its fast form (read here, and stored on its own).
      const s = input.pos;
      const nl = input.buf.indexOf(10, s);
      const lineEnd = nl < 0 || nl >= end ? end : nl;
      line++;
      const wordEnd = parseTextRow(input.buf, s, trimEnd(input.buf, s, lineEnd), rows, format, line);
      rows.keep(decodeWord(input.buf, s, wordEnd));
      if (rows.staged > 0) rows.flush();
      input.skipLine(lineEnd);
      continue;
    }
    if (last && parsed.consumed === end - start) {
      // The final line had no newline: it counts as a line all the same.
      line++;
      break;
    }
  }
  rows.input.reader.rows = rows.read;
  return line;
}

/** Reads word2vec binary rows: a word, a space, then dim little-endian f32. */
async function readBinaryRows(input: Input, rows: Rows, limit: number, promised: number): Promise<void> {
  const format = 'word2vec-binary';
  const { dim, stage } = rows;
  const valueBytes = dim * 4;
  const want = Math.min(limit, promised);
  const stageBytes = new Uint8Array(stage.buffer, stage.byteOffset, stage.byteLength);
  while (rows.read < want) {
    // The word: leading newlines skipped (Google's tool ends each row with one), then up to a space.
    for (;;) {
      if (input.available === 0 && !(await input.more())) {
        throw syntax(format, `byte offset ${input.offset}`, `the header promises ${promised} rows, the file ends after ${rows.read}`);
      }
      if (input.buf[input.pos] !== 10) break;
      input.pos++;
    }
    const start = input.offset;
    let space = input.buf.indexOf(32, input.pos);
    while (space < 0) {
      if (input.available > MAX_WORD_BYTES) throw syntax(format, `byte offset ${start}`, `no space after a word within ${MAX_WORD_BYTES} bytes (row ${rows.read + 1})`);
      if (!(await input.more())) throw syntax(format, `byte offset ${start}`, `the file ends inside row ${rows.read + 1}, before the space after its word`);
      space = input.buf.indexOf(32, input.pos);
    }
    const word = decodeWord(input.buf, input.pos, space);
    input.pos = space + 1;
    // (Awaiting only when the bytes have not arrived: an await per row costs a microtask.)
    if (input.available < valueBytes && !(await input.fill(valueBytes))) {
      throw syntax(format, `byte offset ${input.offset}`, `the file ends inside row ${rows.read + 1} (the word ${JSON.stringify(word)}): expected ${valueBytes} bytes of values, got ${input.available}`);
    }
    const at = rows.slot;
    const valuesAt = input.offset;
    copyValues(input.buf, input.pos, stageBytes, stage, at, dim);
    input.pos += valueBytes;
    const bad = firstNonFinite(stage, at, at + dim);
    if (bad >= 0) {
      throw syntax(format, `byte offset ${valuesAt + 4 * (bad - at)}`, `value ${bad - at + 1} of the word ${JSON.stringify(word)} is not finite (${stage[bad]})`);
    }
    rows.checkRange(format, `byte offset ${valuesAt}`, at);
    rows.keep(word);
  }
}

/**
 * The index of the first NaN or ±∞ in values[from, to), or −1. x · 0 is NaN exactly for
 * those, so one branch-free sum finds whether there is any; only then is it located.
 */
function firstNonFinite(values: Float32Array, from: number, to: number): number {
  let probe = 0;
  for (let i = from; i < to; i++) probe += values[i] * 0;
  if (probe === 0) return -1;
  for (let i = from; i < to; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

/** stage[at .. at + dim) ← dim little-endian f32 at buf[pos]. */
function copyValues(buf: Uint8Array, pos: number, stageBytes: Uint8Array, stage: Float32Array, at: number, dim: number): void {
  if (LITTLE_ENDIAN) {
    stageBytes.set(buf.subarray(pos, pos + dim * 4), at * 4);
  } else {
    const view = new DataView(buf.buffer, buf.byteOffset + pos, dim * 4);
    for (let j = 0; j < dim; j++) stage[at + j] = view.getFloat32(4 * j, true);
  }
}

interface NpyHeader {
  rows: number;
  dim: number;
  half: boolean;
}

/** Parses a .npy header (the input is at byte 0); leaves the input at the data. */
async function readNpyHeader(input: Input): Promise<NpyHeader> {
  const format = 'npy';
  if (!(await input.fill(10))) throw syntax(format, 'byte offset 0', 'the file is shorter than a .npy header (10 bytes)');
  const b = input.buf;
  const p = input.pos;
  if (b[p] !== 0x93 || String.fromCharCode(...b.subarray(p + 1, p + 6)) !== 'NUMPY') throw syntax(format, 'byte offset 0', 'no \\x93NUMPY magic string');
  const major = b[p + 6];
  if (major < 1 || major > 3) throw syntax(format, 'byte offset 6', `unknown format version ${major}`);
  const lenBytes = major === 1 ? 2 : 4;
  if (!(await input.fill(8 + lenBytes))) throw syntax(format, 'byte offset 8', 'the file ends inside the header length');
  const q = input.pos;
  const headerLen = lenBytes === 2 ? input.buf[q + 8] | (input.buf[q + 9] << 8) : (input.buf[q + 8] | (input.buf[q + 9] << 8) | (input.buf[q + 10] << 16)) + input.buf[q + 11] * 2 ** 24;
  const headerAt = 8 + lenBytes;
  if (headerLen > 1 << 20) throw syntax(format, 'byte offset 8', `a header of ${headerLen} bytes is not plausible`);
  if (!(await input.fill(headerAt + headerLen))) throw syntax(format, `byte offset ${headerAt}`, `the file ends inside the ${headerLen}-byte header`);
  const header = utf8.decode(input.buf.subarray(input.pos + headerAt, input.pos + headerAt + headerLen));
  const where = `byte offset ${headerAt}`;
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  if (descr === undefined) throw syntax(format, where, `no 'descr' in the header ${JSON.stringify(header.trim())}`);
  if (descr !== '<f4' && descr !== '<f2') throw syntax(format, where, `dtype '${descr}' is not supported (expected '<f4' or '<f2')`);
  if (/'fortran_order'\s*:\s*True/.test(header)) throw syntax(format, where, 'the array is in Fortran order (expected C order)');
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (shape === undefined) throw syntax(format, where, `no 'shape' in the header ${JSON.stringify(header.trim())}`);
  const dims = shape.split(',').map((x) => x.trim()).filter((x) => x.length > 0);
  if (dims.length !== 2 || !dims.every((x) => /^\d+$/.test(x))) throw syntax(format, where, `shape (${shape}) is not 2-D`);
  const [rows, dim] = dims.map(Number);
  if (dim < 1) throw syntax(format, where, `shape (${shape}) has rows of width 0`);
  input.pos += headerAt + headerLen;
  return { rows, dim, half: descr === '<f2' };
}

/** Reads .npy rows (the input is at the data). */
async function readNpyRows(input: Input, rows: Rows, header: NpyHeader, vocab: string[], limit: number): Promise<void> {
  const format = 'npy';
  const { dim, stage } = rows;
  const stageBytes = new Uint8Array(stage.buffer, stage.byteOffset, stage.byteLength);
  const rowBytes = dim * (header.half ? 2 : 4);
  const want = Math.min(limit, header.rows);
  while (rows.read < want) {
    // As many whole rows as have arrived (and fit the stage), copied in one go.
    if (input.available < rowBytes && !(await input.fill(rowBytes))) {
      throw syntax(format, `byte offset ${input.offset}`, `the file ends inside row ${rows.read + 1} of ${header.rows}: expected ${rowBytes} bytes, got ${input.available}`);
    }
    const n = Math.min(Math.floor(input.available / rowBytes), rows.stageRows - rows.staged, want - rows.read);
    const base = rows.slot;
    const blockAt = input.offset;
    if (header.half) {
      const b = input.buf;
      for (let j = 0, p = input.pos; j < n * dim; j++, p += 2) stage[base + j] = f16ToF32(b[p] | (b[p + 1] << 8));
    } else {
      copyValues(input.buf, input.pos, stageBytes, stage, base, n * dim);
    }
    input.pos += n * rowBytes;
    const bad = firstNonFinite(stage, base, base + n * dim);
    if (bad >= 0) {
      const j = bad - base;
      const r = rows.read + Math.floor(j / dim);
      throw syntax(format, `byte offset ${blockAt + (rowBytes / dim) * j}`, `value ${(j % dim) + 1} of row ${r + 1} (${JSON.stringify(vocab[r])}) is not finite (${stage[bad]})`);
    }
    for (let i = 0; i < n; i++) {
      // A duplicate before this row left its slot free: move the row up.
      const from = base + i * dim;
      if (rows.slot !== from) stage.copyWithin(rows.slot, from, from + dim);
      rows.checkRange(format, `byte offset ${blockAt + i * rowBytes}`, rows.slot);
      rows.keep(vocab[rows.read]);
    }
  }
}

/** The vocabulary of an .npy file: an array of words, or a source with one word per line. */
async function readVocab(vocab: unknown, openFile: OpenFile | undefined, signal: AbortSignal | undefined): Promise<string[]> {
  if (Array.isArray(vocab)) {
    vocab.forEach((w, i) => {
      if (typeof w !== 'string') throw new TypeError(`${OP}: opts.vocab[${i}] must be a string, got ${typeof w}`);
    });
    return vocab as string[];
  }
  const reader = new ByteReader(await openSource(OP, 'opts.vocab', vocab, openFile), { signal });
  const decoder = new TextDecoder('utf-8');
  const words: string[] = [];
  let rest = '';
  try {
    for (let chunk = await reader.chunk(); chunk !== undefined; chunk = await reader.chunk()) {
      const lines = (rest + decoder.decode(chunk, { stream: true })).split('\n');
      rest = lines.pop()!;
      for (const l of lines) words.push(l.endsWith('\r') ? l.slice(0, -1) : l);
    }
  } finally {
    await reader.close();
  }
  rest += decoder.decode();
  if (rest.length > 0) words.push(rest.endsWith('\r') ? rest.slice(0, -1) : rest);
  return words;
}

/**
 * Loads `source` into a new table of `kernels`. On any failure the table is freed and the
 * source closed before the error propagates.
 */
export async function readVectors(kernels: Kernels, openFile: OpenFile | undefined, source: unknown, settings: LoadSettings): Promise<LoadedVectors> {
  const { signal, limit, dtype } = settings;
  throwIfAborted(signal);
  const vocab = settings.vocab === undefined ? undefined : await readVocab(settings.vocab, openFile, signal);
  const reader = new ByteReader(await openSource(OP, 'source', source, openFile, { reuse: true }), { onProgress: settings.onProgress, signal });
  const input = new Input(reader);
  let rows: Rows | undefined;
  try {
    if (!(await input.fill(1))) throw new SyntaxError(`${OP}: ${settings.format === 'auto' ? 'the file' : settings.format} is empty (no word vectors)`);
    let format = settings.format;
    if (format === 'auto' || format === 'npy') {
      await input.fill(6);
      const isNpy = input.available >= 6 && input.buf[input.pos] === 0x93 && String.fromCharCode(...input.buf.subarray(input.pos + 1, input.pos + 6)) === 'NUMPY';
      if (isNpy) format = 'npy';
    }
    if (format === 'npy') {
      if (vocab === undefined) throw new TypeError(`${OP}: an .npy file needs opts.vocab (its words, one per row)`);
      const header = await readNpyHeader(input);
      rows = new Rows(kernels, header.dim, dtype, input, signal);
      rows.check('the npy array', Math.min(header.rows, limit));
      if (vocab.length !== header.rows) throw syntax('npy', 'vocabulary', `it has ${vocab.length} words, the array ${header.rows} rows`);
      rows.allocate('the npy array', Math.min(header.rows, limit));
      await readNpyRows(input, rows, header, vocab, limit);
    } else {
      if (vocab !== undefined) throw new TypeError(`${OP}: opts.vocab is for .npy files only; this file is ${format === 'auto' ? 'text or word2vec binary' : format}`);
      // A UTF-8 byte-order mark (some editors write one) is not part of the first word.
      await input.fill(3);
      if (input.buf[input.pos] === 0xef && input.buf[input.pos + 1] === 0xbb && input.buf[input.pos + 2] === 0xbf) input.pos += 3;
      // Blank lines before the first row are skipped (and counted).
      let blank = 0;
      let end = await input.lineEnd();
      while (end >= 0 && trimEnd(input.buf, input.pos, end) === input.pos) {
        input.skipLine(end);
        blank++;
        end = await input.lineEnd();
      }
      if (end < 0) throw new SyntaxError(`${OP}: ${settings.format === 'auto' ? 'the file' : settings.format} holds only blank lines (no word vectors)`);
      const s = input.pos;
      const e = trimEnd(input.buf, s, end);
      const header = looksLikeHeader(input.buf, s, e);
      if (format === 'auto') format = header ? 'word2vec' : 'glove';
      if (format === 'glove') {
        const { n } = countValues(input.buf, s, e);
        if (n === 0) throw syntax('glove', `line ${blank + 1}`, 'a word with no values');
        rows = new Rows(kernels, n, dtype, input, signal);
        const total = reader.totalBytes;
        const estimate = total === undefined ? 1024 : Math.ceil((total / (end + 1 - s)) * 1.05);
        rows.allocate('the file', Math.max(1, Math.min(estimate, limit)));
        await readTextRows(input, rows, 'glove', blank, limit, undefined);
      } else {
        const t = tokens(input.buf, s, e);
        const [count, dim] = t.map(Number);
        if (t.length !== 2 || !t.every((x) => /^\d+$/.test(x)) || !(count > 0) || !(dim > 0) || !Number.isSafeInteger(count) || !Number.isSafeInteger(dim)) {
          throw syntax(format === 'word2vec-binary' ? 'word2vec-binary' : 'word2vec', `line ${blank + 1}`, `the header must be two positive integers (rows dim), got ${JSON.stringify(utf8.decode(input.buf.subarray(s, Math.min(e, s + 60))))}`);
        }
        input.skipLine(end);
        rows = new Rows(kernels, dim, dtype, input, signal);
        // Refused before reading on (sniffing the first row reads up to 32 bytes per value).
        rows.check(`the ${format} header`, Math.min(count, limit));
        if (format === 'word2vec' && settings.format === 'auto') format = (await looksBinary(input, dim)) ? 'word2vec-binary' : 'word2vec';
        rows.allocate(`the ${format} header`, Math.min(count, limit));
        if (format === 'word2vec') await readTextRows(input, rows, 'word2vec', blank + 1, limit, count);
        else await readBinaryRows(input, rows, limit, count);
      }
    }
    if (rows.staged > 0) rows.flush();
    // Unless `limit` stopped it, read to the end, so that the last progress report is the
    // whole size (gensim ignores what follows a header's rows; so does this).
    if (rows.read < limit) while (await input.more()) input.pos = input.buf.length;
    rows.handle!.finish();
    reader.rows = rows.read;
    reader.report();
    return { handle: rows.handle!, words: rows.words, index: rows.index, duplicates: rows.duplicates, format };
  } catch (err) {
    rows?.handle?.free();
    throw err;
  } finally {
    await reader.close();
  }
}

/**
 * After a word2vec header: whether the first row is binary. A text row is a word and
 * exactly `dim` numbers up to a newline; binary values almost never read as that.
 */
async function looksBinary(input: Input, dim: number): Promise<boolean> {
  // Enough for the first row in either form: a long word and dim values of up to 32 characters.
  await input.fill(Math.min(MAX_WORD_BYTES, 256 + 32 * dim));
  if (input.available === 0) return false;
  const b = input.buf;
  let nl = b.indexOf(10, input.pos);
  if (nl < 0) nl = b.length;
  const e = trimEnd(b, input.pos, nl);
  const { n, numeric } = countValues(b, input.pos, e);
  return !(n === dim && numeric);
}
