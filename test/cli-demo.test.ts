// `attnkit demo` walks the worked example and prints its numbers.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { attnkit } from './helpers/cli.js';

it.each(['wasm', 'ts'])("demo on %s prints the worked example's tokens, vectors and sums", (backend) => {
  const { code, stdout, stderr } = attnkit('demo', '--backend', backend);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(stdout).toContain(`backend ${backend}, dim 3, 1 head, positional example`);
  expect(stdout).toContain('1. Tokenization: ["I", "love", "machine", "learning"]');
  expect(stdout).toContain('- "love"     -> [0.2, 0.4, 0.6]');
  expect(stdout).toContain('- Position 4 -> [0.04, 0.05, 0.06]');
  for (const line of [
    '"I"        -> [0.1+0.01, 0.3+0.02, 0.5+0.03] = [0.11, 0.32, 0.53]',
    '"love"     -> [0.2+0.02, 0.4+0.03, 0.6+0.04] = [0.22, 0.43, 0.64]',
    '"machine"  -> [0.3+0.03, 0.5+0.04, 0.7+0.05] = [0.33, 0.54, 0.75]',
    '"learning" -> [0.4+0.04, 0.6+0.05, 0.8+0.06] = [0.44, 0.65, 0.86]',
  ]) expect(stdout).toContain(line);
  expect(stdout).toMatch(/4\. Self-attention weights[^\n]*\n\n +I +love +machine +learning\n/);
  expect(stdout).toMatch(/Contextual output vectors:\n(- "\w+" +-> \[-?[\d.]+, -?[\d.]+, -?[\d.]+\]\n?){4}$/);
  expect(stdout).not.toMatch(/\x1b\[/); // piped: no colour codes
});

// `script` (util-linux's bsdutils, essential on Debian) gives the command a terminal.
const cli = fileURLToPath(new URL('../packages/attnkit/dist/cli.js', import.meta.url));

it('colours the heatmap on a terminal unless NO_COLOR is set', () => {
  const onTerminal = (env: Record<string, string>) =>
    spawnSync('script', ['-qec', `"${process.execPath}" "${cli}" demo`, '/dev/null'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '', ...env } }).stdout;
  expect(onTerminal({})).toMatch(/\x1b\[48;5;\d+m/);
  expect(onTerminal({ NO_COLOR: '1' })).not.toMatch(/\x1b\[/);
});
