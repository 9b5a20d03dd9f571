/**
 * A worker thread of a threaded engine (Node `worker_threads`): its own instance of the
 * core, the layers packed into it, and a loop that runs its share of each job (jobs.ts).
 * It reports a failure on its error port before raising its flag (work.ts `runPhases`).
 */

import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { WasmCore, type CoreExports } from '../wasm/core.js';
import { jobPhases, type FreeJob, type Job } from './jobs.js';
import { freeMha, type PackedMha } from '../wasm/mha.js';
import { runPhases } from './work.js';

interface WorkerData {
  module: WebAssembly.Module;
  index: number;
  control: Int32Array;
  errors: MessagePort;
}

const { module, index, control, errors } = workerData as WorkerData;
const core = new WasmCore(new WebAssembly.Instance(module, {}).exports as unknown as CoreExports);
const layers = new Map<number, PackedMha>();

parentPort!.on('message', (job: Job | FreeJob) => {
  if (job.kind === 'free') {
    const layer = layers.get(job.id);
    if (layer !== undefined) freeMha(core, layer);
    layers.delete(job.id);
    return;
  }
  let phases: (() => void)[];
  try {
    phases = jobPhases(core, job, index, layers);
  } catch (err) {
    phases = [() => { throw err; }];
  }
  runPhases(control, job.jobNo, job.threads, index, phases, (err) => errors.postMessage(err instanceof Error ? err.message : String(err)));
});
parentPort!.postMessage('ready');
