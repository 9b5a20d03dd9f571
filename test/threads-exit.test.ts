// A process that made a threaded engine and used it exits on its own: the worker threads
// are unref'd and never keep the event loop alive.

import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('a process with a threaded engine exits by itself, with code 0', () => {
  const script = `
    import { createEngine } from 'attnkit';
    const engine = await createEngine({ backend: 'wasm', threads: 2 });
    const n = 256 * 4 * 64;
    const q = new Float32Array(n).fill(0.5);
    const out = engine.attention(q, q, q, { seqQ: 256, seqK: 256, numHeads: 4, headDim: 64 }).output;
    console.log(engine.threads, out.length);
  `;
  const started = Date.now();
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // vitest's own loader options are not for this child
  const child = spawnSync(process.execPath, ['--input-type=module'], { input: script, env, cwd: dirname(fileURLToPath(import.meta.url)), encoding: 'utf8', timeout: 20_000 });
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
  expect(child.stdout.trim()).toBe(`2 ${256 * 4 * 64}`);
  expect(Date.now() - started).toBeLessThan(20_000);
});
