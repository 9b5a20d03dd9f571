/**
 * The pool's scheduler, on the caller's thread: one queue of accepted calls, N workers that
 * each run one message at a time, resident objects made on every worker, micro-batches,
 * backpressure, abort, workers that die and are replaced, and close.
 *
 * - A call is queued (or rejected at once with ATTNKIT_QUEUE_FULL when `maxQueue` calls
 *   already wait) and sent to the first idle worker. Calls of one batchable method on one
 *   object whose batch keys are equal (ops.ts) leave the queue together, up to
 *   MAX_BATCH_ROWS rows (256); with `batchWindowMs` > 0 the oldest such call may wait that long
 *   for company.
 * - A worker that exits rejects exactly the calls it held (ATTNKIT_WORKER_EXITED) and is
 *   replaced at once by a new worker that remakes every live resident object from the
 *   shared copy of its arguments.
 * - Workers keep the process alive only while calls are pending.
 *
 * Nothing here names a Node built-in: node.ts supplies the workers.
 */

import { openSource, type OpenFile } from '../source.js';
import { MAX_BATCH_ROWS, type MethodSpec, type ResidentSpec, type Tables } from './ops.js';
import type { FromWorker, ToWorker } from './protocol.js';
import { abortReason, fromWire, isCallOptions, poolError, prepare } from './wire.js';

/** A worker as the scheduler sees it. */
export interface PoolWorker {
  post(message: ToWorker, transfer: ArrayBuffer[]): void;
  /** Called with every message the worker posts. */
  onMessage(listener: (message: FromWorker) => void): void;
  /** Called once when the worker has stopped, for whatever reason. */
  onExit(listener: (reason: string) => void): void;
  terminate(): Promise<unknown>;
  ref(): void;
  unref(): void;
}

export type SpawnWorker = () => PoolWorker;

export interface SchedulerOptions {
  size: number;
  maxQueue: number;
  batchWindowMs: number;
  /** false: every call runs alone. */
  batching: boolean;
  openFile?: OpenFile;
  /** What the workers offer (ops.ts). */
  tables: Tables;
}

/** A worker that exits this many times in a row before it is ready is not replaced again. */
const MAX_START_FAILURES = 3;

type Reply = Extract<FromWorker, { id: number }>;

/** Takes a worker's reply, or the error of its exit before it replied. */
type Answer = (reply: Reply | undefined, exited?: Error) => void;

/** An accepted call. */
interface Task {
  /** The message to post, without its id; `args` already made fit to post. */
  message: { t: 'call'; op: string; args: unknown[] } | { t: 'method'; object: number; method: string; args: unknown[] };
  transfer: ArrayBuffer[];
  /** The caller's `out` array, filled from the worker's copy. */
  out?: Float32Array;
  /** Batch key (same object and method): calls with equal keys may run as one. */
  key?: string;
  rows: number;
  queuedAt: number;
  resolve(value: unknown): void;
  reject(err: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
  settled: boolean;
}

interface Slot {
  worker: PoolWorker;
  ready: boolean;
  /** The calls this worker holds (one message: a call or a batch). */
  busy: Task[] | undefined;
  /** Answered, and free again at the next turn of the event loop (see `send`). */
  releasing: boolean;
  /** Answers this worker owes, by message id. */
  waiting: Map<number, Answer>;
  startFailures: number;
  /** No longer replaced after repeated failures at start. */
  dead: boolean;
}

/** A resident object as the pool keeps it: its kind, shared arguments (to remake it), calls in flight. */
interface Resident {
  kind: string;
  args: unknown[];
  props: Record<string, unknown>;
  disposed: boolean;
  inFlight: number;
}

export class Scheduler {
  private readonly slots: Slot[] = [];
  private queue: Task[] = [];
  private readonly objects = new Map<number, Resident>();
  private nextId = 1;
  private pendingCount = 0;
  private closing: Promise<void> | undefined;
  private onIdle: (() => void) | undefined;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Messages sent to workers with calls, and how many of them were batches of how many calls. */
  readonly stats = { messages: 0, batches: 0, batchedCalls: 0 };

  private constructor(
    private readonly spawn: SpawnWorker,
    private readonly options: SchedulerOptions,
  ) {}

  /** Starts `size` workers and waits until every one has its engine. */
  static async start(spawn: SpawnWorker, options: SchedulerOptions): Promise<Scheduler> {
    const scheduler = new Scheduler(spawn, options);
    try {
      await Promise.all(Array.from({ length: options.size }, () => scheduler.addSlot()));
    } catch (err) {
      scheduler.stopped = true;
      await Promise.all(scheduler.slots.map((s) => s.worker.terminate()));
      throw err;
    }
    return scheduler;
  }

  get size(): number {
    return this.slots.length;
  }

  get pending(): number {
    return this.pendingCount;
  }

