/**
 * Strided row copies between a BSHD tensor and a contiguous block: the gathers and scatters
 * around a kernel that runs on some of the heads (wasm/attention.ts `attentionUnits`).
 */

/**
 * dst rows ← src rows: `rows` rows of `width` floats, row r read at srcAt + r·srcStride and
 * written at dstAt + r·dstStride. An element loop, not `set(subarray(…))`: a view object
 * per row would be S·H pieces of garbage per tensor, and the young generation's growth
 * shows in peak RSS on long sequences.
 */
export function copyRows(src: Float32Array, srcAt: number, srcStride: number, dst: Float32Array, dstAt: number, dstStride: number, rows: number, width: number): void {
  if (srcStride === width && dstStride === width) {
    // Rows that follow each other on both sides: one block copy.
    dst.set(src.subarray(srcAt, srcAt + rows * width), dstAt);
    return;
  }
  for (let r = 0; r < rows; r++) {
    const from = srcAt + r * srcStride;
    const to = dstAt + r * dstStride;
    for (let c = 0; c < width; c++) dst[to + c] = src[from + c];
  }
}
