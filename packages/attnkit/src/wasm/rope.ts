/** Rotary position embedding on the wasm backend: x [B, S, H, D] copied in, rotated in place in linear memory, copied out. */

import type { BshdShape } from '../backend.js';
import type { WasmCore } from './core.js';

export function rope(core: WasmCore, x: Float32Array, shape: BshdShape, positions: Int32Array, base: number, interleaved: boolean, out: Float32Array): void {
  core.scoped((scope) => {
    const rotated = scope.f32(x);
    const pos = scope.i32(positions);
    core.exports.attnkit_rope(rotated, shape.batch, shape.seqLen, shape.numHeads, shape.headDim, pos, base, interleaved ? 1 : 0);
    out.set(core.f32(rotated, out.length));
  });
}
