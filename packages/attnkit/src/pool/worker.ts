/**
 * A worker of a pool (Node, Deno and Bun `worker_threads`): its own engine, the resident
 * objects the pool made on it (by id), and a loop that runs one message at a time and
 * answers with the result (transferred) or the error (with its class).
 */

import { parentPort, workerData } from 'node:worker_threads';
import { createEngine } from '../index.js';
import type { Backend } from '../types.js';
import { RESIDENT, STATELESS, type BatchSpec } from './ops.js';
import { toWire, transferables } from './wire.js';
import type { ToWorker } from './protocol.js';

const port = parentPort!;
const { backend } = workerData as { backend: Backend | 'auto' };

type Callable = Record<string, (...args: unknown[]) => unknown>;

let engine: Callable;
try {
  engine = (await createEngine(backend === 'auto' ? {} : { backend })) as unknown as Callable;
} catch (err) {
  port.postMessage({ t: 'failed', error: toWire(err) });
  process.exit(1);
}
const objects = new Map<number, { kind: string; object: Callable }>();

function reply(id: number, body: object): void {
  port.postMessage({ id, ...body }, transferables(body));
}

function run(message: ToWorker): void {
  switch (message.t) {
    case 'call': {
      const value = engine[message.op](...message.args);
      const out = STATELESS[message.op].out;
      reply(message.id, { value, out: out === undefined ? undefined : message.args[out] });
      return;
    }
    case 'create': {
      const object = engine[message.kind](...message.args) as Callable;
      objects.set(message.object, { kind: message.kind, object });
      const props: Record<string, unknown> = {};
      for (const name of RESIDENT[message.kind].props) props[name] = object[name];
      reply(message.id, { value: props });
      return;
    }
    case 'method': {
      const { kind, object } = held(message.object);
      const value = object[message.method](...message.args);
      const out = RESIDENT[kind].methods[message.method].out;
      reply(message.id, { value, out: out === undefined ? undefined : message.args[out] });
      return;
    }
    case 'batch': {
      const { kind, object } = held(message.object);
      const batch = RESIDENT[kind].methods[message.method].batch as BatchSpec;
      let results: { value?: unknown; error?: unknown }[];
      try {
        results = batch.run(object as never, message.calls).map((value) => ({ value }));
      } catch {
        // Something in the batch is wrong: each call alone, each with its own error.
        results = message.calls.map((args) => {
          try {
            return { value: object[message.method](...args) };
          } catch (err) {
            return { error: toWire(err) };
          }
        });
      }
      reply(message.id, { results });
      return;
    }
    case 'dispose': {
      const held = objects.get(message.object);
      objects.delete(message.object);
      (held?.object.dispose as (() => void) | undefined)?.();
      return;
    }
  }
}

function held(id: number): { kind: string; object: Callable } {
  const entry = objects.get(id);
  if (entry === undefined) throw new Error(`attnkit pool: this worker holds no object ${id}`);
  return entry;
}

port.on('message', (message: ToWorker) => {
  try {
    run(message);
  } catch (err) {
    if ('id' in message) reply(message.id, { error: toWire(err) });
  }
});
port.postMessage({ t: 'ready' });
