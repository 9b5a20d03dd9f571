/**
 * A Worker that imports attnkit the way a user's Worker does (wrangler resolves the
 * package's `workerd` condition; the `.wasm` arrives as a compiled WebAssembly.Module).
 * Driven over HTTP by test/runtime-golden.test.ts and test/runtime-workerd-http.test.ts:
 * - GET /golden    → the golden report of every fixture on the wasm backend (JSON)
 * - POST /encode   → { sentence } in, shared/sentence.ts's encoding of it out (JSON)
 * - GET /codegen   → whether this runtime compiles wasm bytes at run time (workerd must not)
 * - GET /tokenize  → the report of the tokenization cases (shared/tokenize-run.ts)
 * - POST /model    → { url, texts, dtype }: loads the BERT folder at `url` (config.json,
 *                    tokenizer.json, and model.safetensors streamed from its fetch Response)
 *                    and answers the texts' ids, embeddings and the model's memoryBytes
 */

import { createEngine } from 'attnkit';
import attention from '../../golden/attention.json' with { type: 'json' };
import embedding from '../../golden/embedding.json' with { type: 'json' };
import encoder from '../../golden/encoder.json' with { type: 'json' };
import mha from '../../golden/mha.json' with { type: 'json' };
import rope from '../../golden/rope.json' with { type: 'json' };
import sinusoidal from '../../golden/sinusoidal.json' with { type: 'json' };
import { runGolden, type Fixtures } from '../shared/golden-run.js';
import { encodeSentence } from '../shared/sentence.js';
import tokenize from '../../golden/tokenize.json' with { type: 'json' };
import wordpiece from '../../golden/wordpiece-tokenizer.json' with { type: 'json' };
import { runTokenize, type TokenizeCase } from '../shared/tokenize-run.js';

const fixtures = { embedding, sinusoidal, rope, attention, mha, encoder } as unknown as Fixtures;

/** The smallest valid module: 8 header bytes. */
const EMPTY_MODULE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === '/model' && request.method === 'POST') {
      const { url: base, texts, dtype } = (await request.json()) as { url: string; texts: string[]; dtype: 'f32' | 'f16' };
      const get = async (name: string) => {
        const response = await fetch(new URL(name, base));
        if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
        return response;
      };
      const model = await (await createEngine()).loadModel({ config: await (await get('config.json')).text(), tokenizer: await (await get('tokenizer.json')).text(), weights: await get('model.safetensors'), dtype });
      const { ids } = model.tokenize(texts);
      const body = { ids: Array.from(ids), embeddings: Array.from(model.embed(texts)), memoryBytes: model.memoryBytes };
      model.dispose();
      return Response.json(body);
    }
    if (url.pathname === '/tokenize') {
      // Loaded on demand, as the model loads it.
      const { createTokenizer } = await import('../../../packages/attnkit/dist/model/tokenizer.js');
      return Response.json(runTokenize('workerd', createTokenizer, JSON.stringify(wordpiece), tokenize.cases as TokenizeCase[]));
    }
    const engine = await createEngine();
    if (url.pathname === '/golden') return Response.json(await runGolden('workerd', engine, fixtures));
    if (url.pathname === '/encode' && request.method === 'POST') {
      const { sentence } = (await request.json()) as { sentence: string };
      return Response.json(encodeSentence(engine, sentence));
    }
    if (url.pathname === '/codegen') {
      const compiled = await WebAssembly.compile(EMPTY_MODULE).then(() => 'compiled', (err: unknown) => String(err));
      const fromBytes = await createEngine({ backend: 'wasm', module: EMPTY_MODULE }).then(() => 'created', (err: unknown) => String(err));
      return Response.json({ compiled, fromBytes });
    }
    return new Response('not found', { status: 404 });
  },
};
