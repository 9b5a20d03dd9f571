/**
 * The stateless linear layer on the wasm backend: W packed into the GEMM's panels for this
 * call, y ← x · Wᵀ + b by the packed kernel, copied out. (A model packs its weights once.)
 */

import type { WasmCore } from './core.js';

export function linear(core: WasmCore, x: Float32Array, m: number, k: number, w: Float32Array, n: number, b: Float32Array | undefined, out: Float32Array): void {
  const wasm = core.exports;
  core.scoped((scope) => {
    const packed = scope.empty(wasm.attnkit_packed_len(n, k));
    wasm.attnkit_pack_weights(scope.f32(w), n, k, packed);
    const y = scope.empty(m * n);
    wasm.attnkit_linear(scope.f32(x), m, k, packed, n, b !== undefined ? scope.f32(b) : 0, y);
    out.set(core.f32(y, out.length));
  });
}
