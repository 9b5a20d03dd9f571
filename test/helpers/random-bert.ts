/**
 * Random BERT checkpoints of real shapes (MiniLM-L6, bge-small) for memory tests and
 * benchmarks: the file of bert-checkpoint.ts `randomCheckpoint` (names with the `bert.`
 * prefix), written to disk tensor by tensor, so it is never whole in memory.
 */

import { closeSync, openSync, writeSync } from 'node:fs';
import { checkpointHeader, MINILM_L6, tensorBytes, type BertShape } from './bert-checkpoint.js';

export { bertConfig, MINILM_L6, type BertShape } from './bert-checkpoint.js';

export const BGE_SMALL: BertShape = { ...MINILM_L6, numLayers: 12 };

/** Writes the checkpoint of the shape to `path`; returns the bytes of its tensors. */
export function writeRandomBert(path: string, s: BertShape, seed = 1): number {
  const { header, dataBytes, tensors } = checkpointHeader(s, 'bert.');
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, header);
    for (const bytes of tensorBytes(tensors, seed)) writeSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
  return dataBytes;
}
