/**
 * How the threads of a threaded engine meet: each runs its share of a job (the phases of
 * wasm/attention.ts `attentionUnits` or wasm/mha.ts `mhaPhases`, chosen by its index,
 * wasm/share.ts) on its own instance of the core — the module is not built with atomics,
 * so threads share no linear memory. Tensors are exchanged through one SharedArrayBuffer
 * per call whose regions are named in the job; every thread copies its share in, runs the
 * same kernels as one thread (same per-head order, so results are bit-identical), writes
 * its share of the result back, and waits for the others at a barrier after each phase.
 *
 * Nothing here imports a Node built-in; pool.ts and worker.ts do.
 */

/** A region of the shared buffer: byte offset and element count (f32, or bytes for u8). */
export interface Region {
  at: number;
  length: number;
}

/** Barrier slots per job: every job passes all of them, in order (see runPhases). */
export const PHASES = 3;

/** Lays regions out one after another in a buffer, 16-byte aligned. */
export class Layout {
  bytes = 0;

  /** A region of `length` elements of `size` bytes. */
  add(length: number, size = 4): Region {
    const region = { at: this.bytes, length };
    this.bytes += Math.ceil((length * size) / 16) * 16;
    return region;
  }
}

export function f32(buffer: ArrayBufferLike, r: Region): Float32Array {
  return new Float32Array(buffer, r.at, r.length);
}

export function u8(buffer: ArrayBufferLike, r: Region): Uint8Array {
  return new Uint8Array(buffer, r.at, r.length);
}

/**
 * The N threads' meeting points, in an Int32Array shared by all: slot p counts arrivals at
 * barrier p over every job ever run, so job j (0, 1, …) waits at slot p until it reaches
 * (j + 1)·N — nothing is reset between jobs, so no thread can miss a wake-up. Slots
 * PHASES + i are thread i's error flags (set to j + 1 when its share of job j failed).
 */
export function arrive(control: Int32Array, slot: number, target: number): void {
  let seen = Atomics.add(control, slot, 1) + 1;
  if (seen >= target) {
    Atomics.notify(control, slot);
    return;
  }
  while (seen < target) {
    Atomics.wait(control, slot, seen);
    seen = Atomics.load(control, slot);
  }
}

/**
 * Runs this thread's phases of job `jobNo`, with a barrier after each (all PHASES of them,
 * so every thread passes every slot once per job). A failing phase is recorded and the
 * later ones skipped, but the barriers are still passed, so no other thread waits forever.
 */
export function runPhases(control: Int32Array, jobNo: number, threads: number, index: number, phases: (() => void)[], report?: (err: unknown) => void): unknown {
  let error: unknown;
  for (let p = 0; p < PHASES; p++) {
    if (error === undefined && phases[p] !== undefined) {
      try {
        phases[p]();
      } catch (err) {
        error = err ?? new Error('unknown error');
        report?.(error); // before the flag: whoever sees the flag finds the report
        Atomics.store(control, PHASES + index, jobNo + 1);
      }
    }
    arrive(control, p, (jobNo + 1) * threads);
  }
  return error;
}
