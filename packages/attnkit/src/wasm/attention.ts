/**
 * Attention on the wasm backend: q, k, v live in JS memory, the kernel in linear memory.
 *
 * q, out [B, S, H, D]; k, v [B, T, Hkv, D]; weights [B, H, S, T]; mask [S, T] or
 * [B, H, S, T]; key padding [B, T].
 *
 * Small calls copy every tensor in whole and run the core once over all heads. Large ones
 * go one head at a time (`attentionByHead`): per (b, kv head), K_h and V_h [T, D] are
 * gathered into linear memory; per query head of its group, Q_h [S, D] (and the head's
 * mask [S, T]) are gathered, the core runs as a one-head call, and O_h [S, D] (and its
 * weights [S, T]) are written back. Linear memory then holds 2·(S + T)·D floats plus the
 * kernel's scratch (linear in T) instead of a second copy of every tensor: at S = T = 16384,
 * 12 heads × 64, about 26 MiB instead of 220 MiB. The gathers cost one extra pass over
 * q, k, v and out, which is why small calls do not take this path.
 */

import type { AttentionMasks, AttentionShape } from '../backend.js';
import { copyRows } from '../rows.js';
import type { WasmCore } from './core.js';

/** Calls whose tensors (q, k, v, out, weights, mask) exceed this many bytes go by head. */
export const BY_HEAD_BYTES = 64 * 2 ** 20;

export function attention(core: WasmCore, q: Float32Array, k: Float32Array, v: Float32Array, shape: AttentionShape, scale: number, masks: AttentionMasks, out: Float32Array, weights?: Float32Array): void {
  const floats = q.length + k.length + v.length + out.length + (weights?.length ?? 0) + (masks.mask?.length ?? 0);
  if (4 * floats > BY_HEAD_BYTES && shape.numHeads > 1) attentionByHead(core, q, k, v, shape, scale, masks, out, weights);
  else attentionWhole(core, q, k, v, shape, scale, masks, out, weights);
}

/** Every tensor copied in, one call of the core over all (b, h), results copied out. */
export function attentionWhole(core: WasmCore, q: Float32Array, k: Float32Array, v: Float32Array, shape: AttentionShape, scale: number, masks: AttentionMasks, out: Float32Array, weights?: Float32Array): void {
  const { batch, seqQ, seqK, numHeads, numKvHeads, headDim } = shape;
  core.scoped((scope) => {
    const qPtr = scope.f32(q);
    const kPtr = scope.f32(k);
    const vPtr = scope.f32(v);
    const maskPtr = masks.mask !== undefined ? scope.f32(masks.mask) : 0;
    const paddingPtr = masks.keyPaddingMask !== undefined ? scope.u8(masks.keyPaddingMask) : 0;
    const outPtr = scope.empty(out.length);
    const weightsPtr = weights !== undefined ? scope.empty(weights.length) : 0;
    core.exports.attnkit_attention(qPtr, kPtr, vPtr, batch, seqQ, seqK, numHeads, numKvHeads, headDim, scale, maskPtr, masks.maskPerHead ? 1 : 0, paddingPtr, masks.causal ? 1 : 0, outPtr, weightsPtr);
    out.set(core.f32(outPtr, out.length));
    if (weights !== undefined) weights.set(core.f32(weightsPtr, weights.length));
  });
}

/** One (b, h) head at a time through linear memory (see the file's comment). */
export function attentionByHead(core: WasmCore, q: Float32Array, k: Float32Array, v: Float32Array, shape: AttentionShape, scale: number, masks: AttentionMasks, out: Float32Array, weights?: Float32Array): void {
  const { batch, seqQ: S, seqK: T, numHeads: H, numKvHeads: Hkv, headDim: D } = shape;
  const group = H / Hkv;
  core.scoped((scope) => {
    const qh = scope.empty(S * D);
    const kh = scope.empty(T * D);
    const vh = scope.empty(T * D);
    const oh = scope.empty(S * D);
    const wh = weights !== undefined ? scope.empty(S * T) : 0;
    // A shared [S, T] mask is copied once; a per-head one a head at a time.
    const { mask, keyPaddingMask } = masks;
    const sharedMask = mask !== undefined && !masks.maskPerHead ? scope.f32(mask) : 0;
    const headMask = mask !== undefined && masks.maskPerHead ? scope.empty(S * T) : 0;
    const padding = keyPaddingMask !== undefined ? scope.u8(new Uint8Array(T)) : 0;
    for (let b = 0; b < batch; b++) {
      if (keyPaddingMask !== undefined) core.u8(padding, T).set(keyPaddingMask.subarray(b * T, (b + 1) * T));
      for (let kvh = 0; kvh < Hkv; kvh++) {
        copyRows(k, (b * T * Hkv + kvh) * D, Hkv * D, core.f32(kh, T * D), 0, D, T, D);
        copyRows(v, (b * T * Hkv + kvh) * D, Hkv * D, core.f32(vh, T * D), 0, D, T, D);
        for (let h = kvh * group; h < (kvh + 1) * group; h++) {
          copyRows(q, (b * S * H + h) * D, H * D, core.f32(qh, S * D), 0, D, S, D);
          if (mask !== undefined && masks.maskPerHead) core.f32(headMask, S * T).set(mask.subarray((b * H + h) * S * T, (b * H + h + 1) * S * T));
          core.exports.attnkit_attention(qh, kh, vh, 1, S, T, 1, 1, D, scale, sharedMask || headMask, 0, padding, masks.causal ? 1 : 0, oh, wh);
          // The core allocates its scratch: memory may have grown, so views are taken now.
          copyRows(core.f32(oh, S * D), 0, D, out, (b * S * H + h) * D, H * D, S, D);
          if (weights !== undefined) weights.set(core.f32(wh, S * T), (b * H + h) * S * T);
        }
      }
    }
  });
}
