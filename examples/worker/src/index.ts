// A Cloudflare Worker: GET /?q=<sentence> → the sentence's attention weights as JSON.
// attnkit's `workerd` entry imports its .wasm as a module: nothing compiles at run time.
import { createEngine } from 'attnkit';
import { attend, toyEncoder } from '../../toy-model.js';

const encoder = createEngine().then(toyEncoder); // once per isolate, reused by every request

export default {
  async fetch(request: Request): Promise<Response> {
    const sentence = new URL(request.url).searchParams.get('q') ?? 'I love machine learning';
    return Response.json(attend(await encoder, sentence));
  },
};
