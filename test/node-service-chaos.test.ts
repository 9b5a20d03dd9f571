// Chaos: the example service's pool loses a worker every second while autocannon sends 10⁴
// requests on 32 connections. Every request gets either its right answer or a clean 503
// (only the calls the dead worker held), none hangs (no timeout; the service has answered
// every request it received), none is answered twice, none is lost, and the service's RSS
// grows by less than 32 MB over the 10⁴ requests (measured after a warm-up of 3000).

import { afterAll, expect, it } from 'vitest';
import { drive, startService, workload, type Service } from './helpers/load.js';

let service: Service | undefined;
afterAll(() => service?.stop());

/** Calls one killed worker may hold: one batch of at most 256 rows (the pool's limit) of 16-token requests. */
const HELD_PER_KILL = 256 / 16;
const REQUESTS = 10_000;

it('a worker killed every second under load: right answers or clean 503s, nothing hung, lost or doubled, flat memory', async () => {
  const setup = { pool: 2, dim: 64, heads: 4 };
  const { bodies, answers } = await workload(setup, 64, 16, 7);
  service = await startService(setup);
  const warm = await drive(service, { connections: 32, amount: 3000, bodies, answers });
  expect(warm.right).toBe(3000);
  const before = await service.stats();

  await service.chaos(1000);
  const r = await drive(service, { connections: 32, amount: REQUESTS, bodies, answers });
  await service.calm();
  const kills = r.service.kills - before.kills;
  const growth = (r.service.rssBytes - before.rssBytes) / 2 ** 20;
  console.log(`chaos: ${r.requests} requests in ${(r.requests / r.requestsPerSecond).toFixed(1)} s, ${kills} workers killed, ${r.busy} answered 503, RSS ${(before.rssBytes / 2 ** 20).toFixed(0)} → ${(r.service.rssBytes / 2 ** 20).toFixed(0)} MB, event loop p99 ${r.service.loopP99.toFixed(1)} ms`);

  expect(kills, 'workers killed during the run').toBeGreaterThanOrEqual(1);
  expect(r.requests, 'answered').toBe(REQUESTS);
  expect(r.right + r.busy, 'right answers and 503s').toBe(REQUESTS);
  expect(r.wrong, 'wrong answers').toBe(0);
  expect(r.busy, '503s: only the calls the killed workers held').toBeLessThanOrEqual(kills * HELD_PER_KILL);
  expect([r.errors, r.timeouts], 'connection errors, timeouts').toEqual([0, 0]);
  expect(r.service.doubled, 'answered twice').toBe(0);
  expect(r.service.received - before.received, 'received by the service').toBe(REQUESTS);
  expect(r.service.answered, 'every received request answered').toBe(r.service.received);
  expect(growth, 'RSS growth, MB').toBeLessThan(32);

  // The pool recovered: a calm run is all right answers.
  const after = await drive(service, { connections: 8, amount: 500, bodies, answers });
  expect(after.right).toBe(500);
});
