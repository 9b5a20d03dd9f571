// A threaded engine whose worker thread dies while the main thread waits for it (in
// Atomics.wait) notices within a bounded time and throws, naming what happened, instead of
// hanging; every later threaded call throws the same at once, and a long healthy call
// (many bounded waits) is not mistaken for a dead worker. Each case runs in a child
// process, so a hang fails the test by its timeout instead of blocking the test runner.

import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

function run(script: string): ReturnType<typeof spawnSync> {
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // vitest's own loader options are not for this child
  return spawnSync(process.execPath, ['--input-type=module'], { input: script, env, cwd: dirname(fileURLToPath(import.meta.url)), encoding: 'utf8', timeout: 30_000 });
}

const setup = `
  import { createEngine } from 'attnkit';
  const workers = [];
  process.on('worker', (w) => workers.push(w)); // the engine's worker threads, as they start
  const engine = await createEngine({ backend: 'wasm', threads: 2 });
  // 4 heads of 1024 × 1024 × 64: far above the size under which a call stays on the main thread.
  const S = 1024, H = 4, D = 64;
  const q = Float32Array.from({ length: S * H * D }, (_, i) => Math.sin(i));
  const opts = { seqQ: S, seqK: S, numHeads: H, headDim: D };
  const attempt = () => { try { engine.attention(q, q, q, opts); return 'ok'; } catch (err) { return err.message; } };
`;

it('a worker thread terminated during a call: the call throws, later calls throw at once', () => {
  const child = run(`${setup}
    const healthy = attempt();
    void workers[0].terminate(); // stops while the main thread waits for its share
    const started = Date.now();
    const failed = attempt();
    const waited = Date.now() - started;
    const later = attempt();
    console.log(JSON.stringify({ workers: workers.length, healthy, failed, later, waited }));
  `);
  expect(child.signal).toBeNull(); // not killed by the timeout: no hang
  expect(child.stderr).toBe('');
  const report = JSON.parse(String(child.stdout));
  expect(report.workers).toBe(1);
  expect(report.healthy).toBe('ok');
  expect(report.failed).toMatch(/attnkit: worker thread 1 of this threaded engine exited during a call; .*create a new engine/);
  expect(report.later).toBe(report.failed);
  expect(report.waited).toBeLessThan(10_000);
  expect(child.status).toBe(0);
});

it('a healthy threaded call much longer than one bounded wait completes', () => {
  const child = run(`${setup}
    const big = { seqQ: 2048, seqK: 2048, numHeads: 4, headDim: 64 };
    const q2 = Float32Array.from({ length: 2048 * 4 * 64 }, (_, i) => Math.cos(i));
    const one = await createEngine({ backend: 'wasm' });
    const started = Date.now();
    const out = engine.attention(q2, q2, q2, big).output;
    const ms = Date.now() - started;
    const want = one.attention(q2, q2, q2, big).output;
    const a = new Uint32Array(out.buffer), b = new Uint32Array(want.buffer);
    console.log(JSON.stringify({ ms, length: out.length, identical: a.every((x, i) => x === b[i]) }));
  `);
  expect(child.signal).toBeNull();
  expect(child.stderr).toBe('');
  const report = JSON.parse(String(child.stdout));
  expect(report.length).toBe(2048 * 4 * 64);
  expect(report.identical).toBe(true);
  expect(report.ms).toBeGreaterThan(0);
});
