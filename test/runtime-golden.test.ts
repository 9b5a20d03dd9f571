// The golden cases of every op (embeddings, sinusoidal, rope, attention, multi-head
// attention, the encoder) on the wasm backend inside five real runtimes: Node (here), Deno
// and Bun (child processes), workerd (wrangler's dev server, the package's `workerd`
// entry, under an old Workers compatibility date and a current one) and headless Chromium
// (the `browser` entry). Each must meet the Node golden
// tests' tolerances, and — WebAssembly being deterministic — every output's bytes must
// hash the same in all five.

import { describe, expect, it } from 'vitest';
import { COMPATIBILITY_DATES, goldenInBun, goldenInChromium, goldenInDeno, goldenInNode, goldenInWorkerd } from './runtimes/drivers.js';
import type { GoldenReport } from './runtimes/shared/golden-run.js';

const RUNTIMES = {
  node: goldenInNode,
  deno: goldenInDeno,
  bun: goldenInBun,
  [`workerd ${COMPATIBILITY_DATES.old}`]: () => goldenInWorkerd(COMPATIBILITY_DATES.old),
  [`workerd ${COMPATIBILITY_DATES.current}`]: () => goldenInWorkerd(COMPATIBILITY_DATES.current),
  chromium: goldenInChromium,
};
const reports = new Map<string, GoldenReport>();

describe.each(Object.keys(RUNTIMES))('%s', (runtime) => {
  it('runs every golden case on the wasm backend within tolerance', async () => {
    const report = await RUNTIMES[runtime]();
    reports.set(runtime, report);
    console.log(`${report.runtime}: ${report.results.length} golden cases on '${report.backend}'`);
    expect(report.backend).toBe('wasm');
    expect(report.results.length).toBeGreaterThanOrEqual(50);
    expect(report.results.filter((r) => !r.ok)).toEqual([]);
  });
});

it('the wasm outputs are bit-identical in Node, Deno, Bun, workerd (both dates) and Chromium', () => {
  const node = reports.get('node');
  expect(node, 'the Node report').toBeDefined();
  for (const runtime of Object.keys(RUNTIMES)) {
    const report = reports.get(runtime);
    expect(report, `the ${runtime} report`).toBeDefined();
    const differing = Object.keys(node!.hashes).filter((key) => report!.hashes[key] !== node!.hashes[key]);
    expect(differing, `cases whose outputs differ between node and ${runtime}`).toEqual([]);
    expect(Object.keys(report!.hashes).sort()).toEqual(Object.keys(node!.hashes).sort());
  }
});
