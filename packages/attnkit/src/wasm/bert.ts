/**
 * A BERT encoder on the wasm backend. Every weight lives in linear memory once: the word
 * table and the dense layers' weights in the storage dtype (f32, or f16 bits), the dense
 * weights packed into the GEMM's panels, everything else f32. A checkpoint's bytes arrive
 * through sinks piece by piece and are converted on the way in (BF16 and F16 → f32,
 * F32 → f16); only a dense weight waits whole in a staging block of its storage dtype
 * (≤ F·E elements) until it is packed.
 *
 * forward, on pointers inside the module (shapes B batch, S seqLen, E hidden, F
 * intermediate, H heads, D = E/H):
 *   h [B·S, E] ← LayerNorm(word[ids] + position[s] + tokenType[typeIds])
 *   per layer:  q, k, v ← h·Wᵀ + b                         (three GEMMs, [B·S, E] each)
 *               a ← attention(q, k, v, padding)              ([B, S, H, D] = [B·S, E])
 *               t ← a·Woᵀ + bo;  h ← LayerNorm(h + t)         (residual + LayerNorm, one pass)
 *               u ← GELU(h·Wupᵀ + bup)                       (GELU in the GEMM's epilogue, [B·S, F], over q, k, v, a)
 *               t ← u·Wdownᵀ + bdown;  h ← LayerNorm(h + t)
 */

import type { BertCall, BertHandle, CheckpointDtype, TensorSink } from '../backend.js';
import { EMBEDDING_WEIGHTS, LAYER_WEIGHTS, bertWeights, elements, slotOf, type BertDims, type BertWeight } from '../model/weights.js';
import type { Block, WasmCore } from './core.js';

/** attnkit_convert kinds. */
const F16_TO_F32 = 0;
const BF16_TO_F32 = 1;
const F32_TO_F16 = 2;
/** The GEMM's panel width (linear.rs NR). */
const NR = 8;

const layerSlot = (name: (typeof LAYER_WEIGHTS)[number]) => LAYER_WEIGHTS.indexOf(name);
const embeddingSlot = (name: (typeof EMBEDDING_WEIGHTS)[number]) => EMBEDDING_WEIGHTS.indexOf(name);

export function createWasmBert(core: WasmCore, dims: BertDims, dtype: 'f32' | 'f16'): WasmBertHandle {
  const wasm = core.exports;
  const weights = bertWeights(dims);
  const half = dtype === 'f16';
  /** Stored as f16 bits: the word table and dense weights when dtype is 'f16'. */
  const isHalf = (w: BertWeight) => half && (w.kind === 'table' || w.kind === 'linear');
  const storedBytes = (w: BertWeight) => {
    const n = w.kind === 'linear' ? wasm.attnkit_packed_len(w.shape[0], w.shape[1]) : elements(w.shape);
    return n * (isHalf(w) ? 2 : 4);
  };

  const blocks: Block[] = [];
  /** Staging blocks of dense weights still arriving (freed with the model if a load fails). */
  const staged = new Set<Block>();
  let live = true;
  const free = () => {
    for (const b of [...blocks, ...staged]) core.free(b);
    blocks.length = 0;
    staged.clear();
    live = false;
  };
  try {
    for (const w of weights) blocks.push(core.alloc(storedBytes(w)));
  } catch (err) {
    free();
    throw err;
  }
  const bytes = blocks.reduce((s, b) => s + b.bytes, 0);

  /**
   * Writes a tensor arriving as `from` into `target` (its storage dtype) at a running
   * element offset; a dense weight goes to a staging block first and is packed at the end.
   */
  function sink(slot: number, from: CheckpointDtype): TensorSink {
    const w = weights[slot];
    const toHalf = isHalf(w);
    const outSize = toHalf ? 2 : 4;
    const inSize = from === 'F32' ? 4 : 2;
    // A dense weight's staging block is taken at its first bytes (one at a time, not one per sink).
    let staging: Block | undefined;
    let written = 0; // elements
    return {
      write(chunk) {
        if (w.kind === 'linear' && staging === undefined) {
          staging = core.alloc(elements(w.shape) * outSize);
          staged.add(staging);
        }
        const target = staging ?? blocks[slot];
        const n = chunk.length / inSize;
        const dst = target.ptr + written * outSize;
        if ((from === 'F32' && !toHalf) || (from === 'F16' && toHalf)) {
          core.u8(dst, chunk.length).set(chunk);
        } else {
          core.scoped((scope) => {
            const src = scope.u8(chunk);
            if (from === 'F32') wasm.attnkit_convert(src, n, F32_TO_F16, dst);
            else if (!toHalf) wasm.attnkit_convert(src, n, from === 'F16' ? F16_TO_F32 : BF16_TO_F32, dst);
            else {
              // BF16 → f32 (exact) → f16 (rounded)
              const wide = scope.empty(n);
              wasm.attnkit_convert(src, n, BF16_TO_F32, wide);
              wasm.attnkit_convert(wide, n, F32_TO_F16, dst);
            }
          });
        }
        written += n;
      },
      end() {
        if (staging === undefined) return;
        const [n, k] = w.shape;
        if (toHalf) wasm.attnkit_pack_weights_f16(staging.ptr, n, k, blocks[slot].ptr);
        else wasm.attnkit_pack_weights(staging.ptr, n, k, blocks[slot].ptr);
        core.free(staging);
        staged.delete(staging);
        staging = undefined;
      },
    };
  }

  function forward(call: BertCall, out: Float32Array): void {
    if (!live) throw new Error('attnkit: the model was disposed');
    bertForward(core, { dims, half, ptrs: blocks.map((b) => b.ptr) }, call, out);
  }

  return { bytes, sink, forward, free, blocks, half };
}

