// The example service under load (autocannon, 1, 8 and 64 connections, 2 s each): POST
// /encode on a pool of 2 workers, and the same service computing on its event loop beside
// it. Every answer is checked against the encoder's own output; requests/s, latency
// p50/p99, errors and the service's event-loop delay are printed. Correctness is asserted
// strictly; speed only in the benchmark (bench/pool.bench.ts), on a quieter machine.

import { afterAll, expect, it } from 'vitest';
import { drive, startService, workload, type LoadResult, type Service } from './helpers/load.js';

const services: Service[] = [];
afterAll(() => Promise.all(services.map((s) => s.stop())));

const rows: Record<string, string | number>[] = [];
afterAll(() => console.table(rows));

const record = (name: string, r: LoadResult) =>
  rows.push({ service: name, connections: r.connections, 'req/s': Math.round(r.requestsPerSecond), 'p50 ms': r.latencyP50, 'p99 ms': r.latencyP99, errors: r.errors + r.wrong, 'loop p99 ms': +r.service.loopP99.toFixed(1), 'RSS MB': Math.round(r.service.rssBytes / 2 ** 20) });

it.each([
  ['pool of 2', 2],
  ['event loop', 0],
])('/encode on the %s: every answer right at 1, 8 and 64 connections', async (name, pool) => {
  const setup = { pool, dim: 128, heads: 4 };
  const { bodies, answers } = await workload(setup, 64, 16);
  const service = await startService(setup);
  services.push(service);
  let cutOff = 0;
  for (const connections of [1, 8, 64]) {
    const r = await drive(service, { connections, duration: 2, bodies, answers });
    record(name, r);
    expect(r.requests, `${connections} connections: requests`).toBeGreaterThan(0);
    expect(r.right, `${connections} connections: right answers`).toBe(r.requests);
    expect([r.wrong, r.busy, r.errors, r.timeouts], `${connections} connections: wrong, 503, errors, timeouts`).toEqual([0, 0, 0, 0]);
    expect(r.service.doubled).toBe(0);
    // A timed run ends by closing its connections: at most one request each is cut off
    // unanswered (the service's counts add up over the runs).
    cutOff += connections;
    expect(r.service.received - r.service.answered).toBeLessThanOrEqual(cutOff);
  }
});