  private addSlot(): Promise<void> {
    return new Promise((resolve, reject) => {
      const slot = { ready: false, busy: undefined, releasing: false, waiting: new Map(), startFailures: 0, dead: false } as unknown as Slot;
      this.slots.push(slot);
      this.startWorker(slot, resolve, reject);
    });
  }

  /** Starts a worker on `slot`, remaking every live resident object on it. */
  private startWorker(slot: Slot, started?: () => void, failed?: (err: unknown) => void): void {
    const worker = this.spawn();
    slot.worker = worker;
    slot.ready = false;
    if (this.pendingCount > 0) worker.ref();
    else worker.unref();
    worker.onMessage((message) => {
      if ('t' in message) {
        if (message.t === 'ready') {
          slot.ready = true;
          slot.startFailures = 0;
          started?.();
          this.pump();
        } else if (message.t === 'failed') {
          failed?.(fromWire(message.error));
        }
        return;
      }
      const answer = slot.waiting.get(message.id);
      slot.waiting.delete(message.id);
      answer?.(message);
    });
    worker.onExit((reason) => this.exited(slot, worker, reason, failed));
    for (const [object, r] of this.objects) {
      if (r.disposed) continue;
      // A rebuild that fails leaves the object missing there: its calls on this worker then fail.
      this.post(slot, { t: 'create', id: this.nextId++, object, kind: r.kind, args: r.args }, []);
    }
  }

  private exited(slot: Slot, worker: PoolWorker, reason: string, failed?: (err: unknown) => void): void {
    if (slot.worker !== worker || this.stopped) return;
    const wasReady = slot.ready;
    slot.ready = false;
    const owed = [...slot.waiting.values()];
    slot.waiting.clear();
    slot.busy = undefined;
    slot.releasing = false;
    const err = () => poolError('ATTNKIT_WORKER_EXITED', `attnkit pool: the worker running this call exited (${reason}); it is being replaced`);
    for (const answer of owed) answer(undefined, err());
    if (failed !== undefined && !wasReady) {
      failed(new Error(`attnkit pool: a worker exited while starting (${reason})`));
      return;
    }
    if (!wasReady && ++slot.startFailures >= MAX_START_FAILURES) {
      slot.dead = true;
      if (this.slots.every((s) => s.dead)) {
        for (const task of this.queue.splice(0)) this.settle(task, poolError('ATTNKIT_WORKER_EXITED', `attnkit pool: every worker keeps exiting at start (${reason})`));
      }
      return;
    }
    this.startWorker(slot);
  }

  /** Posts `message` to `slot`'s worker; the answer goes to `answer`. */
  private post(slot: Slot, message: ToWorker, transfer: ArrayBuffer[], answer?: Answer): void {
    if ('id' in message) slot.waiting.set(message.id, answer ?? (() => {}));
    slot.worker.post(message, transfer);
  }

