/**
 * Load on the example service: starts it in a child process (service-main.ts), drives
 * POST /encode with autocannon, checks every answer against the encoder's own output
 * (base64 of the float32 bytes) or a clean 503, and gathers autocannon's figures with the
 * service's event-loop delay, RSS and request counts.
 */

import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createEngine } from 'attnkit';
import { toyConfig } from '../../examples/toy-model.js';
import type { ServiceStats } from './service-main.js';

export interface ServiceSetup {
  /** Workers; 0 serves /encode on the event loop. */
  pool: number;
  dim: number;
  heads: number;
  batchWindowMs?: number;
  /** Micro-batching on (the default) or off. */
  batching?: boolean;
  /** The pool's workerPriority (default 0). */
  workerPriority?: number;
}

export interface Service {
  url: string;
  stats(): Promise<ServiceStats>;
  reset(): Promise<void>;
  chaos(ms: number): Promise<void>;
  calm(): Promise<void>;
  stop(): Promise<void>;
}

const root = fileURLToPath(new URL('../..', import.meta.url));

export async function startService(setup: ServiceSetup): Promise<Service> {
  const env: NodeJS.ProcessEnv = { ...process.env, POOL: String(setup.pool), DIM: String(setup.dim), HEADS: String(setup.heads), BATCH_WINDOW: String(setup.batchWindowMs ?? 0), BATCHING: setup.batching === false ? '0' : '1', PRIORITY: String(setup.workerPriority ?? 0) };
  delete env.NODE_OPTIONS;
  const child: ChildProcess = fork(fileURLToPath(new URL('./service-main.ts', import.meta.url)), [], { cwd: root, env, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const reply = <T>(t: string, send?: object) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: { t: string } & Record<string, unknown>) => {
        if (m.t !== t) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m as T);
      };
      const onExit = (code: number | null) => reject(new Error(`the service exited (code ${code}) before answering '${t}'`));
      child.on('message', onMessage);
      child.once('exit', onExit);
      if (send) child.send(send);
    });
  const { port } = await reply<{ port: number }>('listening');
  return {
    url: `http://127.0.0.1:${port}`,
    stats: async () => (await reply<{ stats: ServiceStats }>('stats', { t: 'stats' })).stats,
    reset: async () => void (await reply('reset', { t: 'reset' })),
    chaos: async (ms) => void (await reply('chaos', { t: 'chaos', ms })),
    calm: async () => void (await reply('calm', { t: 'calm' })),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}

/** Request bodies (token ids, `length` each) and their right answers, from an engine on this thread. */
export async function workload(setup: ServiceSetup, count: number, length: number, seed = 1): Promise<{ bodies: string[]; answers: string[] }> {
  const engine = await createEngine({ backend: 'wasm' });
  const encoder = engine.encoder(toyConfig(setup.dim, setup.heads));
  let s = seed;
  const next = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 8) % 1024;
  const bodies: string[] = [];
  const answers: string[] = [];
  for (let i = 0; i < count; i++) {
    const ids = Array.from({ length }, next);
    const { output } = encoder.encode(ids);
    bodies.push(JSON.stringify({ ids, format: 'base64' }));
    answers.push(Buffer.from(output.buffer, output.byteOffset, output.byteLength).toString('base64'));
  }
  encoder.dispose();
  return { bodies, answers };
}

export interface LoadResult {
  connections: number;
  /** Responses received (autocannon's total). */
  requests: number;
  requestsPerSecond: number;
  latencyP50: number;
  latencyP99: number;
  /** 200 with the right output. */
  right: number;
  /** 503 with a pool error code. */
  busy: number;
  /** Anything else: a wrong output, another status, an unreadable body. */
  wrong: number;
  errors: number;
  timeouts: number;
  service: ServiceStats;
}

export interface Drive {
  connections: number;
  /** Seconds (ignored with `amount`). */
  duration?: number;
  amount?: number;
  /** Requests per second over all connections. */
  overallRate?: number;
  bodies: string[];
  answers: string[];
}

/** Drives POST /encode, checking every answer; resets the service's event-loop histogram first. */
export async function drive(service: Service, d: Drive): Promise<LoadResult> {
  await service.reset();
  let next = 0;
  let right = 0;
  let busy = 0;
  let wrong = 0;
  const result = await autocannon({
    url: `${service.url}/encode`,
    connections: d.connections,
    ...(d.amount !== undefined ? { amount: d.amount } : { duration: d.duration ?? 2 }),
    ...(d.overallRate !== undefined ? { overallRate: d.overallRate } : {}),
    timeout: 10,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest(request, context) {
          const i = next++ % d.bodies.length;
          (context as { i: number }).i = i;
          return { ...request, body: d.bodies[i] };
        },
        onResponse(status, body, context) {
          try {
            const answer = JSON.parse(body) as { output?: string; code?: string };
            if (status === 200 && answer.output === d.answers[(context as { i: number }).i]) right++;
            else if (status === 503 && (answer.code === 'ATTNKIT_WORKER_EXITED' || answer.code === 'ATTNKIT_QUEUE_FULL')) busy++;
            else wrong++;
          } catch {
            wrong++;
          }
        },
      },
    ],
  });
  return {
    connections: d.connections,
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    right,
    busy,
    wrong,
    errors: result.errors,
    timeouts: result.timeouts,
    service: await service.stats(),
  };
}
