// The release module's size budget: it is what every user downloads, and what a
// Cloudflare Worker bundles.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';

const require = createRequire(import.meta.url);

it('the release .wasm is under 100 KB, exports only the C ABI, and imports nothing', () => {
  const bytes = readFileSync(require.resolve('attnkit/attnkit.wasm'));
  console.log(`attnkit.wasm: ${bytes.length} bytes, ${gzipSync(bytes, { level: 9 }).length} gzipped`);
  expect(bytes.length).toBeLessThan(100 * 1024);
  const module = new WebAssembly.Module(bytes);
  expect(WebAssembly.Module.imports(module)).toEqual([]);
  const functions = WebAssembly.Module.exports(module).filter((e) => e.kind === 'function');
  expect(functions.every((e) => e.name.startsWith('attnkit_'))).toBe(true);
});
