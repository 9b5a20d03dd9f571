import { createEngine } from 'attnkit';
const rows = Number(process.argv[2] ?? 40000), dim = 300;
const e = await createEngine({ backend: 'wasm' });
let x = 1; const rnd = () => { x = (x * 1103515245 + 12345) >>> 0; return x / 2 ** 32 - 0.5; };
const values = Float32Array.from({ length: rows * dim }, rnd);
let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${dim}), }`; header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
const bytes = Buffer.concat([Buffer.from([0x93, ...Buffer.from('NUMPY'), 1, 0, header.length & 255, header.length >> 8]), Buffer.from(header), Buffer.from(values.buffer)]);
const vocab = Array.from({ length: rows }, (_, i) => `w${i}`);
const q = values.slice(0, dim);
for (const dtype of ['f32', 'f16', 'int8'] as const) {
  const v = await e.loadVectors(bytes, { dtype, vocab });
  const times: number[] = [];
  for (let i = 0; i < 15; i++) { const t = performance.now(); v.nearest(q, 10); times.push(performance.now() - t); }
  times.sort((a, b) => a - b);
  console.log(dtype, rows, times[7].toFixed(2), 'ms');
  v.dispose();
}
