// Serves the repository so that the page runs without a bundler (TypeScript is compiled on
// the fly): `pnpm run build && pnpm exec tsx examples/browser/serve.ts`, then open the URL.
import { serve } from '../../test/runtimes/serve.js';

const { origin } = await serve(Number(process.env.PORT ?? 0));
console.log(`${origin}/examples/browser/index.html`);
