// createEngine's own arguments.

import { createEngine } from 'attnkit';
import { describe, expect, it } from 'vitest';

describe('createEngine', () => {
  it('rejects an unknown backend with a RangeError naming it', async () => {
    await expect(createEngine({ backend: 'gpu' as 'ts' })).rejects.toThrow(RangeError);
    await expect(createEngine({ backend: 'gpu' as 'ts' })).rejects.toThrow(/backend must be 'wasm', 'ts' or absent, got "gpu"/);
  });

  it('rejects a module that is neither a WebAssembly.Module nor bytes', async () => {
    await expect(createEngine({ backend: 'wasm', module: 'attnkit.wasm' as unknown as BufferSource })).rejects.toThrow(TypeError);
  });

  it('rejects options that are not an object', async () => {
    await expect(createEngine(null as unknown as object)).rejects.toThrow(/options must be an object, got null/);
  });

  it('without a backend picks wasm here (Node 20 has SIMD128), with no fallback reason', async () => {
    const engine = await createEngine();
    expect(engine.backend).toBe('wasm');
    expect(engine.fallbackReason).toBeUndefined();
  });
});
