/** Positions offset, offset + 1, …, offset + length − 1: the rows of a sequence, for rope. */
export function positions(offset: number, length: number): Int32Array {
  return Int32Array.from({ length }, (_, i) => offset + i);
}
