// workerPriority: on Linux the pool's worker threads run at the process's nice value plus
// workerPriority (read back from /proc/self/task/*/stat), so the thread running the event
// loop is scheduled first; values outside [0, 19] are a RangeError.

import { readdirSync, readFileSync } from 'node:fs';
import { createPool } from 'attnkit';
import { expect, it } from 'vitest';

/** The nice value of every thread of this process (field 19 of /proc/self/task/TID/stat). */
function threadNices(): number[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

it('workerPriority: 10 lowers exactly the workers by 10 (Linux)', async () => {
  const base = threadNices()[0]; // the main thread's
  const pool = await createPool({ size: 2, workerPriority: 10 });
  try {
    expect((await pool.sinusoidalEncoding(2, 4)).length).toBe(8);
    expect(threadNices().filter((n) => n === Math.min(19, base + 10)).length).toBe(2);
  } finally {
    await pool.close();
  }
  const plain = await createPool({ size: 1 });
  await plain.sinusoidalEncoding(2, 4);
  expect(threadNices().filter((n) => n !== base).length).toBe(0);
  await plain.close();
});

it.each([-1, 20, 1.5])('workerPriority: %s is a RangeError', async (workerPriority) => {
  await expect(createPool({ workerPriority })).rejects.toThrow(/createPool: options\.workerPriority must be an integer in \[0, 19\]/);
});
