/**
 * The Node options of this process that a worker thread accepts. `new Worker` refuses V8
 * options and process-wide ones (`--expose-gc`, `--max-old-space-size`, `--title`, …), and
 * a worker started from a file refuses `--input-type`; everything else (`--import`,
 * `--conditions`, loaders) is passed on so that workers load modules as this process does.
 * Node only (the pool and the threaded engine).
 */

const REFUSED = /^--(input[-_]type|expose[-_]gc|max[-_]old[-_]space[-_]size|max[-_]semi[-_]space[-_]size|stack[-_]size|title|allow[-_]natives[-_]syntax|trace[-_]|prof\b|perf[-_]|jitless|single[-_]threaded)/;

export function workerExecArgv(): string[] {
  return (globalThis.process?.execArgv ?? []).filter((arg) => !REFUSED.test(arg));
}
