// A Cloudflare Worker answering with sentence embeddings from a BERT-family model:
//   POST /embed       {"texts": ["…", …]} → {"dim": 384, "embeddings": [[…], …]}  (mean pooling, L2-normalised)
//   POST /similarity  {"texts": ["…", …]} → {"similarity": [[1, 0.42, …], …]}     (cosines of those embeddings)
// The model (config.json, tokenizer.json, model.safetensors under the MODEL_URL binding) is
// fetched and loaded once per isolate, its weights streamed from the response body into
// attnkit's memory and kept as f16 (all-MiniLM-L6-v2: 45 MB, inside a Worker's 128 MB).
import { createEngine, type Model } from 'attnkit';

interface Env {
  MODEL_URL: string;
}

/** At most this many texts a request: a batch is computed at once. */
const MAX_TEXTS = 64;

let model: Promise<Model> | undefined;

function loadModel(env: Env): Promise<Model> {
  if (model === undefined) {
    const base = env.MODEL_URL.endsWith('/') ? env.MODEL_URL : `${env.MODEL_URL}/`;
    const get = async (name: string) => {
      const response = await fetch(new URL(name, base));
      if (!response.ok) throw new Error(`${name}: HTTP ${response.status} from ${base}`);
      return response;
    };
    model = (async () => {
      const [config, tokenizer, engine] = await Promise.all([get('config.json').then((r) => r.text()), get('tokenizer.json').then((r) => r.text()), createEngine()]);
      return engine.loadModel({ config, tokenizer, weights: get('model.safetensors'), dtype: 'f16' });
    })();
    model.catch(() => (model = undefined)); // a failed load is tried again by the next request
  }
  return model;
}

const error = (status: number, message: string) => Response.json({ error: message }, { status });

/** The request's texts, or the reason they are not acceptable. */
async function textsOf(request: Request): Promise<string[] | string> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return 'the body must be JSON: {"texts": ["…"]}';
  }
  const texts = (body as { texts?: unknown } | null)?.texts;
  if (!Array.isArray(texts) || texts.length === 0 || texts.length > MAX_TEXTS) return `"texts" must be an array of 1 to ${MAX_TEXTS} strings`;
  const bad = texts.findIndex((t) => typeof t !== 'string');
  return bad >= 0 ? `texts[${bad}] must be a string` : (texts as string[]);
}

function rows(data: Float32Array, width: number): number[][] {
  return Array.from({ length: data.length / width }, (_, i) => Array.from(data.subarray(i * width, (i + 1) * width)));
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname !== '/embed' && pathname !== '/similarity') return error(404, 'POST /embed or POST /similarity with {"texts": ["…"]}');
    if (request.method !== 'POST') return error(405, `${pathname} takes POST {"texts": ["…"]}`);
    const texts = await textsOf(request);
    if (typeof texts === 'string') return error(400, texts);
    let loaded: Model;
    try {
      loaded = await loadModel(env);
    } catch (err) {
      return error(502, `the model could not be loaded: ${(err as Error).message}`);
    }
    const embeddings = loaded.embed(texts);
    const dim = embeddings.length / texts.length;
    if (pathname === '/embed') return Response.json({ dim, embeddings: rows(embeddings, dim) });
    const similarity = new Float32Array(texts.length * texts.length);
    for (let i = 0; i < texts.length; i++) {
      for (let j = 0; j < texts.length; j++) {
        let dot = 0;
        for (let c = 0; c < dim; c++) dot += embeddings[i * dim + c] * embeddings[j * dim + c];
        similarity[i * texts.length + j] = dot; // unit vectors: the dot product is the cosine
      }
    }
    return Response.json({ similarity: rows(similarity, texts.length) });
  },
};
