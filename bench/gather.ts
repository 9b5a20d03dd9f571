/**
 * The bandwidth reference of the embedding benchmarks: a `memory.copy` row gather in a
 * hand-assembled wasm module (no PE, no copy out) — the fastest a wasm gather of table
 * rows costs at best. Used by bench/peers.bench.ts and bench/embedding.bench.ts.
 */

function uleb(n: number): number[] {
  const bytes: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    bytes.push(b);
  } while (n);
  return bytes;
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

/**
 * (func (export "gather") (param table ids n rowBytes out i32)
 *   for i in 0..n: memory.copy(out + i·rowBytes, table + ids[i]·rowBytes, rowBytes))
 * with its own memory of `pages` 64 KiB pages.
 */
export function gatherModule(pages: number): WebAssembly.Instance {
  const name = (s: string) => [s.length, ...[...s].map((c) => c.charCodeAt(0))];
  const code = [
    0x01, 0x01, 0x7f, // one local i32: i (index 5)
    0x02, 0x40, 0x03, 0x40, // block, loop
    0x20, 5, 0x20, 2, 0x4f, 0x0d, 1, // if i >= n: break
    0x20, 4, 0x20, 5, 0x20, 3, 0x6c, 0x6a, // dst = out + i·rowBytes
    0x20, 0, 0x20, 1, 0x20, 5, 0x41, 2, 0x74, 0x6a, 0x28, 2, 0, 0x20, 3, 0x6c, 0x6a, // src = table + ids[i]·rowBytes
    0x20, 3, 0xfc, 0x0a, 0, 0, // memory.copy(dst, src, rowBytes)
    0x20, 5, 0x41, 1, 0x6a, 0x21, 5, 0x0c, 0, // i += 1; continue
    0x0b, 0x0b, 0x0b,
  ];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 5, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0, ...uleb(pages)]),
    ...section(7, [2, ...name('memory'), 2, 0, ...name('gather'), 0, 0]),
    ...section(10, [1, ...uleb(code.length), ...code]),
  ];
  return new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(bytes)));
}


/**
 * The gather of `ids` [N] from `table` [R, E], set up once in the module's own memory:
 * `run()` gathers the rows into place (out [N, E]), `gathered()` views them.
 */
export function memoryCopyGather(table: Float32Array, dim: number, ids: Int32Array): { run: () => void; gathered: () => Float32Array } {
  const n = ids.length;
  const idsAt = table.length * 4;
  const outAt = idsAt + n * 4;
  const gather = gatherModule(Math.ceil((outAt + n * dim * 4) / 65536));
  const memory = gather.exports.memory as WebAssembly.Memory;
  const gatherFn = gather.exports.gather as (table: number, ids: number, n: number, rowBytes: number, out: number) => void;
  new Float32Array(memory.buffer, 0, table.length).set(table);
  new Int32Array(memory.buffer, idsAt, n).set(ids);
  return { run: () => gatherFn(0, idsAt, n, dim * 4, outAt), gathered: () => new Float32Array(memory.buffer, outAt, n * dim) };
}