/** A model's weights in one core: the pointer of every slot (as `bertWeights` orders them). */
export interface StoredBert {
  dims: BertDims;
  /** Word table and dense weights stored as f16. */
  half: boolean;
  ptrs: number[];
}

/** A wasm model handle, with its blocks (for threads to copy). */
export interface WasmBertHandle extends BertHandle {
  readonly blocks: readonly Block[];
  readonly half: boolean;
}

/**
 * Rows (tokens) per pass of the forward: a batch runs a few sequences at a time, so its
 * scratch (≈ 6·E floats a row plus attention's) stays ≈ 2.4 MB at MiniLM's width whatever
 * the batch; sequences are independent, so the result is the same bits. 256 rows keep the
 * GEMM's row blocks as full as a whole batch does (it streams the weights once per 4 rows).
 */
const ROWS_PER_PASS = 256;

/** out [B, S, E] ← last_hidden_state of `call` with the weights `model` on `core`. */
export function bertForward(core: WasmCore, model: StoredBert, call: BertCall, out: Float32Array): void {
  const { batch: B, seqLen: S } = call;
  const per = Math.max(1, Math.floor(ROWS_PER_PASS / Math.max(S, 1)));
  if (B <= per) {
    forwardPass(core, model, call, out);
    return;
  }
  const E = model.dims.hidden;
  const rows = (b0: number, b1: number) => [b0 * S, b1 * S] as const;
  for (let b0 = 0; b0 < B; b0 += per) {
    const b1 = Math.min(B, b0 + per);
    const [r0, r1] = rows(b0, b1);
    const slice = (a: ArrayLike<number>) => (ArrayBuffer.isView(a) ? (a as Int32Array).subarray(r0, r1) : Array.prototype.slice.call(a, r0, r1));
    forwardPass(
      core,
      model,
      { ids: slice(call.ids), typeIds: call.typeIds && slice(call.typeIds), padding: call.padding?.subarray(r0, r1), batch: b1 - b0, seqLen: S },
      out.subarray(r0 * E, r1 * E),
    );
  }
}

/** One pass of `bertForward` over the whole of `call`. */
function forwardPass(core: WasmCore, model: StoredBert, call: BertCall, out: Float32Array): void {
  const wasm = core.exports;
  const { dims, half } = model;
  const weights = bertWeights(dims);
  const ptr = (layer: number, i: number) => model.ptrs[slotOf(layer, i)];
  const { hidden: E, intermediate: F, heads: H, eps } = dims;
  const D = E / H;
  const act = dims.tanhGelu ? 2 : 1;
  const { batch: B, seqLen: S } = call;
  const M = B * S;
  core.scoped((scope) => {
    const ids = scope.ids(call.ids);
    const typeIds = scope.ids(call.typeIds ?? new Uint32Array(M));
    const padding = call.padding !== undefined ? scope.u8(call.padding) : 0;
    const h = scope.empty(M * E);
    const t = scope.empty(M * E);
    // q, k, v and the attention output a are dead once a is projected: the intermediate
    // activation u [M, F] takes their place (F = 4E in BERT: the same 4·M·E floats).
    const work = scope.empty(Math.max(4 * M * E, M * F));
    const [q, k, v, a] = [0, 1, 2, 3].map((i) => work + i * M * E * 4);
    const u = work;
    const panel = half ? scope.empty(Math.max(E, F) * NR) : 0;
    /** y [M, n] ← act(x · Wᵀ + b) for the dense weight at (layer, i); its bias is slot i + 1. */
    const dense = (x: number, layer: number, i: number, y: number, activation = 0) => {
      const [n, kk] = weights[slotOf(layer, i)].shape;
      if (half) wasm.attnkit_linear_f16(x, M, kk, ptr(layer, i), n, ptr(layer, i + 1), activation, y, panel);
      else wasm.attnkit_linear_act(x, M, kk, ptr(layer, i), n, ptr(layer, i + 1), activation, y);
    };
    const e = embeddingSlot;
    wasm.attnkit_bert_embeddings(ptr(-1, e('word')), half ? 1 : 0, dims.vocab, E, ids, ptr(-1, e('position')), ptr(-1, e('tokenType')), dims.types, typeIds, B, S, h);
    wasm.attnkit_layer_norm(h, 0, M, E, ptr(-1, e('norm')), ptr(-1, e('normBias')), eps);
    const s = layerSlot;
    for (let l = 0; l < dims.layers; l++) {
      dense(h, l, s('q'), q);
      dense(h, l, s('k'), k);
      dense(h, l, s('v'), v);
      wasm.attnkit_attention(q, k, v, B, S, S, H, H, D, 1 / Math.sqrt(D), 0, 0, padding, 0, a, 0);
      dense(a, l, s('o'), t);
      wasm.attnkit_layer_norm(h, t, M, E, ptr(l, s('norm1')), ptr(l, s('norm1Bias')), eps);
      dense(h, l, s('up'), u, act);
      dense(u, l, s('down'), t);
      wasm.attnkit_layer_norm(h, t, M, E, ptr(l, s('norm2')), ptr(l, s('norm2Bias')), eps);
    }
    out.set(core.f32(h, M * E));
  });
}

/** Copies a model's stored blocks into `core` (another thread's instance): `bytes[i]` holds slot i. */
export function adoptBert(core: WasmCore, dims: BertDims, half: boolean, bytes: Uint8Array[]): { model: StoredBert; blocks: Block[] } {
  const blocks: Block[] = [];
  try {
    for (const b of bytes) {
      const block = core.alloc(b.length);
      blocks.push(block);
      core.u8(block.ptr, b.length).set(b);
    }
  } catch (err) {
    for (const block of blocks) core.free(block);
    throw err;
  }
  return { model: { dims, half, ptrs: blocks.map((b) => b.ptr) }, blocks };
}
