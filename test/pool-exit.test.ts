// A process that used a pool exits by itself once the pool is closed (and while it sits
// idle): workers hold the event loop only while calls are pending.

import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

function run(script: string): ReturnType<typeof spawnSync> {
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // vitest's own loader options are not for this child
  return spawnSync(process.execPath, ['--input-type=module'], { input: script, env, cwd: dirname(fileURLToPath(import.meta.url)), encoding: 'utf8', timeout: 20_000 });
}

it('a process whose pool is closed exits with code 0', () => {
  const child = run(`
    import { createPool } from 'attnkit';
    const pool = await createPool({ size: 2 });
    const enc = await pool.encoder({ table: new Float32Array(40).fill(0.5), dim: 4, positional: 'sinusoidal' });
    const results = await Promise.all([[1, 2], [3, 4], [5]].map((ids) => enc.encode(ids)));
    await pool.close();
    console.log(pool.size, results.map((r) => r.output.length).join(','));
  `);
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
  expect(child.signal).toBeNull(); // not killed by the timeout
  expect(String(child.stdout).trim()).toBe('2 8,8,4');
});

it('a pending call keeps the process alive until it settles; an idle open pool does not', () => {
  const child = run(`
    import { createPool } from 'attnkit';
    const pool = await createPool({ size: 1 });
    pool.sinusoidalEncoding(4, 8).then((pe) => console.log('settled', pe.length));
  `);
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
  expect(child.signal).toBeNull();
  expect(String(child.stdout).trim()).toBe('settled 32');
});
