// A Node HTTP service on attnkit:
//   POST /attention {"sentence": "…"}           → tokens and attention weights (JSON)
//   POST /encode    {"sentence": "…"} or {"ids": [..]}, optional "format": "base64"
//                                                → { tokens?, length, dim, output }: the encoder's
//                                                  output [length, dim] as nested arrays, or as
//                                                  base64 of its little-endian float32 bytes
//   POST /embed     {"texts": ["…", …]}            → { dim, embeddings }: one unit vector per
//                                                  text (mean pooling) of a BERT-family model,
//                                                  served when the service has one (MODEL_DIR)
// /encode and /embed run on a worker pool, so the event loop keeps answering while the encoder
// computes; a full queue or a crashed worker answers 503 (Retry-After: 1), and a client
// that hangs up aborts its call. Without a pool (POOL=0) it runs on the event loop.
// Run: `pnpm exec tsx examples/node-service/server.ts` (PORT, default 8787; POOL, workers,
// default: one per core; DIM and HEADS size the encoder, default 16 and 2; MODEL_DIR, a
// folder with config.json, model.safetensors and tokenizer.json, serves /embed).
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createEngine, type EncodeResult, type LoadModelOptions, type Pool } from 'attnkit';
import { attend, tokenize, toyConfig, toyEncoder, ROWS } from '../toy-model.js';

export interface ServiceOptions {
  /** Serve /encode on this pool; without one, /encode runs on the event loop's engine. */
  pool?: Pool;
  /** The encoder's width and heads (default: the toy model's 16 and 2). */
  dim?: number;
  heads?: number;
  /** A model for /embed (loaded on the pool when there is one); without it /embed is a 404. */
  model?: LoadModelOptions;
}

/** A model folder as the Hugging Face Hub has it: config.json, model.safetensors, tokenizer.json. */
export function modelFolder(dir: string): LoadModelOptions {
  return { config: readFileSync(join(dir, 'config.json'), 'utf8'), weights: join(dir, 'model.safetensors'), tokenizer: readFileSync(join(dir, 'tokenizer.json'), 'utf8') };
}

/** Error codes of the pool that mean "try again": the service answers 503. */
const BUSY = new Set(['ATTNKIT_QUEUE_FULL', 'ATTNKIT_WORKER_EXITED', 'ATTNKIT_POOL_CLOSED']);

/** The service, not yet listening (the tests listen on a free port). */
export async function createService(options: ServiceOptions = {}): Promise<Server> {
  const engine = await createEngine(); // one engine for the process
  const toy = toyEncoder(engine);
  const config = toyConfig(options.dim, options.heads);
  const dim = config.dim;
  const encode: (ids: Int32Array, signal: AbortSignal) => Promise<EncodeResult> = options.pool
    ? await options.pool.encoder(config).then((pooled) => (ids, signal) => pooled.encode(ids, { signal }))
    : ((local) => async (ids) => local.encode(ids))(engine.encoder(config));

  const embed: ((texts: string[], signal: AbortSignal) => Promise<Float32Array>) | undefined =
    options.model === undefined
      ? undefined
      : options.pool
        ? await options.pool.loadModel(options.model).then((model) => (texts, signal) => model.embed(texts, { signal }))
        : await engine.loadModel(options.model).then((model) => async (texts) => model.embed(texts));

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

  async function handleEncode(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const request = JSON.parse(body) as { sentence?: unknown; ids?: unknown; format?: unknown };
    let tokens: string[] | undefined;
    let ids: Int32Array;
    if (typeof request.sentence === 'string') ({ tokens, ids } = tokenize(request.sentence));
    else if (Array.isArray(request.ids) && request.ids.every((id) => Number.isInteger(id) && id >= 0 && id < ROWS)) ids = Int32Array.from(request.ids as number[]);
    else throw new TypeError(`expected { "sentence": string } or { "ids": integers in [0, ${ROWS}) }`);
    // A client that hangs up before its answer frees its place in the queue.
    const abandoned = new AbortController();
    res.on('close', () => res.writableEnded || abandoned.abort());
    const { output } = await encode(ids, abandoned.signal);
    const values = request.format === 'base64' ? Buffer.from(output.buffer, output.byteOffset, output.byteLength).toString('base64') : Array.from({ length: ids.length }, (_, i) => Array.from(output.subarray(i * dim, (i + 1) * dim)));
    json(res, 200, { ...(tokens ? { tokens } : {}), length: ids.length, dim, output: values });
  }

  async function handleEmbed(res: ServerResponse, body: string, run: NonNullable<typeof embed>): Promise<void> {
    const { texts } = JSON.parse(body) as { texts?: unknown };
    if (!Array.isArray(texts) || texts.length === 0 || !texts.every((t) => typeof t === 'string')) throw new TypeError('expected { "texts": [string, …] }');
    const abandoned = new AbortController();
    res.on('close', () => res.writableEnded || abandoned.abort());
    const vectors = await run(texts as string[], abandoned.signal);
    const width = vectors.length / texts.length;
    json(res, 200, { dim: width, embeddings: texts.map((_, i) => Array.from(vectors.subarray(i * width, (i + 1) * width))) });
  }

  return createServer(async (req, res) => {
    const route = req.url?.split('?')[0];
    const known = route === '/attention' || route === '/encode' || (route === '/embed' && embed !== undefined);
    if (req.method !== 'POST' || !known) return void res.writeHead(404).end();
    let body = '';
    for await (const chunk of req) body += chunk;
    try {
      if (route === '/encode') return await handleEncode(req, res, body);
      if (route === '/embed') return await handleEmbed(res, body, embed!);
      const { sentence } = JSON.parse(body) as { sentence: unknown };
      if (typeof sentence !== 'string') throw new TypeError('expected { "sentence": string }');
      json(res, 200, attend(toy, sentence));
    } catch (err) {
      if (res.headersSent || res.destroyed) return;
      const code = (err as { code?: string }).code;
      if (code !== undefined && BUSY.has(code)) return json(res, 503, { error: String(err), code }, { 'retry-after': '1' });
      json(res, 400, { error: String(err) });
    }
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.env.PORT ?? 8787);
  const size = process.env.POOL === undefined ? undefined : Number(process.env.POOL);
  const { createPool } = await import('attnkit');
  const pool = size === 0 ? undefined : await createPool({ size });
  const dim = process.env.DIM === undefined ? undefined : Number(process.env.DIM);
  const heads = process.env.HEADS === undefined ? undefined : Number(process.env.HEADS);
  const model = process.env.MODEL_DIR === undefined ? undefined : modelFolder(process.env.MODEL_DIR);
  const server = (await createService({ pool, dim, heads, model })).listen(port, () => console.log(`attnkit service on http://localhost:${port} (/attention, /encode${model ? ', /embed' : ''} on ${pool ? `${pool.size} workers` : 'the event loop'})`));
  process.once('SIGTERM', () => server.close(() => void pool?.close()));
}
