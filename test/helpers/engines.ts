/** The two backends, created once per test file. */

import { createEngine, type Engine } from 'attnkit';

export interface Engines {
  wasm: Engine;
  ts: Engine;
}

export async function bothEngines(): Promise<Engines> {
  const [wasm, ts] = await Promise.all([createEngine({ backend: 'wasm' }), createEngine({ backend: 'ts' })]);
  return { wasm, ts };
}
