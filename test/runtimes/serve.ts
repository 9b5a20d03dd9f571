/**
 * A static server for Chromium pages: serves the repository (test pages, examples, the
 * built package) on 127.0.0.1 and compiles `.ts` to JavaScript on the fly (a request for
 * `x.js` serves `x.ts` when only that exists), so the pages use the same TypeScript as
 * the other runtimes without a bundler.
 */

import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
};

/** The only installed packages pages may load (through an import map): the package's dependencies. */
const VENDORED = ['packages/attnkit/node_modules/@huggingface/tokenizers/dist/'];

async function exists(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

async function load(path: string): Promise<{ body: Buffer | string; type: string } | undefined> {
  if (await exists(path)) return { body: await readFile(path), type: TYPES[extname(path)] ?? 'application/octet-stream' };
  const source = path.endsWith('.js') ? path.slice(0, -3) + '.ts' : undefined;
  if (source === undefined || !(await exists(source))) return undefined;
  const { outputText } = ts.transpileModule(await readFile(source, 'utf8'), {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022, verbatimModuleSyntax: false },
  });
  return { body: outputText, type: TYPES['.js'] };
}

/** Starts the server (on a free port by default); resolves to its origin and a close function. */
export async function serve(port = 0): Promise<{ origin: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = normalize(join(ROOT, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    if (!path.startsWith(ROOT) || (path.split(sep).includes('node_modules') && !VENDORED.some((dir) => path.startsWith(join(ROOT, dir))))) {
      res.writeHead(403).end();
      return;
    }
    load(path).then(
      (file) => {
        if (file === undefined) res.writeHead(404).end('not found');
        else res.writeHead(200, { 'content-type': file.type }).end(file.body);
      },
      (err: unknown) => res.writeHead(500).end(String(err)),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('serve: no port');
  return { origin: `http://127.0.0.1:${address.port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
