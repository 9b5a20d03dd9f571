/** Multi-head attention layers: the resident one, and the forward both forms share. */

import { checkForward } from './checks/mha.js';
import type { MhaCall, MhaDims, MhaHandle } from './backend.js';
import { Resident } from './resident.js';
import type { ForwardOptions, MultiHeadAttentionResult, SelfAttentionLayer } from './types.js';

/** weights [B, H, S, T] → their mean over heads [B, S, T]. */
export function averageOverHeads(weights: Float32Array, batch: number, heads: number, rows: number): Float32Array {
  const mean = new Float32Array(batch * rows);
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < rows; r++) {
      let sum = 0;
      for (let h = 0; h < heads; h++) sum += weights[(b * heads + h) * rows + r];
      mean[b * rows + r] = sum / heads;
    }
  }
  return mean;
}

/** Runs a checked forward: allocates the output (and weights), averages when asked. */
export function runForward(layer: MhaHandle, x: Float32Array, dims: MhaDims, call: MhaCall, returnWeights: boolean, averageWeights: boolean): MultiHeadAttentionResult {
  const { batch: B, seqLen: S, seqK: T } = call;
  const output = new Float32Array(B * S * dims.embedDim);
  if (!returnWeights) {
    layer.forward(x, call, output);
    return { output };
  }
  const weights = new Float32Array(B * dims.numHeads * S * T);
  layer.forward(x, call, output, weights);
  return { output, weights: averageWeights ? averageOverHeads(weights, B, dims.numHeads, S * T) : weights };
}

export class ResidentMha implements SelfAttentionLayer {
  private readonly resident: Resident<MhaHandle>;

  constructor(
    handle: MhaHandle,
    private readonly dims: MhaDims,
    private readonly rope: MhaCall['rope'],
    private readonly causal: boolean,
  ) {
    this.resident = new Resident(handle, 'layer');
  }

  get embedDim(): number {
    return this.dims.embedDim;
  }

  get numHeads(): number {
    return this.dims.numHeads;
  }

  get numKvHeads(): number {
    return this.dims.numKvHeads;
  }

  forward(x: Float32Array, opts: ForwardOptions): MultiHeadAttentionResult {
    const op = 'selfAttention.forward';
    const layer = this.resident.use(op);
    const { call, returnWeights, averageWeights } = checkForward(op, x, opts, this.dims, this.rope, this.causal);
    return runForward(layer, x, this.dims, call, returnWeights, averageWeights);
  }

  dispose(): void {
    this.resident.dispose();
  }
}
