/**
 * `createEngine({ backend: 'wasm', threads: N })` in Node: the wasm backend's kernels with
 * attention and the layer forward split across N threads (the main thread and N − 1
 * `worker_threads`, each with its own instance of the core). Loaded only by a dynamic
 * import from the Node entry (index.ts), so no other entry names a Node built-in.
 *
 * - attention: by (batch, kv head) — needs B·Hkv ≥ 2 units to split;
 * - layers (multiHeadAttention, selfAttention, the encoder's layer): every thread keeps a
 *   packed copy of the weights (N × the weights' memory); a forward splits the
 *   projections by rows and the attention by (batch, kv head);
 * - models (loadModel): every thread keeps a copy of the weights (N × the model's memory),
 *   copied once the checkpoint has been read; a forward of B ≥ 2 sequences splits them
 *   between the threads;
 * - everything else, and any call under MIN_MACS multiply-adds, runs on the main thread
 *   (a fan-out costs about 0.1 ms).
 * Results are bit-identical to threads: 1: each head and each row is computed by the same
 * kernel in the same order, whichever thread computes it.
 */

import type { BertHandle, Kernels, MhaHandle } from '../backend.js';
import type { WasmCore } from '../wasm/core.js';
import { createWasmBert } from '../wasm/bert.js';
import { freeModel, jobPhases, registerModel, type AttentionJob, type BertJob, type BertPackJob, type MhaJob, type MhaPackJob } from './jobs.js';
import { Pool } from './pool.js';
import { forwardCall, freeMha, type PackedMha } from '../wasm/mha.js';
import { f32, Layout, u8 } from './work.js';

/** Calls with fewer multiply-adds than this stay on the main thread. */
const MIN_MACS = 2 ** 22;

/** Terminates a pool whose engine was garbage-collected. */
const collected = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<Pool>((pool) => pool.terminate()) : undefined;

/** Whether this is Node itself (Deno and Bun also report `process.versions.node`). */
function isNode(): boolean {
  const g = globalThis as { process?: { versions?: Record<string, string | undefined> }; Deno?: unknown };
  const versions = g.process?.versions;
  return versions?.node !== undefined && versions.bun === undefined && g.Deno === undefined && typeof SharedArrayBuffer === 'function' && typeof Atomics === 'object' && typeof Atomics.wait === 'function';
}

/**
 * `kernels` (the wasm backend on `core`) split across `threads` threads, and the number
 * actually used: 1 (and `kernels` unchanged) outside Node.
 */
export async function startThreads(module: WebAssembly.Module, core: WasmCore, kernels: Kernels, threads: number): Promise<{ kernels: Kernels; threads: number }> {
  if (threads <= 1 || !isNode()) return { kernels, threads: 1 };
  const pool = await Pool.start(module, threads);
  const threaded = threadedKernels(core, kernels, pool);
  collected?.register(threaded, pool);
  return { kernels: threaded, threads };
}

