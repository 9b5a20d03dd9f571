#!/usr/bin/env node
/**
 * The `attnkit` command: runs the worked example's pipeline on a sentence, finds nearest
 * words and analogies in word vectors, or embeds texts with a BERT model folder (see
 * `attnkit --help`).
 * Every failure is one line on stderr and a non-zero exit: 2 for usage, 1 otherwise.
 */

import { readFileSync } from 'node:fs';
import { HELP, parseOptions, useColor } from './cli/args.js';
import { CliError } from './cli/errors.js';
import { embed } from './cli/embed.js';
import { encode } from './cli/run.js';
import { similar } from './cli/similar.js';

async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  if (options.command === 'help') {
    console.log(HELP);
    return 0;
  }
  if (options.command === 'version') {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    console.log(pkg.version);
    return 0;
  }
  if (options.command === 'similar' || options.command === 'analogy') {
    await similar(options, (text) => console.log(text));
    return 0;
  }
  const color = useColor(options.color, process.stdout.isTTY, process.env);
  const print = (text: string) => console.log(text);
  if (options.command === 'embed') await embed({ ...options, color }, print);
  else await encode({ ...options, color }, print);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`attnkit: ${message.split('\n')[0]}\n`);
    process.exitCode = err instanceof CliError ? err.exitCode : 1;
  },
);
