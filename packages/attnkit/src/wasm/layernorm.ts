/** Layer normalisation on the wasm backend: x copied in, normalised in place, copied out. */

import type { WasmCore } from './core.js';

export function layerNorm(core: WasmCore, x: Float32Array, rows: number, e: number, w: Float32Array, b: Float32Array | undefined, eps: number, out: Float32Array): void {
  core.scoped((scope) => {
    const h = scope.f32(x);
    core.exports.attnkit_layer_norm(h, 0, rows, e, scope.f32(w), b !== undefined ? scope.f32(b) : 0, eps);
    out.set(core.f32(h, out.length));
  });
}
