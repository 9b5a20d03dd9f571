/**
 * The worker threads of a threaded engine (Node only: `worker_threads`, SharedArrayBuffer
 * and `Atomics.wait` on the main thread). A job is posted to every worker while the main
 * thread computes its own share (index 0); everyone meets at the barriers of work.ts, so
 * `run` returns — synchronously — once every share is written. Workers are unref'd: an
 * idle pool never keeps the process alive.
 */

import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { workerExecArgv } from '../worker-argv.js';
import type { Job } from './jobs.js';
import { PHASES, runPhases } from './work.js';

/** A call's buffer is kept for the next call up to this size (bigger ones are dropped). */
const KEEP_BYTES = 64 * 2 ** 20;

/** Job fields the pool fills in. */
type Posted = 'jobNo' | 'threads';

export class Pool {
  private jobs = 0;
  private kept: SharedArrayBuffer | undefined;
  /** Set once a worker has died: the barriers are then out of step, so every later job throws it. */
  private dead: Error | undefined;

  private constructor(
    private readonly workers: Worker[],
    private readonly errors: MessagePort[],
    private readonly control: Int32Array,
  ) {}

  /** N: the worker threads and the main thread. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /** Starts `threads − 1` workers, each with its own instance of `module`. */
  static async start(module: WebAssembly.Module, threads: number): Promise<Pool> {
    const control = new Int32Array(new SharedArrayBuffer(4 * (PHASES + threads)));
    const workers: Worker[] = [];
    const errors: MessagePort[] = [];
    try {
      for (let index = 1; index < threads; index++) {
        const { port1, port2 } = new MessageChannel();
        const execArgv = workerExecArgv();
        const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: { module, index, control, errors: port2 }, transferList: [port2], execArgv });
        workers.push(worker);
        errors.push(port1);
        await new Promise<void>((resolve, reject) => {
          worker.once('message', () => resolve());
          worker.once('error', reject);
          worker.once('exit', (code) => reject(new Error(`attnkit: worker thread ${index} exited with code ${code} while starting`)));
        });
        worker.removeAllListeners();
        worker.unref();
        port1.unref();
      }
    } catch (err) {
      for (const w of workers) void w.terminate();
      throw err;
    }
    return new Pool(workers, errors, control);
  }

  /** A shared buffer of at least `bytes` bytes (the last one, when big enough). */
  buffer(bytes: number): SharedArrayBuffer {
    if (this.kept !== undefined && this.kept.byteLength >= bytes) return this.kept;
    const buffer = new SharedArrayBuffer(Math.max(bytes, 16));
    this.kept = bytes <= KEEP_BYTES ? buffer : undefined;
    return buffer;
  }

  /**
   * Runs `job` on every thread: posts it to the workers, runs the main thread's phases
   * (from `phases`), waits for all; throws the first failure of any thread.
   */
  run<J extends Job>(job: Omit<J, Posted>, phases: (job: J) => (() => void)[]): void {
    const posted = { ...job, jobNo: this.jobs++, threads: this.threads } as J;
    if (this.dead !== undefined) throw this.dead;
    for (const w of this.workers) w.postMessage(posted);
    let local: (() => void)[];
    try {
      local = phases(posted);
    } catch (err) {
      local = [() => { throw err; }];
    }
    const error = runPhases(this.control, posted.jobNo, posted.threads, 0, local, undefined, () => this.checkAlive());
    let failure: Error | undefined;
    for (let i = 1; i < posted.threads; i++) {
      // Drain the port: a report left by a job whose main share also failed is stale.
      let report: unknown;
      for (let m = receiveMessageOnPort(this.errors[i - 1]); m !== undefined; m = receiveMessageOnPort(this.errors[i - 1])) report = m.message;
      if (failure === undefined && Atomics.load(this.control, PHASES + i) === posted.jobNo + 1) {
        failure = new Error(`attnkit: worker thread ${i} failed: ${String(report ?? 'no report')}`);
      }
    }
    if (error !== undefined) throw error;
    if (failure !== undefined) throw failure;
  }

  /**
   * Throws when a worker thread has stopped (terminated, or exited on a fatal error), and
   * stops the others: it would never reach the barrier the main thread waits at. A stopped
   * worker's event-loop utilization reports an idle time of −1 (or nothing at all), which
   * the main thread can read while blocked, unlike the worker's 'exit' event.
   */
  private checkAlive(): void {
    const index = this.workers.findIndex((w) => {
      const { idle, active } = w.performance.eventLoopUtilization();
      return idle < 0 || (idle === 0 && active === 0);
    });
    if (index < 0) return;
    this.dead = new Error(`attnkit: worker thread ${index + 1} of this threaded engine exited during a call; its threads are stopped, create a new engine`);
    this.terminate();
    throw this.dead;
  }

  /** Posts a message that needs no reply (a layer's `free`). */
  post(message: object): void {
    for (const w of this.workers) w.postMessage(message);
  }

  terminate(): void {
    for (const w of this.workers) void w.terminate();
  }
}
