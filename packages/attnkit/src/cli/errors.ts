/** Errors the command line reports as one line (`attnkit: …`) and an exit code. */

export class CliError extends Error {
  /** 2 for usage errors (bad options), 1 for everything else. */
  constructor(message: string, readonly exitCode: 1 | 2 = 1) {
    super(message);
  }
}

export const usageError = (message: string) => new CliError(message, 2);
