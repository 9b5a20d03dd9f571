/**
 * The example service (examples/node-service, POST /encode) under autocannon: the
 * synchronous service (the encoder on its event loop), a pool of 2 workers, the same pool
 * without micro-batching, and with its workers at a lower priority (workerPriority 10), at
 * 1, 8 and 64 connections, on two workloads of the same
 * 384-wide, 6-head encoder: 64-token requests (compute-bound) and 16-token requests (small:
 * where per-call overhead and batching matter). Then a chaos run: a worker killed every
 * second over 10⁴ requests. Every answer is checked against the encoder's own output.
 * Each service runs in a process of its own and measures its event-loop delay
 * (perf_hooks.monitorEventLoopDelay sampling every 1 ms; an idle loop reads about 1 ms) and RSS.
 * `tsx bench/pool.bench.ts [seconds]` (default 5 s per cell).
 */

import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { drive, startService, workload, type LoadResult, type ServiceSetup } from '../test/helpers/load.js';
import { machine, writeSection } from './harness.js';

const DIM = 384;
const HEADS = 6;
const CONNECTIONS = [1, 8, 64];

interface Cell {
  service: string;
  tokens: number;
  result: LoadResult;
}

const services: [string, ServiceSetup][] = [
  ['event loop (sync)', { pool: 0, dim: DIM, heads: HEADS }],
  ['pool of 2', { pool: 2, dim: DIM, heads: HEADS }],
  ['pool of 2, no batching', { pool: 2, dim: DIM, heads: HEADS, batching: false }],
  ['pool of 2, workerPriority 10', { pool: 2, dim: DIM, heads: HEADS, workerPriority: 10 }],
];

function row(c: Cell): string {
  const r = c.result;
  const f = (x: number) => x.toFixed(1);
  return `| ${c.tokens} | ${c.service} | ${r.connections} | ${Math.round(r.requestsPerSecond)} | ${r.latencyP50} | ${r.latencyP99} | ${r.errors + r.wrong + r.timeouts} | ${r.busy} | ${f(r.service.loopP50)} | ${f(r.service.loopP99)} | ${f(r.service.loopMax)} | ${Math.round(r.service.rssBytes / 2 ** 20)} |`;
}

