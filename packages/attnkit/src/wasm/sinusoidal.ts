/** Sinusoidal positional encoding on the wasm backend: out [S, E] computed in linear memory, copied out. */

import type { WasmCore } from './core.js';

export function sinusoidalEncoding(core: WasmCore, seqLen: number, dim: number, base: number, offset: number, out: Float32Array): void {
  core.scoped((scope) => {
    const pe = scope.empty(out.length);
    core.exports.attnkit_sinusoidal_encoding(seqLen, dim, base, offset, pe);
    out.set(core.f32(pe, out.length));
  });
}
