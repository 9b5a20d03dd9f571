/** Placeholder for the `tokenizer.json` tokenizer (see tokenizer-port.ts): not in this build. */

import type { CreateTokenizer } from './tokenizer-port.js';

export const createTokenizer: CreateTokenizer = () => {
  throw new Error('loadModel: tokenizers are not available in this build of attnkit; pass token ids to forward/embed');
};