function threadedKernels(core: WasmCore, base: Kernels, pool: Pool): Kernels {
  /** The main thread's packed layers, by id (each worker keeps its own copy under the same id). */
  const layers = new Map<number, PackedMha>();
  let nextLayer = 1;
  const local = <J extends Parameters<typeof jobPhases>[1]>(job: J) => jobPhases(core, job, 0, layers);
  /**
   * A layer's or a model's handle keeps these kernels reachable: the worker threads are
   * stopped when the kernels are garbage-collected, and a model may outlive every other
   * reference to its engine.
   */
  const owned = <H extends object>(handle: H): H => Object.defineProperty(handle, 'kernels', { value: kernels });

  const kernels: Kernels = {
    backend: base.backend,
    get memoryBytes() {
      return base.memoryBytes;
    },
    embeddingLookup: (table, dim, ids, out) => base.embeddingLookup(table, dim, ids, out),
    sinusoidalEncoding: (seqLen, dim, b, offset, out) => base.sinusoidalEncoding(seqLen, dim, b, offset, out),
    rope: (x, shape, positions, b, interleaved, out) => base.rope(x, shape, positions, b, interleaved, out),
    createEmbedding: (table, dim) => base.createEmbedding(table, dim),
    layerNorm: (x, rows, dim, weight, bias, eps, out) => base.layerNorm(x, rows, dim, weight, bias, eps, out),
    gelu: (x, tanh, out) => base.gelu(x, tanh, out),
    linear: (x, m, k, weight, n, bias, out) => base.linear(x, m, k, weight, n, bias, out),
    createBert(dims, dtype): BertHandle {
      const id = nextLayer++;
      const handle = createWasmBert(core, dims, dtype);
      let copied = false;
      const free = () => {
        handle.free();
        freeModel(core, id);
        if (copied) pool.post({ kind: 'free', id });
      };
      return owned({
        bytes: handle.bytes,
        sink: (slot, from) => handle.sink(slot, from),
        ready() {
          const model = { dims, half: handle.half, ptrs: handle.blocks.map((b) => b.ptr) };
          registerModel(id, model);
          const layout = new Layout();
          const blocks = handle.blocks.map((b) => layout.add(b.bytes, 1));
          const buffer = new SharedArrayBuffer(layout.bytes); // not kept: weights are copied once
          handle.blocks.forEach((b, i) => u8(buffer, blocks[i]).set(core.u8(b.ptr, b.bytes)));
          copied = true;
          try {
            pool.run<BertPackJob>({ kind: 'bert-pack', buffer, id, dims, half: handle.half, blocks }, local);
          } catch (err) {
            free(); // a thread ran out of memory: give back every copy already made
            throw err;
          }
        },
        forward(call, out) {
          const { batch: B, seqLen: S } = call;
          const { hidden: E, intermediate: F } = dims;
          const macs = B * S * dims.layers * (4 * E * E + 2 * E * F + 2 * S * E);
          if (B < 2 || macs < MIN_MACS) {
            handle.forward(call, out);
            return;
          }
          const layout = new Layout();
          const r = {
            ids: layout.add(B * S),
            typeIds: call.typeIds && layout.add(B * S),
            padding: call.padding && layout.add(B * S, 1),
            out: layout.add(out.length),
          };
          const buffer = pool.buffer(layout.bytes);
          new Uint32Array(buffer, r.ids.at, B * S).set(call.ids);
          if (r.typeIds) new Uint32Array(buffer, r.typeIds.at, B * S).set(call.typeIds!);
          if (r.padding) u8(buffer, r.padding).set(call.padding!);
          pool.run<BertJob>({ kind: 'bert', buffer, id, batch: B, seqLen: S, ...r }, local);
          out.set(f32(buffer, r.out));
        },
        free,
      });
    },
    createVectors: (dim, dtype, capacity) => base.createVectors(dim, dtype, capacity),

    attention(q, k, v, shape, scale, masks, out, weights) {
      const { batch: B, seqQ: S, seqK: T, numHeads: H, numKvHeads: Hkv, headDim: D } = shape;
      if (2 * B * H * S * T * D < MIN_MACS || B * Hkv < 2) {
        base.attention(q, k, v, shape, scale, masks, out, weights);
        return;
      }
      const layout = new Layout();
      const r = {
        q: layout.add(q.length),
        k: layout.add(k.length),
        v: layout.add(v.length),
        mask: masks.mask && layout.add(masks.mask.length),
        padding: masks.keyPaddingMask && layout.add(masks.keyPaddingMask.length, 1),
        out: layout.add(out.length),
        weights: weights && layout.add(weights.length),
      };
      const buffer = pool.buffer(layout.bytes);
      f32(buffer, r.q).set(q);
      f32(buffer, r.k).set(k);
      f32(buffer, r.v).set(v);
      if (r.mask) f32(buffer, r.mask).set(masks.mask!);
      if (r.padding) u8(buffer, r.padding).set(masks.keyPaddingMask!);
      pool.run<AttentionJob>({ kind: 'attention', buffer, shape, scale, maskPerHead: masks.maskPerHead, causal: masks.causal, ...r }, local);
      out.set(f32(buffer, r.out));
      if (weights && r.weights) weights.set(f32(buffer, r.weights));
    },

    createMha(params, dims): MhaHandle {
      const id = nextLayer++;
      const layout = new Layout();
      const region = (w: Float32Array | undefined) => w && layout.add(w.length);
      const p = { wq: region(params.wq)!, wk: region(params.wk)!, wv: region(params.wv)!, wo: region(params.wo)!, bq: region(params.bq), bk: region(params.bk), bv: region(params.bv), bo: region(params.bo) };
      const buffer = new SharedArrayBuffer(layout.bytes); // not kept: weights are copied once
      for (const name of ['wq', 'wk', 'wv', 'wo', 'bq', 'bk', 'bv', 'bo'] as const) {
        if (p[name]) f32(buffer, p[name]!).set(params[name]!);
      }
      const free = () => {
        const layer = layers.get(id);
        if (layer !== undefined) freeMha(core, layer);
        layers.delete(id);
        pool.post({ kind: 'free', id });
      };
      try {
        pool.run<MhaPackJob>({ kind: 'mha-pack', buffer, id, dims, params: p }, local);
      } catch (err) {
        free(); // a thread ran out of memory: give back every copy already packed
        throw err;
      }
      const { embedDim: E, numHeads: H, numKvHeads: Hkv, headDim: D } = dims;
      return owned({
        forward(x, call, out, weights) {
          const { batch: B, seqLen: S, seqK: T, masks } = call;
          const macs = B * S * E * E * 2 + B * T * E * Hkv * D * 2 + 2 * B * H * S * T * D;
          const split = macs >= MIN_MACS;
          const layout = new Layout();
          const r = {
            x: layout.add(x.length),
            src: call.kv && layout.add(call.kv.length),
            mask: masks.mask && layout.add(masks.mask.length),
            padding: masks.keyPaddingMask && layout.add(masks.keyPaddingMask.length, 1),
            q: layout.add(B * S * E),
            k: layout.add(B * T * Hkv * D),
            v: layout.add(B * T * Hkv * D),
            a: layout.add(B * S * E),
            out: layout.add(out.length),
            weights: weights && layout.add(weights.length),
          };
          // Small calls run every phase on the main thread, in a buffer of its own.
          const buffer = split ? pool.buffer(layout.bytes) : new ArrayBuffer(layout.bytes);
          f32(buffer, r.x).set(x);
          if (r.src) f32(buffer, r.src).set(call.kv!);
          if (r.mask) f32(buffer, r.mask).set(masks.mask!);
          if (r.padding) u8(buffer, r.padding).set(masks.keyPaddingMask!);
          const job = { kind: 'mha' as const, buffer, id, call: forwardCall(call), ...r };
          if (split) pool.run<MhaJob>(job, local);
          else for (const phase of local({ ...job, jobNo: 0, threads: 1 })) phase();
          out.set(f32(buffer, r.out));
          if (weights && r.weights) weights.set(f32(buffer, r.weights));
        },
        free,
      });
    },
  };
  return kernels;
}
