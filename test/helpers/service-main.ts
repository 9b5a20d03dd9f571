/**
 * The example service (examples/node-service) in a process of its own, as load tests and
 * the pool benchmark drive it: it listens on a free port and answers its parent over IPC
 * with its event-loop delay (perf_hooks.monitorEventLoopDelay), its RSS and its request
 * counts (received, answered, answered twice); on request it kills one of its pool's
 * workers every `ms` (the chaos run).
 *
 * Environment: POOL (workers; 0 = /encode on the event loop), DIM, HEADS, BATCH_WINDOW (ms),
 * BATCHING (0 = off), PRIORITY (the pool's workerPriority).
 */

import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createPool } from 'attnkit';
import { createService } from '../../examples/node-service/server.js';
import { killWorker } from './pool.js';

const size = Number(process.env.POOL ?? 0);
const pool = size > 0 ? await createPool({ size, batchWindowMs: Number(process.env.BATCH_WINDOW ?? 0), batching: process.env.BATCHING !== '0', workerPriority: Number(process.env.PRIORITY ?? 0) }) : undefined;
const server = await createService({ pool, dim: Number(process.env.DIM ?? 16), heads: Number(process.env.HEADS ?? 2) });

let received = 0;
let answered = 0;
let doubled = 0;
server.on('request', (_req, res) => {
  received++;
  let ends = 0;
  const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
  res.end = ((...args: unknown[]) => {
    if (++ends > 1) doubled++;
    return end(...args);
  }) as typeof res.end;
  res.on('finish', () => answered++);
});

// Sampled every 1 ms: each value is the interval between two samples, so an idle loop reads ~1 ms.
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
let chaos: ReturnType<typeof setInterval> | undefined;
let kills = 0;

export interface ServiceStats {
  /** Event-loop delay since the last reset, ms. */
  loopP50: number;
  loopP99: number;
  loopMax: number;
  rssBytes: number;
  received: number;
  answered: number;
  doubled: number;
  kills: number;
}

process.on('message', (message: { t: 'reset' } | { t: 'stats' } | { t: 'chaos'; ms: number } | { t: 'calm' }) => {
  if (message.t === 'reset') {
    delay.reset();
    process.send!({ t: 'reset' });
  } else if (message.t === 'stats') {
    const stats: ServiceStats = { loopP50: delay.percentile(50) / 1e6, loopP99: delay.percentile(99) / 1e6, loopMax: delay.max / 1e6, rssBytes: process.memoryUsage.rss(), received, answered, doubled, kills };
    process.send!({ t: 'stats', stats });
  } else if (message.t === 'chaos') {
    chaos = setInterval(() => void killWorker(pool!, kills++ % pool!.size), message.ms);
    process.send!({ t: 'chaos' });
  } else if (message.t === 'calm') {
    clearInterval(chaos);
    process.send!({ t: 'calm' });
  }
});
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => process.send!({ t: 'listening', port: (server.address() as AddressInfo).port }));
