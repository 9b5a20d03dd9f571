// createPool in Node, Deno and Bun (their worker_threads): bit-identical results, a killed
// worker replaced, close() ending the process; the browser entry's createPool rejects
// with a clear error (same API, no worker threads there).

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const bin = (name: string) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));
const script = fileURLToPath(new URL('./runtimes/shared/pool-run.ts', import.meta.url));
const expected = { size: 2, identical: true, killed: 'ATTNKIT_WORKER_EXITED', identicalAfterKill: true, pending: 0 };

const runtimes: [string, string, string[]][] = [
  ['node', bin('tsx'), [script]],
  ['deno', bin('deno'), ['run', '--quiet', '--sloppy-imports', '--allow-read', '--allow-env', script]],
  ['bun', bin('bun'), [script]],
];

it.each(runtimes)('a pool in %s', async (_name, command, args) => {
  const { stdout } = await run(command, args, { cwd: fileURLToPath(new URL('.', import.meta.url)), timeout: 50_000, env: { ...process.env, NO_COLOR: '1' } });
  expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual(expected);
});

it("the browser entry's createPool rejects, naming what to use instead", async () => {
  const entry = new URL('../packages/attnkit/dist/index.browser.js', import.meta.url).href;
  const { createPool } = (await import(entry)) as typeof import('attnkit');
  await expect(createPool()).rejects.toThrow(/createPool: worker pools need worker_threads \(Node, Deno, Bun\).*use createEngine/);
});