  /** A request to one worker outside the queue (making a resident object). */
  private request(slot: Slot, message: ToWorker): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.post(slot, message, [], (reply, exited) => {
        if (exited || !reply) reject(exited);
        else if (reply.error) reject(fromWire(reply.error));
        else resolve(reply.value);
      });
    });
  }

  private accept(): void {
    if (this.pendingCount++ === 0) for (const s of this.slots) s.worker.ref();
  }

  private release(): void {
    if (--this.pendingCount === 0) {
      for (const s of this.slots) s.worker.unref();
      this.onIdle?.();
    }
  }

  private settle(task: Task, err: unknown, value?: unknown): void {
    if (task.settled) return;
    task.settled = true;
    if (task.onAbort) task.signal!.removeEventListener('abort', task.onAbort);
    if (task.message.t === 'method') {
      const r = this.objects.get(task.message.object);
      if (r && --r.inFlight === 0 && r.disposed) this.forget(task.message.object);
    }
    this.release();
    if (err !== undefined) task.reject(err);
    else task.resolve(value);
  }

  /**
   * Accepts a call of a stateless op (`object` undefined) or of a resident object's method,
   * with the caller's arguments; settles with its result.
   */
  call(spec: MethodSpec, target: { op: string } | { object: number; kind: string; method: string }, callerArgs: unknown[]): Promise<unknown> {
    const args = [...callerArgs];
    let signal: AbortSignal | undefined;
    if (spec.options !== undefined) {
      signal = (args[spec.options] as { signal?: AbortSignal } | undefined)?.signal;
    } else if (args.length > (spec.leading ?? 1) && isCallOptions(args[args.length - 1])) {
      signal = (args.pop() as { signal?: AbortSignal }).signal;
    }
    const name = 'op' in target ? `pool.${target.op}` : `${target.kind}.${target.method}`;
    if (this.closing !== undefined || this.stopped) return Promise.reject(poolError('ATTNKIT_POOL_CLOSED', `${name}: the pool is closed`));
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.slots.every((s) => s.dead)) return Promise.reject(poolError('ATTNKIT_WORKER_EXITED', `${name}: every worker of the pool keeps exiting as it starts`));
    if (this.queue.length >= this.options.maxQueue && (this.queue.length > 0 || !this.slots.some((s) => s.ready && (s.busy === undefined || s.releasing)))) {
      return Promise.reject(poolError('ATTNKIT_QUEUE_FULL', `${name}: ${this.queue.length} calls already wait for a worker (maxQueue ${this.options.maxQueue})`));
    }
    let key: string | undefined;
    let rows = 0;
    if ('object' in target) {
      const r = this.objects.get(target.object);
      if (r === undefined || r.disposed) return Promise.reject(new Error(`${name}: this ${this.options.tables.resident[target.kind].noun} was disposed`));
      if (spec.batch && this.options.batching) {
        key = spec.batch.key(args, r.props);
        if (key !== undefined) rows = spec.batch.rows(args);
      }
      r.inFlight++;
    }
    const out = spec.out !== undefined && args[spec.out] instanceof Float32Array ? (args[spec.out] as Float32Array) : undefined;
    const transfer: ArrayBuffer[] = [];
    const posted = prepare(args, 'call', transfer) as unknown[];
    this.accept();
    return new Promise((resolve, reject) => {
      const message = 'op' in target ? { t: 'call' as const, op: target.op, args: posted } : { t: 'method' as const, object: target.object, method: target.method, args: posted };
      const task: Task = { message, transfer, out, key, rows, queuedAt: Date.now(), resolve, reject, signal, settled: false };
      if (signal) {
        task.onAbort = () => {
          // A queued call leaves the queue; a running one finishes in its worker, unheard.
          const at = this.queue.indexOf(task);
          if (at >= 0) this.queue.splice(at, 1);
          this.settle(task, abortReason(signal!));
        };
        signal.addEventListener('abort', task.onAbort, { once: true });
      }
      this.queue.push(task);
      this.pump();
    });
  }

  /** Sends queued calls to idle workers. */
  private pump(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot.ready || slot.busy !== undefined) continue;
      const head = this.queue[0];
      let tasks = [head];
      if (head.key !== undefined && head.message.t === 'method') {
        const { object, method } = head.message;
        const group: Task[] = [];
        let rows = 0;
        for (const t of this.queue) {
          if (t.key !== head.key || t.message.t !== 'method' || t.message.object !== object || t.message.method !== method) continue;
          if (group.length > 0 && rows + t.rows > MAX_BATCH_ROWS) break;
          group.push(t);
          rows += t.rows;
        }
        const waited = Date.now() - head.queuedAt;
        if (this.options.batchWindowMs > 0 && waited < this.options.batchWindowMs && rows < MAX_BATCH_ROWS && this.closing === undefined) {
          this.timer = setTimeout(() => this.pump(), this.options.batchWindowMs - waited);
          return;
        }
        tasks = group;
      }
      this.queue = tasks.length === 1 ? this.queue.slice(1) : this.queue.filter((t) => !tasks.includes(t));
      this.send(slot, tasks);
    }
  }

  private send(slot: Slot, tasks: Task[]): void {
    slot.busy = tasks;
    this.stats.messages++;
    if (tasks.length > 1) {
      this.stats.batches++;
      this.stats.batchedCalls += tasks.length;
    }
    const id = this.nextId++;
    const free = () => {
      if (slot.busy === tasks) slot.busy = undefined;
      slot.releasing = false;
      this.pump();
    };
    // With batching, the worker is free again once the callers it answered have run their
    // continuations (and the I/O already polled has been handled): their next calls, queued
    // by then, can leave together instead of the first alone.
    const done = () => {
      if (!this.options.batching) return free();
      slot.releasing = true;
      setImmediate(free);
    };
    if (tasks.length === 1) {
      const [task] = tasks;
      this.post(slot, { ...task.message, id }, task.transfer, (reply, exited) => {
        done();
        if (exited || !reply) return this.settle(task, exited);
        if (reply.error) return this.settle(task, fromWire(reply.error));
        this.settle(task, undefined, task.out ? fillOut(reply.value, reply.out as Float32Array, task.out) : reply.value);
      });
      return;
    }
    const head = tasks[0].message as Extract<Task['message'], { t: 'method' }>;
    const transfer = tasks.flatMap((t) => t.transfer);
    this.post(slot, { t: 'batch', id, object: head.object, method: head.method, calls: tasks.map((t) => t.message.args) }, transfer, (reply, exited) => {
      done();
      tasks.forEach((task, i) => {
        const result = reply?.results?.[i];
        if (exited || !reply) this.settle(task, exited);
        else if (reply.error) this.settle(task, fromWire(reply.error));
        else if (result?.error) this.settle(task, fromWire(result.error));
        else this.settle(task, undefined, result?.value);
      });
    });
  }

  /** Makes a resident object on every worker (`kind` is a key of RESIDENT). */
  async create(kind: string, callerArgs: unknown[]): Promise<{ id: number; props: Record<string, unknown> }> {
    const spec: ResidentSpec = this.options.tables.resident[kind];
    const opts = spec.options === undefined ? undefined : (callerArgs[spec.options] as { signal?: AbortSignal; onProgress?: (p: { bytes: number; totalBytes?: number }) => void } | undefined);
    const signal = opts?.signal;
    if (this.closing !== undefined || this.stopped) throw poolError('ATTNKIT_POOL_CLOSED', `pool.${kind}: the pool is closed`);
    if (signal?.aborted) throw abortReason(signal);
    this.accept();
    const id = this.nextId++;
    try {
      let args = [...callerArgs];
      for (const path of spec.sources ?? []) args = await this.readSource(`pool.${kind}`, args, path, opts);
      const shared = prepare(args, 'share', []) as unknown[];
      const resident: Resident = { kind, args: shared, props: {}, disposed: false, inFlight: 0 };
      this.objects.set(id, resident);
      try {
        const answers = await Promise.all(this.slots.filter((s) => !s.dead).map((slot) => this.request(slot, { t: 'create', id: this.nextId++, object: id, kind, args: shared })));
        if (signal?.aborted) throw abortReason(signal);
        resident.props = answers[0] as Record<string, unknown>;
        return { id, props: resident.props };
      } catch (err) {
        resident.disposed = true;
        this.forget(id);
        throw err;
      }
    } finally {
      this.release();
    }
  }

  /** Reads the Source at `path` ('0' or '0.weights') into a SharedArrayBuffer; returns args with the bytes in its place. */
  private async readSource(op: string, args: unknown[], path: string, opts?: { signal?: AbortSignal; onProgress?: (p: { bytes: number; totalBytes?: number }) => void }): Promise<unknown[]> {
    const keys = path.split('.');
    const parent = keys.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], args) as Record<string, unknown> | undefined;
    const last = keys[keys.length - 1];
    const source = parent?.[last];
    if (source === undefined || Array.isArray(source)) return args;
    const stream = await openSource(op, keys.join('.'), source, this.options.openFile);
    const chunks: Uint8Array[] = [];
    let bytes = 0;
    for await (const chunk of stream.chunks) {
      if (opts?.signal?.aborted) throw abortReason(opts.signal);
      chunks.push(chunk.slice());
      bytes += chunk.length;
      opts?.onProgress?.({ bytes, totalBytes: stream.totalBytes });
    }
    const shared = new Uint8Array(new SharedArrayBuffer(bytes));
    let at = 0;
    for (const c of chunks) {
      shared.set(c, at);
      at += c.length;
    }
    // Replace along the path with copies, leaving the caller's objects as they were.
    const replace = (o: unknown, i: number): unknown => {
      if (i === keys.length) return shared;
      const copy = Array.isArray(o) ? [...o] : { ...(o as object) };
      (copy as Record<string, unknown>)[keys[i]] = replace((o as Record<string, unknown>)[keys[i]], i + 1);
      return copy;
    };
    return replace(args, 0) as unknown[];
  }

  /** The caller disposed object `id`: calls already accepted finish, then every worker frees it. */
  dispose(id: number): void {
    const r = this.objects.get(id);
    if (r === undefined || r.disposed) return;
    r.disposed = true;
    if (r.inFlight === 0) this.forget(id);
  }

  private forget(id: number): void {
    this.objects.delete(id);
    if (this.stopped) return;
    for (const slot of this.slots) if (!slot.dead) slot.worker.post({ t: 'dispose', object: id }, []);
  }

  /** Stops accepting calls, lets every accepted call settle, then stops the workers. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.pendingCount > 0) await new Promise<void>((resolve) => (this.onIdle = resolve));
      this.stopped = true;
      if (this.timer !== undefined) clearTimeout(this.timer);
      await Promise.all(this.slots.map((s) => s.worker.terminate()));
    })();
    this.pump(); // a batch window may be holding calls back
    return this.closing;
  }

  /** Stops worker `index` as a crash would (for fault tests). */
  killWorker(index: number): Promise<unknown> {
    return this.slots[index].worker.terminate();
  }
}

/** The caller's `out` filled from the worker's copy, which stands in for it wherever the result holds it. */
function fillOut(value: unknown, copy: Float32Array, out: Float32Array): unknown {
  out.set(copy);
  if (value === copy) return out;
  if (typeof value === 'object' && value !== null) {
    const result = { ...(value as Record<string, unknown>) };
    for (const [k, v] of Object.entries(result)) if (v === copy) result[k] = out;
    return result;
  }
  return value;
}

