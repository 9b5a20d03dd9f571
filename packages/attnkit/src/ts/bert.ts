/**
 * A BERT encoder on the TS backend: the steps of wasm/bert.ts with the TS kernels (f64
 * sums). The word table and dense weights are kept in the storage dtype (Float32Array, or
 * f16 bits in a Uint16Array); a dense weight is decoded to the f64 operand of ts/linear.ts
 * for each call.
 */

import type { BertCall, BertHandle, CheckpointDtype, TensorSink } from '../backend.js';
import { EMBEDDING_WEIGHTS, LAYER_WEIGHTS, bertWeights, elements, slotOf, type BertDims, type BertWeight } from '../model/weights.js';
import { attention } from './attention.js';
import { gelu } from './gelu.js';
import { bf16ToF32, f16ToF32, f32ToF16 } from './half.js';
import { layerNorm } from './layernorm.js';
import { linear } from './linear.js';

type Stored = Float32Array | Uint16Array;

export function createTsBert(dims: BertDims, dtype: 'f32' | 'f16'): BertHandle {
  const weights = bertWeights(dims);
  const isHalf = (w: BertWeight) => dtype === 'f16' && (w.kind === 'table' || w.kind === 'linear');
  let data: Stored[] | undefined = weights.map((w) => (isHalf(w) ? new Uint16Array(elements(w.shape)) : new Float32Array(elements(w.shape))));
  const bytes = data.reduce((s, a) => s + a.byteLength, 0);

  function sink(slot: number, from: CheckpointDtype): TensorSink {
    const target = data![slot];
    const half = target instanceof Uint16Array;
    let at = 0;
    return {
      write(chunk) {
        const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        const size = from === 'F32' ? 4 : 2;
        for (let o = 0; o < chunk.length; o += size, at++) {
          const bits = size === 4 ? 0 : view.getUint16(o, true);
          if (half && from === 'F16') target[at] = bits;
          else {
            const value = from === 'F32' ? view.getFloat32(o, true) : from === 'F16' ? f16ToF32(bits) : bf16ToF32(bits);
            target[at] = half ? f32ToF16(value) : value;
          }
        }
      },
      end() {},
    };
  }

  const f64 = (a: Stored) => (a instanceof Uint16Array ? Float64Array.from(a, f16ToF32) : Float64Array.from(a));

  function forward(call: BertCall, out: Float32Array): void {
    if (data === undefined) throw new Error('attnkit: the model was disposed');
    const w = data;
    const { batch: B, seqLen: S } = call;
    const { hidden: E, intermediate: F, heads: H, eps } = dims;
    const M = B * S;
    const at = (layer: number, i: number) => w[slotOf(layer, i)];
    const e = (name: (typeof EMBEDDING_WEIGHTS)[number]) => at(-1, EMBEDDING_WEIGHTS.indexOf(name)) as Float32Array;
    const h = new Float32Array(M * E);
    const word = at(-1, 0);
    const [pos, typ] = [e('position'), e('tokenType')];
    for (let b = 0; b < B; b++) {
      for (let s = 0; s < S; s++) {
        const i = b * S + s;
        const id = call.ids[i];
        const t = call.typeIds !== undefined ? call.typeIds[i] : 0;
        for (let j = 0; j < E; j++) {
          const wv = word instanceof Uint16Array ? f16ToF32(word[id * E + j]) : word[id * E + j];
          h[i * E + j] = wv + pos[s * E + j] + typ[t * E + j];
        }
      }
    }
    layerNorm(h, M, E, e('norm'), e('normBias'), eps, h);
    const [q, k, v, a, t] = [0, 1, 2, 3, 4].map(() => new Float32Array(M * E));
    const u = new Float32Array(M * F);
    const s = (name: (typeof LAYER_WEIGHTS)[number]) => LAYER_WEIGHTS.indexOf(name);
    const dense = (x: Float32Array, layer: number, i: number, y: Float32Array) => {
      const [n, kk] = weights[slotOf(layer, i)].shape;
      linear(x, M, kk, f64(at(layer, i)), n, at(layer, i + 1) as Float32Array, y);
    };
    const masks = { mask: undefined, maskPerHead: false, keyPaddingMask: call.padding, causal: false };
    const shape = { batch: B, seqQ: S, seqK: S, numHeads: H, numKvHeads: H, headDim: E / H };
    for (let l = 0; l < dims.layers; l++) {
      dense(h, l, s('q'), q);
      dense(h, l, s('k'), k);
      dense(h, l, s('v'), v);
      attention(q, k, v, shape, 1 / Math.sqrt(E / H), masks, a);
      dense(a, l, s('o'), t);
      layerNorm(h, M, E, at(l, s('norm1')) as Float32Array, at(l, s('norm1Bias')) as Float32Array, eps, h, t);
      dense(h, l, s('up'), u);
      gelu(u, dims.tanhGelu, u);
      dense(u, l, s('down'), t);
      layerNorm(h, M, E, at(l, s('norm2')) as Float32Array, at(l, s('norm2Bias')) as Float32Array, eps, h, t);
    }
    out.set(h);
  }

  return {
    bytes,
    sink,
    forward,
    free() {
      data = undefined;
    },
  };
}
