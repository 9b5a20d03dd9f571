/** Reads and rewrites safetensors files for tests: edit the tensors, get consistent bytes back. */

export interface Tensor {
  name: string;
  dtype: string;
  shape: number[];
  data: Uint8Array;
}

/** The tensors of a safetensors file, in file order. */
export function parseSafetensors(bytes: Uint8Array): Tensor[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  return Object.entries(header)
    .filter(([name]) => name !== '__metadata__')
    .map(([name, t]) => ({ name, dtype: t.dtype, shape: t.shape, data: bytes.slice(8 + n + t.data_offsets[0], 8 + n + t.data_offsets[1]), begin: t.data_offsets[0] }))
    .sort((a, b) => a.begin - b.begin)
    .map(({ name, dtype, shape, data }) => ({ name, dtype, shape, data }));
}

/** A safetensors file of `tensors`, laid out in order; `header` rewrites the JSON text first. */
export function writeSafetensors(tensors: Tensor[], header: (json: Record<string, unknown>) => unknown = (j) => j): Uint8Array {
  const json: Record<string, unknown> = {};
  let offset = 0;
  for (const t of tensors) {
    json[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.data.length] };
    offset += t.data.length;
  }
  const text = new TextEncoder().encode(JSON.stringify(header(json)));
  const out = new Uint8Array(8 + text.length + offset);
  new DataView(out.buffer).setUint32(0, text.length, true);
  out.set(text, 8);
  let at = 8 + text.length;
  for (const t of tensors) {
    out.set(t.data, at);
    at += t.data.length;
  }
  return out;
}

/** A ReadableStream of `bytes` in chunks of `size` (no length known in advance). */
export function streamOf(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}
