/** The golden BERT cases of test/golden/bert.json (made by scripts/golden/bert.py) and their checkpoints. */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface ModelCase {
  name: string;
  file: string;
  config: Record<string, unknown>;
  input: { ids: number[]; batch: number; seqLen: number; attentionMask: number[]; tokenTypeIds: number[] };
  expected: Record<'f32' | 'f16', { hidden: string; mean: string; cls: string }>;
}

export function loadModelCases(): ModelCase[] {
  return (JSON.parse(readFileSync(goldenPath('bert.json'), 'utf8')) as { cases: ModelCase[] }).cases;
}

export function goldenPath(file: string): string {
  return fileURLToPath(new URL(`../golden/${file}`, import.meta.url));
}

/** The checkpoint's bytes. */
export function checkpoint(c: ModelCase): Uint8Array<ArrayBuffer> {
  return new Uint8Array(readFileSync(goldenPath(c.file)));
}

/** The case's input as typed arrays. */
export function modelInput(c: ModelCase) {
  return {
    ids: Int32Array.from(c.input.ids),
    batch: c.input.batch,
    seqLen: c.input.seqLen,
    attentionMask: Uint8Array.from(c.input.attentionMask),
    tokenTypeIds: Int32Array.from(c.input.tokenTypeIds),
  };
}
