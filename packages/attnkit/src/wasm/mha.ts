/**
 * The multi-head attention layer on the wasm backend: weights packed once into linear
 * memory at creation; a forward copies x (and kv) in, runs every step on pointers inside
 * the module — projections, rope, attention, output projection — and copies out once.
 * The steps are those of ts/mha.ts.
 */

import type { MhaCall, MhaDims, MhaHandle, MhaParams } from '../backend.js';
import type { Block, WasmCore } from './core.js';

/** A packed weight [n, k] and its bias [n] (ptr 0 = no bias), resident in linear memory. */
interface PackedLinear {
  weights: Block;
  bias: Block | undefined;
  n: number;
  k: number;
}

function packLinear(core: WasmCore, w: Float32Array, n: number, k: number, bias: Float32Array | undefined): PackedLinear {
  const wasm = core.exports;
  const weights = core.alloc(wasm.attnkit_packed_len(n, k) * 4);
  let biasBlock: Block | undefined;
  try {
    core.scoped((scope) => wasm.attnkit_pack_weights(scope.f32(w), n, k, weights.ptr));
    if (bias !== undefined) {
      biasBlock = core.alloc(n * 4);
      core.f32(biasBlock.ptr, n).set(bias);
    }
  } catch (err) {
    core.free(weights);
    throw err;
  }
  return { weights, bias: biasBlock, n, k };
}

export function createWasmMha(core: WasmCore, params: MhaParams, dims: MhaDims): MhaHandle {
  const wasm = core.exports;
  const { embedDim: E, numHeads: H, numKvHeads: Hkv, headDim: D } = dims;
  const kvWidth = Hkv * D;
  const linears: PackedLinear[] = [];
  const freeAll = () => {
    for (const l of linears) {
      core.free(l.weights);
      if (l.bias) core.free(l.bias);
    }
  };
  try {
    linears.push(packLinear(core, params.wq, E, E, params.bq));
    linears.push(packLinear(core, params.wk, kvWidth, E, params.bk));
    linears.push(packLinear(core, params.wv, kvWidth, E, params.bv));
    linears.push(packLinear(core, params.wo, E, E, params.bo));
  } catch (err) {
    freeAll(); // out of memory part-way: give back what was taken
    throw err;
  }
  const [pq, pk, pv, po] = linears;
  const apply = (l: PackedLinear, x: number, m: number, y: number) => wasm.attnkit_linear(x, m, l.k, l.weights.ptr, l.n, l.bias?.ptr ?? 0, y);

  return {
    forward(x, call: MhaCall, out, weights) {
      const { batch: B, seqLen: S, seqK: T, masks } = call;
      core.scoped((scope) => {
        const xPtr = scope.f32(x);
        const srcPtr = call.kv !== undefined ? scope.f32(call.kv) : xPtr;
        const q = scope.empty(B * S * E);
        const k = scope.empty(B * T * kvWidth);
        const v = scope.empty(B * T * kvWidth);
        apply(pq, xPtr, B * S, q);
        apply(pk, srcPtr, B * T, k);
        apply(pv, srcPtr, B * T, v);
        if (call.rope) {
          const { base, interleaved, offset } = call.rope;
          const positions = scope.i32(Int32Array.from({ length: Math.max(S, T) }, (_, i) => offset + i));
          wasm.attnkit_rope(q, B, S, H, D, positions, base, interleaved ? 1 : 0);
          wasm.attnkit_rope(k, B, T, Hkv, D, positions, base, interleaved ? 1 : 0);
        }
        const maskPtr = masks.mask !== undefined ? scope.f32(masks.mask) : 0;
        const paddingPtr = masks.keyPaddingMask !== undefined ? scope.u8(masks.keyPaddingMask) : 0;
        const a = scope.empty(B * S * E);
        const w = weights !== undefined ? scope.empty(weights.length) : 0;
        wasm.attnkit_attention(q, k, v, B, S, T, H, Hkv, D, 1 / Math.sqrt(D), maskPtr, masks.maskPerHead ? 1 : 0, paddingPtr, masks.causal ? 1 : 0, a, w);
        const o = scope.empty(B * S * E);
        apply(po, a, B * S, o);
        out.set(core.f32(o, out.length));
        if (weights !== undefined) weights.set(core.f32(w, weights.length));
      });
    },
    free: freeAll,
  };
}
