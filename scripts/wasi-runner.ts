/**
 * Cargo's runner for `--target wasm32-wasi`: runs a test binary (argv[2]) in Node's WASI
 * with the remaining arguments, and exits with its status.
 */

import { readFile } from 'node:fs/promises';
import { argv, env, exit } from 'node:process';
import { WASI } from 'node:wasi';

const [binary, ...args] = argv.slice(2);
const wasi = new WASI({ version: 'preview1', args: [binary, ...args], env, preopens: { '.': '.' }, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(binary));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject() as WebAssembly.Imports);
exit(wasi.start(instance));
