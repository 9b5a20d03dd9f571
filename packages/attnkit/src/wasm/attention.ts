/**
 * Attention on the wasm backend: q, k, v live in JS memory, the kernel in linear memory.
 *
 * q, out [B, S, H, D]; k, v [B, T, Hkv, D]; weights [B, H, S, T]; mask [S, T] or
 * [B, H, S, T]; key padding [B, T].
 *
 * The work is split into units, one per (batch b, kv head g): a unit's query heads
 * [g·G, (g+1)·G) (G = H / Hkv) read only its K_g and V_g, so units are independent and
 * the kernel computes each head the same way whichever units share a call. One function,
 * `attentionUnits`, runs any range of units: the whole call on one thread, or a thread's
 * share of it (threads/jobs.ts). Per call of the core, the units of one batch — up to
 * `kvHeadsPerCall` consecutive kv heads — are gathered from the BSHD tensors into linear
 * memory: Q [S, hs·D], K and V [T, gs·D] (hs = gs·G), the head rows' masks, and the result
 * is scattered back.
 *
 * Small calls take every kv head of a batch at once. Calls over BY_HEAD_BYTES of tensors
 * take one kv head at a time, so that linear memory holds 2·(S·G + T)·D floats plus the
 * kernel's scratch (linear in T) instead of a second copy of every tensor: at
 * S = T = 16384, 12 heads × 64, about 26 MiB instead of 220 MiB.
 */

import type { AttentionMasks, AttentionShape } from '../backend.js';
import { copyRows } from '../rows.js';
import type { WasmCore } from './core.js';

/** Calls whose tensors (q, k, v, out, weights, mask) exceed this many bytes go one kv head at a time. */
export const BY_HEAD_BYTES = 64 * 2 ** 20;

/** The tensors of one attention call, as views of whatever buffer holds them. */
export interface AttentionViews {
  q: Float32Array;
  k: Float32Array;
  v: Float32Array;
  mask?: Float32Array;
  padding?: Uint8Array;
  out: Float32Array;
  weights?: Float32Array;
}

/** How a mask applies: `maskPerHead` ([B, H, S, T] rather than [S, T]) and `causal`. */
export type MaskKind = Pick<AttentionMasks, 'maskPerHead' | 'causal'>;

/** kv heads per call of the core for a call of this size: all of them, or one when it is large. */
export function kvHeadsPerCall(t: AttentionViews, shape: AttentionShape): number {
  const floats = t.q.length + t.k.length + t.v.length + t.out.length + (t.weights?.length ?? 0) + (t.mask?.length ?? 0);
  return 4 * floats > BY_HEAD_BYTES ? 1 : shape.numKvHeads;
}

/** out (and weights) ← attention(q, k, v) over every unit. */
export function attention(core: WasmCore, q: Float32Array, k: Float32Array, v: Float32Array, shape: AttentionShape, scale: number, masks: AttentionMasks, out: Float32Array, weights?: Float32Array): void {
  const t: AttentionViews = { q, k, v, mask: masks.mask, padding: masks.keyPaddingMask, out, weights };
  attentionUnits(core, t, shape, scale, masks, 0, shape.batch * shape.numKvHeads, kvHeadsPerCall(t, shape));
}

/**
 * out (and weights) for units [u0, u1) of attention (unit u = (b, g) = (⌊u / Hkv⌋, u mod
 * Hkv)), at most `perCall` kv heads in each call of the core.
 */
export function attentionUnits(core: WasmCore, t: AttentionViews, shape: AttentionShape, scale: number, kind: MaskKind, u0: number, u1: number, perCall: number): void {
  const { seqQ: S, seqK: T, numHeads: H, numKvHeads: Hkv, headDim: D } = shape;
  const G = H / Hkv;
  core.scoped((outer) => {
    // A shared [S, T] mask is copied once for every unit.
    const sharedMask = t.mask !== undefined && !kind.maskPerHead ? outer.f32(t.mask) : 0;
    for (let u = u0; u < u1; ) {
      const b = Math.floor(u / Hkv);
      const g0 = u - b * Hkv;
      const g1 = Math.min(Hkv, g0 + perCall, g0 + (u1 - u));
      u += g1 - g0;
      const gs = g1 - g0;
      const h0 = g0 * G;
      const hs = gs * G;
      core.scoped((scope) => {
        const q = scope.empty(S * hs * D);
        const k = scope.empty(T * gs * D);
        const v = scope.empty(T * gs * D);
        const headMask = t.mask !== undefined && kind.maskPerHead ? scope.f32(t.mask.subarray((b * H + h0) * S * T, (b * H + h0 + hs) * S * T)) : 0;
        const padding = t.padding === undefined ? 0 : scope.u8(t.padding.subarray(b * T, (b + 1) * T));
        const out = scope.empty(S * hs * D);
        const weights = t.weights === undefined ? 0 : scope.empty(hs * S * T);
        // Views only after the last allocation: growing memory detaches older ones.
        copyRows(t.q, (b * S * H + h0) * D, H * D, core.f32(q, S * hs * D), 0, hs * D, S, hs * D);
        copyRows(t.k, (b * T * Hkv + g0) * D, Hkv * D, core.f32(k, T * gs * D), 0, gs * D, T, gs * D);
        copyRows(t.v, (b * T * Hkv + g0) * D, Hkv * D, core.f32(v, T * gs * D), 0, gs * D, T, gs * D);
        core.exports.attnkit_attention(q, k, v, 1, S, T, hs, gs, D, scale, sharedMask || headMask, kind.maskPerHead ? 1 : 0, padding, kind.causal ? 1 : 0, out, weights);
        // The core allocates its scratch: memory may have grown, so views are taken now.
        copyRows(core.f32(out, S * hs * D), 0, hs * D, t.out, (b * S * H + h0) * D, H * D, S, hs * D);
        if (t.weights !== undefined) t.weights.set(core.f32(weights, hs * S * T), (b * H + h0) * S * T);
      });
    }
  });
}
