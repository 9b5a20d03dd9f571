/**
 * The jobs a threaded engine hands to its threads: plain messages (numbers, regions of one
 * SharedArrayBuffer) that the main thread and every worker turn into the same phases
 * (work.ts), each taking its own share by its index. No Node built-in here.
 */

import type { AttentionShape, MhaDims } from '../backend.js';
import { attentionUnits, kvHeadsPerCall } from '../wasm/attention.js';
import type { WasmCore } from '../wasm/core.js';
import { mhaPhases, packMha, type MhaForwardCall, type PackedMha } from '../wasm/mha.js';
import { unitRange } from '../wasm/share.js';
import { f32, u8, type Region } from './work.js';

interface JobBase {
  /** Which job this is (the barrier count; see work.ts `arrive`). */
  jobNo: number;
  /** N: threads taking part (the main thread is index 0). */
  threads: number;
  buffer: ArrayBufferLike;
}

/** attention(q, k, v) split by (batch, kv head). */
export interface AttentionJob extends JobBase {
  kind: 'attention';
  shape: AttentionShape;
  scale: number;
  maskPerHead: boolean;
  causal: boolean;
  q: Region;
  k: Region;
  v: Region;
  mask?: Region;
  padding?: Region;
  out: Region;
  weights?: Region;
}

/** Every thread packs a copy of a layer's weights into its own core, under `id`. */
export interface MhaPackJob extends JobBase {
  kind: 'mha-pack';
  id: number;
  dims: MhaDims;
  params: { wq: Region; wk: Region; wv: Region; wo: Region; bq?: Region; bk?: Region; bv?: Region; bo?: Region };
}

/** One forward of layer `id`: projections by rows, attention by (batch, kv head). */
export interface MhaJob extends JobBase {
  kind: 'mha';
  id: number;
  call: MhaForwardCall;
  x: Region;
  src?: Region;
  mask?: Region;
  padding?: Region;
  q: Region;
  k: Region;
  v: Region;
  a: Region;
  out: Region;
  weights?: Region;
}

/** A layer was disposed: every worker frees its copy (no reply). */
export interface FreeJob {
  kind: 'free';
  id: number;
}

export type Job = AttentionJob | MhaPackJob | MhaJob;

/** Thread `index`'s phases of `job` on `core`; `layers` holds this thread's packed layers. */
export function jobPhases(core: WasmCore, job: Job, index: number, layers: Map<number, PackedMha>): (() => void)[] {
  const buf = job.buffer;
  const view = (r: Region | undefined) => (r === undefined ? undefined : f32(buf, r));
  if (job.kind === 'attention') {
    const [u0, u1] = unitRange(job.shape.batch * job.shape.numKvHeads, index, job.threads);
    const views = { q: f32(buf, job.q), k: f32(buf, job.k), v: f32(buf, job.v), mask: view(job.mask), padding: job.padding && u8(buf, job.padding), out: f32(buf, job.out), weights: view(job.weights) };
    return [() => attentionUnits(core, views, job.shape, job.scale, job, u0, u1, kvHeadsPerCall(views, job.shape))];
  }
  if (job.kind === 'mha-pack') {
    const p = job.params;
    const params = { wq: f32(buf, p.wq), wk: f32(buf, p.wk), wv: f32(buf, p.wv), wo: f32(buf, p.wo), bq: view(p.bq), bk: view(p.bk), bv: view(p.bv), bo: view(p.bo) };
    return [() => void layers.set(job.id, packMha(core, params, job.dims))];
  }
  const layer = layers.get(job.id);
  if (layer === undefined) return [() => { throw new Error(`attnkit: thread ${index} has no layer ${job.id}`); }];
  const views = {
    x: f32(buf, job.x),
    src: view(job.src),
    mask: view(job.mask),
    padding: job.padding && u8(buf, job.padding),
    q: f32(buf, job.q),
    k: f32(buf, job.k),
    v: f32(buf, job.v),
    a: f32(buf, job.a),
    out: f32(buf, job.out),
    weights: view(job.weights),
  };
  return mhaPhases(core, layer, views, job.call, index, job.threads);
}