export async function poolBench(seconds = 5): Promise<string> {
  const loadBefore = loadavg()[0];
  const cells: Cell[] = [];
  for (const tokens of [64, 16]) {
    const { bodies, answers } = await workload({ pool: 0, dim: DIM, heads: HEADS }, 64, tokens, tokens);
    const started = await Promise.all(services.map(async ([name, setup]) => ({ name, service: await startService(setup) })));
    try {
      for (const { service } of started) await drive(service, { connections: 8, duration: 1, bodies, answers }); // warm-up
      // Services interleaved per connection count, so that a change of machine load hits them alike.
      for (const connections of CONNECTIONS) {
        for (const { name, service } of started) {
          cells.push({ service: name, tokens, result: await drive(service, { connections, duration: seconds, bodies, answers }) });
          console.log(row(cells[cells.length - 1]));
        }
      }
    } finally {
      await Promise.all(started.map(({ service }) => service.stop()));
    }
  }

  // Chaos: 10⁴ requests on 32 connections, a worker killed every second.
  const chaosSetup: ServiceSetup = { pool: 2, dim: DIM, heads: HEADS };
  const { bodies, answers } = await workload(chaosSetup, 64, 16, 99);
  const chaosService = await startService(chaosSetup);
  let chaos: LoadResult;
  let rssBefore: number;
  try {
    await drive(chaosService, { connections: 32, amount: 3000, bodies, answers });
    rssBefore = (await chaosService.stats()).rssBytes;
    await chaosService.chaos(1000);
    chaos = await drive(chaosService, { connections: 32, amount: 10_000, bodies, answers });
  } finally {
    await chaosService.stop();
  }
  const loadAfter = loadavg()[0];

  const rps = (service: string, tokens: number, connections: number) => cells.find((c) => c.service === service && c.tokens === tokens && c.result.connections === connections)!.result.requestsPerSecond;
  const poolLoop = cells.filter((c) => c.service === 'pool of 2' && c.result.connections === 64).map((c) => c.result.service.loopP99);
  const niceLoop = cells.filter((c) => c.service === 'pool of 2, workerPriority 10' && c.result.connections === 64).map((c) => c.result.service.loopP99);
  const syncLoop = cells.filter((c) => c.service === 'event loop (sync)' && c.result.connections === 64).map((c) => c.result.service.loopP99);
  const scaling = rps('pool of 2', 64, 64) / rps('event loop (sync)', 64, 64);
  const batching = rps('pool of 2', 16, 64) / rps('pool of 2, no batching', 16, 64);
  const met = (ok: boolean) => (ok ? 'met' : 'not met');
  const chaosOk = chaos.wrong === 0 && chaos.errors === 0 && chaos.timeouts === 0 && chaos.right + chaos.busy === 10_000 && chaos.service.doubled === 0 && chaos.service.answered === chaos.service.received;
  const growth = (chaos.service.rssBytes - rssBefore) / 2 ** 20;

  return [
    '## Pool: the example service under autocannon (POST /encode)',
    '',
    machine('the service in its own process: the event loop alone, or a pool of 2 worker threads').replace(', tinybench medians', ', autocannon (requests/s: mean per second; latency percentiles)'),
    `- encoder: ${DIM}-wide, ${HEADS} heads, 1024-row table, sinusoidal positions; requests of 64 and 16 token ids, answers checked bit for bit (base64 float32); autocannon in the benchmark's process, ${seconds} s per cell, services interleaved per connection count`,
    `- event loop: the service's own \`monitorEventLoopDelay\` over each cell, sampling every 1 ms (its values are intervals between samples, so an idle loop reads about 1 ms); RSS at the end of the cell`,
    `- 1-minute load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after, on 2 cores that the load generator (autocannon, in the benchmark's process) and the service's event loop share with the pool's workers, so a pool of 2 rarely has 2 cores to itself; compare ratios within this run only`,
    '',
    '| tokens | service | connections | req/s | p50 ms | p99 ms | errors | 503 | loop p50 ms | loop p99 ms | loop max ms | RSS MB |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...cells.map(row),
    '',
    `Chaos (pool of 2, 16 tokens, 32 connections, a worker killed every second): ${chaos.requests} requests in ${(chaos.requests / chaos.requestsPerSecond).toFixed(1)} s, ${chaos.service.kills} workers killed, ${chaos.right} right answers, ${chaos.busy} clean 503s, ${chaos.wrong} wrong, ${chaos.errors} connection errors, ${chaos.timeouts} timeouts, ${chaos.service.doubled} answered twice, ${chaos.service.received - chaos.service.answered} unanswered; RSS ${(rssBefore / 2 ** 20).toFixed(0)} → ${(chaos.service.rssBytes / 2 ** 20).toFixed(0)} MB (${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB) after a 3000-request warm-up; event loop p99 ${chaos.service.loopP99.toFixed(1)} ms.`,
    '',
    '| target | measured | |',
    '|---|---|---|',
    `| event-loop delay p99 ≤ 10 ms at 64 connections with the pool | ${poolLoop.map((x) => x.toFixed(1)).join(' ms (64 tokens), ')} ms (16 tokens); the sync service: ${syncLoop.map((x) => x.toFixed(1)).join(', ')} ms | ${met(poolLoop.every((x) => x <= 10))} |`,
    `| the same with \`workerPriority: 10\` | ${niceLoop.map((x) => x.toFixed(1)).join(' ms (64 tokens), ')} ms (16 tokens) | ${met(niceLoop.every((x) => x <= 10))} |`,
    `| pool of 2 ≥ 1.7× the sync service, encoder workload (64 tokens, 64 connections) | ${scaling.toFixed(2)}× | ${met(scaling >= 1.7)} |`,
    `| micro-batching ≥ 1.3× no batching, 16-token encodes at 64 connections | ${batching.toFixed(2)}× | ${met(batching >= 1.3)} |`,
    `| chaos: 0 hung, 0 wrong, 0 lost, RSS growth < 32 MB over 10⁴ requests | ${chaos.service.received - chaos.service.answered} hung, ${chaos.wrong} wrong, ${10_000 - chaos.requests} lost, ${growth.toFixed(1)} MB | ${met(chaosOk && growth < 32)} |`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const section = await poolBench(Number(process.argv[2] ?? 5));
  writeSection('pool', section);
  console.log(section);
}
