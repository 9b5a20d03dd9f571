// Runs the golden cases in the page (served by test/runtimes/serve.ts, which compiles this
// file to JavaScript); the report is left in `window.goldenReport` (or `goldenError`).

import { createEngine } from 'attnkit';
import { OPS, runGolden, type Fixtures } from '../shared/golden-run.js';

const w = window as unknown as { goldenReport?: unknown; goldenError?: string };
try {
  const fixtures: Fixtures = {};
  for (const op of OPS) fixtures[op] = await (await fetch(`/test/golden/${op}.json`)).json();
  const engine = await createEngine();
  w.goldenReport = await runGolden(`chromium ${navigator.userAgent.match(/Chrom\w+\/[\d.]+/)?.[0] ?? ''}`, engine, fixtures);
} catch (err) {
  w.goldenError = String(err);
}
