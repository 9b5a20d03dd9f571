/** Shared shape of a bad-input test: the error class, the message, and nothing changed. */

import { expect } from 'vitest';

/**
 * Asserts that `call` throws `kind` with a message matching every pattern (the op, the
 * argument's name, what was expected and what was got).
 */
export function expectRejects(call: () => unknown, kind: typeof RangeError | typeof TypeError | typeof Error, ...patterns: RegExp[]): void {
  let error: unknown;
  try {
    call();
  } catch (err) {
    error = err;
  }
  expect(error, 'the call should have thrown').toBeInstanceOf(kind);
  if (kind !== TypeError) expect(error).not.toBeInstanceOf(TypeError);
  for (const pattern of patterns) expect((error as Error).message).toMatch(pattern);
}
