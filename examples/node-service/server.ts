// A Node HTTP service: POST /attention with { "sentence": "…" } → tokens and attention
// weights as JSON. Run: `pnpm exec tsx examples/node-service/server.ts` (PORT, default 8787).
import { createServer, type Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import { createEngine } from 'attnkit';
import { attend, toyEncoder } from '../toy-model.js';

/** The service, not yet listening (the test listens on a free port). */
export async function createService(): Promise<Server> {
  const encoder = toyEncoder(await createEngine()); // one engine for the process
  return createServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/attention') return void res.writeHead(404).end();
    let body = '';
    for await (const chunk of req) body += chunk;
    try {
      const { sentence } = JSON.parse(body) as { sentence: unknown };
      if (typeof sentence !== 'string') throw new TypeError('expected { "sentence": string }');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(attend(encoder, sentence)));
    } catch (err) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(err) }));
    }
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.env.PORT ?? 8787);
  (await createService()).listen(port, () => console.log(`attnkit service on http://localhost:${port}/attention`));
}
