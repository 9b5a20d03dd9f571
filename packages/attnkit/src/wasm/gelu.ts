/** GELU on the wasm backend: x copied in, activated in place, copied out. */

import type { WasmCore } from './core.js';

export function gelu(core: WasmCore, x: Float32Array, tanh: boolean, out: Float32Array): void {
  core.scoped((scope) => {
    const p = scope.f32(x);
    core.exports.attnkit_gelu(p, x.length, tanh ? 1 : 0);
    out.set(core.f32(p, out.length));
  });
}
