/**
 * What a worker of a pool does with each message, apart from how messages arrive
 * (worker.ts wires it to `worker_threads`): run a stateless op on its engine, make a
 * resident object (awaiting it when the engine's method is async, as loaders are), call a
 * method of one, run a batch, dispose of one; answer with the result or the error.
 * Arguments may name another resident object of the pool (`{ [OBJECT_REF]: id }`, e.g. an
 * encoder built on pooled word vectors): they are replaced by this worker's copy of it.
 *
 * Nothing here names a Node built-in.
 */

import type { Tables } from './ops.js';
import type { FromWorker, ToWorker } from './protocol.js';
import { OBJECT_REF, toWire, transferables } from './wire.js';

type Callable = Record<string, (...args: unknown[]) => unknown>;

export class WorkerState {
  private readonly objects = new Map<number, { kind: string; object: Callable }>();

  constructor(
    private readonly engine: Callable,
    private readonly tables: Tables,
    private readonly send: (message: FromWorker, transfer: ArrayBuffer[]) => void,
  ) {}

  /** The messages so far, run one after another: an async maker finishes before the next message starts. */
  private last: Promise<void> = Promise.resolve();

  /** Handles `message` once every earlier one is done; never rejects (a failure is the answer). */
  handle(message: ToWorker): Promise<void> {
    this.last = this.last.then(async () => {
      try {
        await this.run(message);
      } catch (err) {
        if ('id' in message) this.reply(message.id, { error: toWire(err) });
      }
    });
    return this.last;
  }

  private reply(id: number, body: Omit<Extract<FromWorker, { id: number }>, 'id'>): void {
    this.send({ id, ...body }, transferables(body));
  }

  private async run(message: ToWorker): Promise<void> {
    switch (message.t) {
      case 'call': {
        const args = this.resolve(message.args);
        const value = this.engine[message.op](...args);
        const out = this.tables.stateless[message.op].out;
        this.reply(message.id, { value, out: out === undefined ? undefined : args[out] });
        return;
      }
      case 'create': {
        const object = (await this.engine[message.kind](...this.resolve(message.args))) as Callable;
        this.objects.set(message.object, { kind: message.kind, object });
        const props: Record<string, unknown> = {};
        for (const name of this.tables.resident[message.kind].props) props[name] = object[name];
        this.reply(message.id, { value: props });
        return;
      }
      case 'method': {
        const { kind, object } = this.held(message.object);
        const args = this.resolve(message.args);
        const value = object[message.method](...args);
        const out = this.tables.resident[kind].methods[message.method].out;
        this.reply(message.id, { value, out: out === undefined ? undefined : args[out] });
        return;
      }
      case 'batch': {
        const { kind, object } = this.held(message.object);
        const batch = this.tables.resident[kind].methods[message.method].batch!;
        const calls = message.calls.map((args) => this.resolve(args));
        let results: { value?: unknown; error?: ReturnType<typeof toWire> }[];
        try {
          results = batch.run(object as never, calls).map((value) => ({ value }));
        } catch {
          // Something in the batch is wrong: each call alone, each with its own error.
          results = calls.map((args) => {
            try {
              return { value: object[message.method](...args) };
            } catch (err) {
              return { error: toWire(err) };
            }
          });
        }
        this.reply(message.id, { results });
        return;
      }
      case 'dispose': {
        const held = this.objects.get(message.object);
        this.objects.delete(message.object);
        held?.object.dispose?.();
        return;
      }
    }
  }

  private held(id: number): { kind: string; object: Callable } {
    const entry = this.objects.get(id);
    if (entry === undefined) throw new Error(`attnkit pool: this worker holds no object ${id}`);
    return entry;
  }

  /** Arguments with every `{ [OBJECT_REF]: id }` replaced by this worker's object `id`. */
  private resolve(args: unknown[]): unknown[] {
    const walk = (value: unknown): unknown => {
      if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return value;
      if (Array.isArray(value)) return value.map(walk);
      if (Object.getPrototypeOf(value) !== Object.prototype) return value;
      const ref = (value as Record<string, unknown>)[OBJECT_REF];
      if (typeof ref === 'number') return this.held(ref).object;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = walk(v);
      return out;
    };
    return args.map(walk);
  }
}
