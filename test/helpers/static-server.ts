/** A directory served over HTTP on 127.0.0.1 (files only, with their length), until `close()`. */

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join, normalize, sep } from 'node:path';

export async function serveDirectory(dir: string): Promise<{ url: string; requests: string[]; close: () => Promise<void> }> {
  const requests: string[] = [];
  const root = normalize(dir + sep);
  const server = createServer((req, res) => {
    const path = normalize(join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    requests.push(req.url ?? '');
    if (!path.startsWith(root)) return void res.writeHead(403).end();
    stat(path).then(
      (s) => {
        if (!s.isFile()) return void res.writeHead(404).end('not found');
        res.writeHead(200, { 'content-length': s.size, 'content-type': 'application/octet-stream' });
        createReadStream(path).pipe(res);
      },
      () => res.writeHead(404).end('not found'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('serveDirectory: no port');
  return { url: `http://127.0.0.1:${address.port}/`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
