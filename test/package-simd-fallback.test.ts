// Without WebAssembly SIMD128 (forced here by stubbing what the detection asks the
// runtime), createEngine() falls back to the 'ts' backend and says why; asking for 'wasm'
// explicitly throws with the same reason. Nothing is compiled on that path.

import { createEngine } from 'attnkit';
import { afterEach, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

it("a runtime whose WebAssembly lacks SIMD128 gets the 'ts' backend and the reason", async () => {
  vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
  const compile = vi.spyOn(WebAssembly, 'compile');
  const engine = await createEngine();
  expect(engine.backend).toBe('ts');
  expect(engine.fallbackReason).toMatch(/has WebAssembly but not its SIMD128 extension; using the 'ts' backend/);
  expect(engine.memoryBytes).toBe(0);
  expect(Array.from(engine.embeddingLookup(Float32Array.of(1, 2, 3, 4), 2, [1, 0]))).toEqual([3, 4, 1, 2]);
  expect(compile).not.toHaveBeenCalled();
});

it("a runtime without WebAssembly gets the 'ts' backend and the reason", async () => {
  vi.stubGlobal('WebAssembly', undefined);
  const engine = await createEngine();
  expect(engine.backend).toBe('ts');
  expect(engine.fallbackReason).toMatch(/this runtime has no WebAssembly; using the 'ts' backend/);
});

it("backend: 'wasm' without SIMD128 throws instead of falling back", async () => {
  vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
  await expect(createEngine({ backend: 'wasm' })).rejects.toThrow(/the 'wasm' backend needs WebAssembly SIMD128: this runtime has WebAssembly but not its SIMD128 extension/);
});

it('with SIMD128 there is no fallback reason', async () => {
  const engine = await createEngine();
  expect(engine.backend).toBe('wasm');
  expect(engine.fallbackReason).toBeUndefined();
});
