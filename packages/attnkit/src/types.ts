/**
 * Public types of attnkit. Shapes use the letters of the Rust core:
 * N ids, R table rows, E embedding width, B batch, S query length, T key length,
 * H query heads, Hkv key/value heads, D head width. Every tensor is row-major.
 */

/** Token ids: an `Int32Array`, a `Uint32Array` or a plain array of integers. */
export type Ids = Int32Array | Uint32Array | readonly number[];

/** Which implementation runs the kernels. */
export type Backend = 'wasm' | 'ts';

/** Options of {@link Engine.sinusoidalEncoding}. */
export interface SinusoidalOptions {
  /** Wavelength base; default 10000. Must be finite and > 0. */
  base?: number;
  /** Position of the first row; default 0. An integer. */
  offset?: number;
}

/** Options of {@link Engine.rope}: the shape of `x` ([B, S, H, D]) and the rotation. */
export interface RopeOptions {
  /** B; default 1. */
  batch?: number;
  /** S. */
  seqLen: number;
  /** H. */
  numHeads: number;
  /** D; must be even. */
  headDim: number;
  /** θ_j = base^(−2j/D); default 10000. */
  base?: number;
  /** Positions are offset + index; default 0. Ignored when `positions` is given. */
  offset?: number;
  /** One position per sequence index, length S; replaces offset + index. */
  positions?: Int32Array;
  /** false (default): pairs (j, j + D/2), Llama / NeoX. true: pairs (2j, 2j+1), GPT-J. */
  interleaved?: boolean;
}

/** A table kept inside the engine: see {@link Engine.embedding}. */
export interface ResidentEmbedding {
  /** R: rows of the table. */
  readonly rows: number;
  /** E: width of a row. */
  readonly dim: number;
  /** [N, E] ← table[ids]. Same checks and result as {@link Engine.embeddingLookup}. */
  lookup(ids: Ids, out?: Float32Array): Float32Array;
  /** Frees the engine's copy of the table; any later use throws an `Error`. */
  dispose(): void;
}

/** Options of {@link Engine.attention}. q is [B, S, H, D]; k and v are [B, T, Hkv, D]. */
export interface AttentionOptions {
  /** B; default 1. */
  batch?: number;
  /** S: query positions. */
  seqQ: number;
  /** T: key/value positions. */
  seqK: number;
  /** H: query heads. */
  numHeads: number;
  /** Hkv: key/value heads; default H; must divide H (query head h reads kv head ⌊h / (H/Hkv)⌋). */
  numKvHeads?: number;
  /** D: width of a head. */
  headDim: number;
  /** Multiplies q·kᵀ; default 1/√D. A finite number > 0 (else a RangeError). */
  scale?: number;
  /** Query i sees keys j ≤ i + (T − S): bottom-right aligned, as PyTorch's `causal_lower_right` and FlashAttention 2 (PyTorch's `is_causal=True` is top-left aligned; the two agree when S = T). */
  causal?: boolean;
  /** Additive mask, [S, T] (every batch and head) or [B, H, S, T]; −Infinity removes a key. */
  mask?: Float32Array;
  /** [B, T]; a non-zero byte marks a padding key, which no query sees. */
  keyPaddingMask?: Uint8Array;
  /** Also return the softmax probabilities [B, H, S, T]; default false. */
  returnWeights?: boolean;
}

/** What attention returns: `output` [B, S, H, D] and, when asked, `weights`. */
export interface AttentionResult {
  output: Float32Array;
  weights?: Float32Array;
}

/**
 * Projection weights in PyTorch's [out, in] layout (y = x·Wᵀ + b): wq and wo are [E, E],
 * wk and wv [Hkv·D, E]. A missing bias is zero.
 */
export interface AttentionParams {
  wq: Float32Array;
  wk: Float32Array;
  wv: Float32Array;
  wo: Float32Array;
  bq?: Float32Array;
  bk?: Float32Array;
  bv?: Float32Array;
  bo?: Float32Array;
}

/** Rotary embedding inside attention: applied to q and k after their projections. */
export interface AttentionRope {
  /** Default 10000. */
  base?: number;
  /** Default false (rotate-half, Llama / NeoX). */
  interleaved?: boolean;
  /** q and k positions are offset + index; default 0. */
  offset?: number;
}

/** The options of one self- or cross-attention call on [B, S, E] activations. */
export interface ForwardOptions {
  /** B; default 1. */
  batch?: number;
  /** S. */
  seqLen: number;
  /** Cross-attention source [B, T, E]; default x itself. */
  kv?: Float32Array;
  /** T: positions of `kv`; default S without kv, kv.length / (B·E) with it. */
  seqK?: number;
  /** Default false. */
  causal?: boolean;
  /** Additive, [S, T] or [B, H, S, T]. */
  mask?: Float32Array;
  /** [B, T], non-zero = padding. */
  keyPaddingMask?: Uint8Array;
  /** Return the attention probabilities; default false. */
  returnWeights?: boolean;
  /** With returnWeights: average over heads, [B, S, T] instead of [B, H, S, T]; default false. */
  averageWeights?: boolean;
}

/** Options of {@link Engine.multiHeadAttention}. */
export interface MultiHeadAttentionOptions extends ForwardOptions {
  /** E. */
  embedDim: number;
  /** H; must divide E (D = E / H). */
  numHeads: number;
  /** Hkv; default H; must divide H. */
  numKvHeads?: number;
  rope?: AttentionRope;
}

/** What a layer returns: `output` [B, S, E] and, when asked, `weights`. */
export type MultiHeadAttentionResult = AttentionResult;

/** The fixed part of a resident layer: see {@link Engine.selfAttention}. */
export interface SelfAttentionConfig {
  /** E: width of x and of the output. */
  embedDim: number;
  /** H; must divide E (D = E / H). */
  numHeads: number;
  /** Hkv; default H; must divide H. wk and wv are then [Hkv·D, E]. */
  numKvHeads?: number;
  /** Rotary embedding of q and k after their projections; default none. D must be even. */
  rope?: AttentionRope;
  /** Default for every forward; a forward's own `causal` overrides it. */
  causal?: boolean;
}

/** A multi-head attention layer whose weights live inside the engine. */
export interface SelfAttentionLayer {
  /** E. */
  readonly embedDim: number;
  /** H. */
  readonly numHeads: number;
  /** Hkv (H when the config did not set it). */
  readonly numKvHeads: number;
  /** Same result as {@link Engine.multiHeadAttention} with this layer's weights and config. */
  forward(x: Float32Array, opts: ForwardOptions): MultiHeadAttentionResult;
  /** Frees the weights; any later use throws an `Error`. */
  dispose(): void;
}

/** How an encoder adds position: see {@link Engine.encoder}. */
export type Positional = 'sinusoidal' | 'none' | { learned: Float32Array } | { rope: { base?: number; interleaved?: boolean } };

/** The worked example's pipeline: tokens → embeddings → + positional encoding → self-attention. */
export interface EncoderConfig {
  /**
   * The token table [R, dim]: a Float32Array (copied into the engine at creation), or
   * word vectors from {@link Engine.loadVectors} of the same engine, whose rows are read
   * where they are (not copied; disposing them makes the encoder unusable).
   */
  table: Float32Array | WordVectors;
  /** E: width of a token vector. */
  dim: number;
  /**
   * 'sinusoidal' (base 10000, positions 0…S−1), 'none', `{ learned }` (a [maxLen, dim]
   * table added row by row; ids longer than maxLen are a RangeError) or `{ rope }`.
   */
  positional: Positional;
  /** The self-attention step; without it `output` equals `inputs`. */
  attention?: {
    /** As in {@link Engine.multiHeadAttention}, with embedDim = dim. */
    params: AttentionParams;
    /** H; must divide dim. */
    numHeads: number;
    /** Hkv; default H. */
    numKvHeads?: number;
    /** Default false. */
    causal?: boolean;
  };
}

/** One encoded sequence. */
export interface EncodeResult {
  /** Embeddings + positional encodings, [S, dim] (bare embeddings with rope). */
  inputs: Float32Array;
  /** The attention output [S, dim]; without attention, `inputs` itself (the same array). */
  output: Float32Array;
  /** Per-head probabilities [H, S, S]; absent without attention. */
  weights?: Float32Array;
}

/** An encoder: owns its table, positional table and layer like a resident object. */
export interface Encoder {
  /** E. */
  readonly dim: number;
  /**
   * ids [S] (each in [0, R)) → inputs, output [S, dim] and weights [H, S, S].
   *
   * `out` (as in `embedding.lookup(ids, out)`): a
   * Float32Array of exactly S·dim elements that receives `inputs` and is returned as
   * `inputs` — and as `output` when there is no attention. With attention, `output` and
   * `weights` are fresh arrays as without `out`. Checked before any work: not a
   * Float32Array is a TypeError, a wrong length a RangeError; a bad id leaves it untouched.
   * Without `out`, every array is fresh and JS-owned (valid after the engine's memory grows).
   */
  encode(ids: Ids, out?: Float32Array): EncodeResult;
  /** Frees the table and the layer; any later use throws an `Error`. */
  dispose(): void;
}

/** Options of {@link createEngine}. */
/**
 * Where the core module comes from: precompiled (what Cloudflare Workers and bundlers
 * hand you), its bytes, a `Response` (or a promise of one, e.g. `fetch(url)`), or a `URL`
 * (fetched; `file:` URLs are read from disk where the runtime has a file system).
 */
export type ModuleSource = WebAssembly.Module | BufferSource | Response | PromiseLike<Response> | URL;

/** Options of `createEngine`. */
export interface EngineOptions {
  /** 'wasm', 'ts', or absent: 'wasm' where WebAssembly SIMD runs, else 'ts'. */
  backend?: Backend;
  /**
   * The core module: a `WebAssembly.Module` (what Cloudflare Workers and bundlers hand
   * you), its bytes, a `Response` or a promise of one (`fetch(url)`), or a `URL`. Each
   * source is compiled once per process. Without it the package loads its own `.wasm`.
   */
  module?: ModuleSource;
  /**
   * Threads for attention and attention layers, an integer ≥ 1; default 1 (everything on
   * the calling thread). N > 1 is used in Node on the 'wasm' backend: N − 1
   * `worker_threads` (unref'd: they never keep the process alive; each holds its own
   * instance of the core and, for every resident layer, its own copy of the packed
   * weights) and the calling thread, which blocks until all are done, so every op stays
   * synchronous. `attention` splits by (batch, kv head); layers split their projections
   * by rows and their attention the same way; a loaded model's forward of two or more
   * sequences splits them between the threads (each thread keeps a copy of the model's
   * weights); calls under 2^22 multiply-adds, and every other op, stay on the calling
   * thread. Results are bit-identical to 1 thread.
   * Elsewhere (browsers, workerd, Deno, Bun, the 'ts' backend) N falls back to 1:
   * `engine.threads` says how many are used. An error inside a worker is rethrown on the
   * calling thread. A worker that dies outright (terminated from outside the engine) is
   * noticed within about 50 ms while the calling thread waits for it: that call throws an
   * `Error`, the engine stops its other threads, and every later threaded call throws the
   * same (create a new engine). For calls that must not block the event loop, see `createPool`.
   */
  threads?: number;
}

/** An attnkit engine: every op of the API on one backend. */
export interface Engine {
  /** The backend that runs this engine's kernels. */
  readonly backend: Backend;
  /** Why `createEngine()` without a backend chose 'ts' (absent when it chose 'wasm'). */
  readonly fallbackReason?: string;
  /**
   * Size in bytes of the engine's WebAssembly linear memory (0 on the 'ts' backend).
   * It grows as resident tensors are created and never shrinks (WebAssembly memories
   * cannot); freed blocks are reused.
   */
  readonly memoryBytes: number;
  /**
   * Threads this engine's attention runs on: the `threads` option of `createEngine`
   * where it could be honoured (Node, 'wasm' backend), else 1.
   */
  readonly threads: number;

  /**
   * Embedding lookup. `table` is [R, E] with E = `dim`; returns [N, E] where row i is
   * `table[ids[i]]`. An id outside [0, R) or not an integer is a `RangeError` naming its
   * position and value; with `out`, a bad id leaves `out` untouched.
   * Accuracy: exact (`ACCURACY.embedding` = 0), rows are copied.
   */
  embeddingLookup(table: Float32Array, dim: number, ids: Ids, out?: Float32Array): Float32Array;

  /**
   * Sinusoidal positional encoding, [seqLen, dim]: with p = row + offset,
   * PE[p, 2i] = sin(p / base^(2i/dim)) and PE[p, 2i+1] = cos(p / base^(2i/dim)).
   * An odd `dim` ends with a sine column.
   * Accuracy: within `ACCURACY.sinusoidal` = 2⁻²³ of float64 (angle and sin/cos in float64,
   * rounded once).
   */
  sinusoidalEncoding(seqLen: number, dim: number, opts?: SinusoidalOptions): Float32Array;

  /**
   * Rotary position embedding of `x` ([B, S, H, D], BSHD): returns the rotated copy;
   * `x` is not modified. See {@link RopeOptions} for the two pairings.
   * Accuracy: within `ACCURACY.rope` × max |x| (4 · 2⁻²³ × max |x|) of float64.
   */
  rope(x: Float32Array, opts: RopeOptions, out?: Float32Array): Float32Array;

  /**
   * Keeps a copy of `table` ([R, dim]) inside the engine (in WebAssembly memory on the
   * 'wasm' backend), so lookups do not copy the table per call.
   */
  embedding(table: Float32Array, dim: number): ResidentEmbedding;

  /**
   * Scaled dot-product attention, softmax(q·kᵀ·scale + mask)·v per head, in BSHD layout:
   * q [B, S, H, D], k and v [B, T, Hkv, D] → output [B, S, H, D], weights [B, H, S, T].
   * A query row whose every key is masked yields zeros, not NaN. NaN in q, k or v (or a
   * +∞ score) makes that query row NaN, as in PyTorch; a removed key's (masked, padded or
   * causally hidden) values never reach the output, even when they are NaN.
   * Accuracy (unit-scale q, k, v, D ≤ 70): within `ACCURACY.attention.fewKeys` = 5e-6 of
   * float64 for T < 256 keys, `ACCURACY.attention.manyKeys` = 1e-5 beyond.
   * `out` [B, S, H, D], when given, receives the output and is returned as `output`: a call
   * in a loop then allocates no output (a fresh array's pages are first touched, and paid
   * for, by the call). It must not share memory with q, k or v.
   */
  attention(q: Float32Array, k: Float32Array, v: Float32Array, opts: AttentionOptions, out?: Float32Array): AttentionResult;

  /**
   * Multi-head attention as PyTorch's `nn.MultiheadAttention(E, H, batch_first=True)`:
   * x [B, S, E] → output [B, S, E]; weights [B, H, S, T] (or [B, S, T] averaged).
   * Accuracy (unit-scale x, weights ≤ 1/√E, E ≤ 96): within `ACCURACY.mha` = 2e-5 of float64.
   */
  multiHeadAttention(x: Float32Array, params: AttentionParams, opts: MultiHeadAttentionOptions): MultiHeadAttentionResult;

  /**
   * A resident multi-head attention layer: the weights are copied (and packed) once. Same
   * results and accuracy as {@link Engine.multiHeadAttention}.
   */
  selfAttention(params: AttentionParams, config: SelfAttentionConfig): SelfAttentionLayer;

  /**
   * The worked example's four steps in one resident object: tokens → embeddings →
   * + positional encoding → self-attention. Accuracy at the worked example's sizes
   * (dim ≤ 8): within `ACCURACY.encoder` = 2e-6 of float64.
   */
  encoder(config: EncoderConfig): Encoder;

  /**
   * Layer normalisation over the last dimension, as PyTorch's `F.layer_norm(x, [dim],
   * weight, bias, eps)`: each row of `dim` values becomes (x − mean) / √(var + eps) ·
   * weight + bias, with the biased variance. `x` is [R, dim] (any R ≥ 0), `weight` and
   * `bias` [dim]; `bias` undefined means zero. Accuracy against float64: see
   * {@link LayerNormOptions}.
   */
  layerNorm(x: Float32Array, weight: Float32Array, bias: Float32Array | undefined, opts: LayerNormOptions, out?: Float32Array): Float32Array;

  /**
   * GELU, elementwise, as PyTorch's `F.gelu(x, approximate)`: `'none'` (default)
   * x·½·(1 + erf(x/√2)), `'tanh'` x·½·(1 + tanh(√(2/π)·(x + 0.044715·x³))). See
   * {@link GeluOptions} for the accuracy.
   */
  gelu(x: Float32Array, opts?: GeluOptions, out?: Float32Array): Float32Array;

  /**
   * A linear layer as PyTorch's `F.linear`: y = x · Wᵀ + b, `x` [M, inFeatures], `weight`
   * [outFeatures, inFeatures] (PyTorch's and safetensors' layout, no transpose), `bias`
   * [outFeatures] or undefined (zero); returns [M, outFeatures]. See {@link LinearOptions}
   * for the accuracy.
   */
  linear(x: Float32Array, weight: Float32Array, bias: Float32Array | undefined, opts: LinearOptions, out?: Float32Array): Float32Array;

  /**
   * Loads a BERT-family encoder (`model_type: "bert"`: all-MiniLM, bge, e5, gte, …) from
   * its Hugging Face config and safetensors checkpoint, streamed into the engine once.
   * Every problem with the config or the checkpoint is found before memory is allocated
   * where the source's size is known; after any failure (and on abort) the engine's
   * memory is back where it was. See {@link LoadModelOptions} and {@link Model}.
   */
  loadModel(options: LoadModelOptions): Promise<Model>;

  /**
   * Loads pretrained word vectors (GloVe, word2vec text or binary, fastText .vec, or .npy
   * with a vocabulary) into the engine, streaming: rows go into the engine's table as
   * they are parsed, stored as `opts.dtype`. Rejects with a `SyntaxError` for a malformed
   * file (naming the format and the line or byte offset), a `RangeError` before
   * allocating when the table cannot be held, an `AbortError` when `opts.signal` aborts;
   * after any failure the engine's memory is as it was.
   */
  loadVectors(source: Source, opts?: LoadVectorsOptions): Promise<WordVectors>;
}

/** Options of {@link Engine.loadModel}. */
export interface LoadModelOptions extends LoadOptions {
  /**
   * Hugging Face `config.json` (the object or its text). `model_type` must be `"bert"`;
   * read: hidden_size, num_hidden_layers, num_attention_heads, intermediate_size,
   * vocab_size, max_position_embeddings, type_vocab_size (default 2), layer_norm_eps
   * (default 1e-12), hidden_act (`gelu`: erf form; `gelu_new`, `gelu_pytorch_tanh`: tanh form).
   */
  config: object | string;
  /**
   * A safetensors checkpoint (F32, F16 or BF16 weights) as bytes, a Blob, a Response, a
   * stream or a file path. Tensor names are `BertModel`'s, with or without the `bert.`
   * prefix; tensors the model does not use (the pooler, heads, `position_ids`) are skipped
   * whatever their dtype. A malformed file is a `SyntaxError` naming the offset or the
   * tensor; a checkpoint that disagrees with the config (missing tensor, wrong shape,
   * unsupported dtype of a used tensor, more layers) an `Error` naming the tensor and the
   * config key.
   */
  weights: Source;
  /** Hugging Face `tokenizer.json` (the object or its text), for `tokenize` and `embed(texts)`. */
  tokenizer?: object | string;
  /**
   * How the word embeddings and dense weights are stored: `'f32'` (default) or `'f16'`
   * (half the memory; F32 and BF16 weights are rounded to f16 once, at load). Compute is
   * f32 either way (f16 weights are widened as the GEMM packs its panels); biases,
   * LayerNorm weights and the position and token-type tables stay f32. A weight beyond
   * f16's range (|w| ≥ 65520; trained encoders' weights are far inside it) becomes ±∞.
   */
  dtype?: 'f32' | 'f16';
}

/** A loaded model's sizes, from its config. */
export interface ModelConfig {
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  vocabSize: number;
  maxPositions: number;
  typeVocabSize: number;
  layerNormEps: number;
  hiddenAct: 'gelu' | 'gelu_new' | 'gelu_pytorch_tanh';
}

/** Token ids for {@link Model.forward} and {@link Model.embed}, row-major [batch, seqLen]. */
export interface ModelInput {
  /** [B, S] ids in [0, vocabSize). */
  ids: Ids;
  /** B; default 1. */
  batch?: number;
  /** S ≤ maxPositions. */
  seqLen: number;
  /** [B, S], 1 = token, 0 = padding (Hugging Face's convention); default all tokens. */
  attentionMask?: Uint8Array;
  /** [B, S] ids in [0, typeVocabSize); default 0. */
  tokenTypeIds?: Ids;
}

/** What {@link Model.tokenize} returns: row-major [batch, seqLen], padded to the longest text. */
export interface TokenizedBatch {
  ids: Int32Array;
  /** 1 = token, 0 = padding. */
  attentionMask: Uint8Array;
  tokenTypeIds: Int32Array;
  batch: number;
  seqLen: number;
}

/** Options of {@link Model.tokenize}. */
export interface TokenizeOptions {
  /** Longest sequence, counting [CLS] and [SEP]; default (and at most) maxPositions. */
  maxLength?: number;
}

/** Options of {@link Model.embed}. */
export interface EmbedOptions {
  /**
   * `'mean'` (default): the average of the rows whose attention mask is 1
   * (sentence-transformers' mean pooling); `'cls'`: the first row; `'none'`: every row
   * ([B, S, E]).
   */
  pooling?: 'mean' | 'cls' | 'none';
  /** Divide each vector by its L2 norm (at least 1e-12), as `F.normalize`; default true. */
  normalize?: boolean;
}

/**
 * A loaded BERT encoder. Accuracy against float64 PyTorch at the tested sizes (1 and 3
 * layers, hidden ≤ 16): `ACCURACY.model.forward` (5e-6) max abs on `forward`,
 * `ACCURACY.model.embed` (1e-6) on `embed` (unit vectors), on both backends; with
 * `dtype: 'f16'` the weights themselves are rounded to f16 at load.
 */
export interface Model {
  readonly config: ModelConfig;
  /** Bytes the model holds in the engine (weights in their storage dtype, packed). */
  readonly memoryBytes: number;
  /**
   * `BertModel(...).last_hidden_state`, [B, S, hiddenSize]: word + position (0…S−1) +
   * token-type embeddings, LayerNorm, then post-norm layers (attention with the padding
   * mask, GELU feed-forward). Padding rows are computed too, as Hugging Face does.
   */
  forward(input: ModelInput, out?: Float32Array): Float32Array;
  /** Tokenizes texts with the model's tokenizer; throws when it was loaded without one. */
  tokenize(texts: readonly string[], opts?: TokenizeOptions): TokenizedBatch;
  /** Sentence embeddings [B, hiddenSize] (or [B, S, hiddenSize] for `'none'`) of texts or ids. */
  embed(input: readonly string[] | ModelInput, opts?: EmbedOptions): Float32Array;
  /** Frees the model's memory; any later use throws an `Error`. */
  dispose(): void;
}

/**
 * Options of {@link Engine.layerNorm}. Accuracy: `ACCURACY.layerNorm` (1e-5) of float64
 * PyTorch for rows of up to 1024 values of unit scale ('wasm' sums in f32 lanes, 'ts' in f64).
 */
export interface LayerNormOptions {
  /** Width of the normalised (last) dimension; `x.length` must be a multiple of it. */
  dim: number;
  /** Added to the variance; default 1e-5 (PyTorch's). A finite number > 0. */
  eps?: number;
}

/**
 * Options of {@link Engine.gelu}. Accuracy against float64 PyTorch: `ACCURACY.gelu` (2e-6)
 * absolute for every x, both forms (the erf form's erf is a rational approximation within
 * 5e-7 of erf in f32 on 'wasm', 6.5e-8 in the f64 of 'ts'). GELU(−∞) is NaN, as in
 * PyTorch; NaN stays NaN.
 */
export interface GeluOptions {
  /** `'none'` (default): the erf form; `'tanh'`: the tanh approximation (`gelu_new`). */
  approximate?: 'none' | 'tanh';
}

/**
 * Options of {@link Engine.linear}. Accuracy: `ACCURACY.linear` (2e-5) of float64 for x of
 * unit scale, W of scale 1/√inFeatures and inFeatures ≤ 384 ('wasm' sums in f32 with the
 * packed GEMM, 'ts' in f64).
 */
export interface LinearOptions {
  /** K: width of a row of x and of W. */
  inFeatures: number;
  /** N: rows of W, width of a row of the result. */
  outFeatures: number;
}


/** How word vectors are stored: f32; f16 (round to nearest even); int8 (per-row symmetric scale). */
export type VectorDtype = 'f32' | 'f16' | 'int8';

/** Options of {@link Engine.loadVectors}. */
export interface LoadVectorsOptions extends LoadOptions {
  /**
   * The file's format: 'glove' (a word and its values per line, no header), 'word2vec'
   * (a `rows dim` header line, then text rows: gensim's text format and fastText's .vec),
   * 'word2vec-binary' (the header, then per row the word, a space and dim little-endian
   * f32), 'npy' (a 2-D `<f4` or `<f2` C-order array; the words in `vocab`).
   * @default 'auto' (detected from the content)
   */
  format?: 'auto' | 'glove' | 'word2vec' | 'word2vec-binary' | 'npy';
  /** 'npy' only: the words, one per row of the array (an array, or a source with one word per line). */
  vocab?: Source | string[];
  /**
   * Storage: 'f32' (exact), 'f16' (≤ 2⁻¹¹ relative error; |x| ≥ 65520 is a RangeError) or
   * 'int8' (per row, scale = max|x| / 127; ≤ scale / 2 per element).
   * @default 'f32'
   */
  dtype?: VectorDtype;
  /** Keep the first N rows (counted as read, duplicates included, as gensim's `limit`). @default all */
  limit?: number;
}

/** One answer of `nearest` or `analogy`. */
export interface Neighbour {
  word: string;
  /** The word's row. */
  id: number;
  /** Cosine similarity with the query. */
  score: number;
}

/**
 * Word vectors kept in the engine, with gensim `KeyedVectors` semantics. Also a resident
 * embedding: `lookup(ids)` returns the stored rows as f32.
 */
export interface WordVectors extends ResidentEmbedding {
  /** How the rows are stored. */
  readonly dtype: VectorDtype;
  /** Row i's word. */
  readonly words: readonly string[];
  /** Rows whose word had been seen already (the first row is kept, as gensim does). */
  readonly duplicates: number;
  /** The word's row, or −1 when it is not in the vocabulary. */
  id(word: string): number;
  /** The words' rows; a RangeError names the first unknown word and its 0-based position. */
  ids(words: readonly string[]): Int32Array;
  /** One row (by word or id) as a fresh f32 array; an unknown word is a RangeError. */
  vector(word: string | number): Float32Array;
  /** Cosine similarity of two words. */
  similarity(a: string, b: string): number;
  /**
   * The k rows with the highest cosine with `query` (a word, itself excluded, or a
   * vector of length dim), best first, ties by lower id; `opts.exclude` drops more words.
   * @param k default 10
   */
  nearest(query: string | Float32Array, k?: number, opts?: { exclude?: readonly string[] }): Neighbour[];
  /**
   * "a is to b as c is to …": gensim's `most_similar(positive=[b, c], negative=[a])`, the
   * rows nearest the mean of the unit vectors of b and c minus a's; a, b and c excluded.
   * @param k default 10
   */
  analogy(a: string, b: string, c: string, k?: number): Neighbour[];
}

import type { LoadOptions, Source } from './source.js';
export type { LoadOptions, LoadProgress, Source } from './source.js';

/** Options of `createPool`. */
export interface PoolOptions {
  /** Worker threads, each with its own engine; an integer in [1, 256]. @default os.availableParallelism() */
  size?: number;
  /** The backend of every worker's engine; 'auto' as `createEngine()` without a backend. @default 'auto' */
  backend?: Backend | 'auto';
  /**
   * Calls waiting for a worker beyond which a new call rejects at once with an `Error`
   * whose `code` is `'ATTNKIT_QUEUE_FULL'` (running calls do not count). @default 1024
   */
  maxQueue?: number;
  /**
   * How long (ms) a batchable call (`forward`, `encode`, `lookup`) may wait for others of
   * its shape to run with it as one batch; 0 batches only what is already queued when a
   * worker frees up. @default 0
   */
  batchWindowMs?: number;
  /**
   * Run concurrent calls of one resident object's batchable method as one batch (results
   * are the same either way; batches give more throughput under load). @default true
   */
  batching?: boolean;
  /**
   * How much lower the workers' scheduling priority is than the process's: a nice value in
   * [0, 19], as `os.setPriority`. With more busy threads than cores, 10 lets the thread
   * running the event loop be scheduled first, which keeps its delay short while the
   * workers compute (Linux, where priorities are per thread; elsewhere ignored). @default 0
   */
  workerPriority?: number;
}

/** The per-call option of every pooled call. */
export interface PoolCallOptions {
  /** Aborting removes a queued call, or discards a running one's result; the call rejects with an `AbortError` `DOMException`. */
  signal?: AbortSignal;
}

/** The `code` of an error the pool raises. */
export type PoolErrorCode = 'ATTNKIT_QUEUE_FULL' | 'ATTNKIT_WORKER_EXITED' | 'ATTNKIT_POOL_CLOSED';

/** {@link ResidentEmbedding} in every worker of a pool: the same methods, returning Promises. */
export interface PooledEmbedding {
  readonly rows: number;
  readonly dim: number;
  lookup(ids: Ids, out?: Float32Array, call?: PoolCallOptions): Promise<Float32Array>;
  lookup(ids: Ids, call?: PoolCallOptions): Promise<Float32Array>;
  /** Frees the table in every worker once the calls already accepted have settled; later calls reject. */
  dispose(): void;
}

/** {@link SelfAttentionLayer} in every worker of a pool: the same methods, returning Promises. */
export interface PooledSelfAttentionLayer {
  readonly embedDim: number;
  readonly numHeads: number;
  readonly numKvHeads: number;
  forward(x: Float32Array, opts: ForwardOptions & PoolCallOptions): Promise<MultiHeadAttentionResult>;
  /** Frees the weights in every worker once the calls already accepted have settled; later calls reject. */
  dispose(): void;
}

/** {@link Encoder} in every worker of a pool: the same methods, returning Promises. */
export interface PooledEncoder {
  readonly dim: number;
  encode(ids: Ids, out?: Float32Array, call?: PoolCallOptions): Promise<EncodeResult>;
  encode(ids: Ids, call?: PoolCallOptions): Promise<EncodeResult>;
  /** Frees the tables and the layer in every worker once the calls already accepted have settled. */
  dispose(): void;
}

/** {@link WordVectors} in every worker of a pool: the same properties, and methods returning Promises. */
export interface PooledWordVectors {
  readonly rows: number;
  readonly dim: number;
  readonly dtype: VectorDtype;
  readonly words: readonly string[];
  readonly duplicates: number;
  lookup(ids: Ids, out?: Float32Array, call?: PoolCallOptions): Promise<Float32Array>;
  lookup(ids: Ids, call?: PoolCallOptions): Promise<Float32Array>;
  id(word: string, call?: PoolCallOptions): Promise<number>;
  ids(words: readonly string[], call?: PoolCallOptions): Promise<Int32Array>;
  vector(word: string | number, call?: PoolCallOptions): Promise<Float32Array>;
  similarity(a: string, b: string, call?: PoolCallOptions): Promise<number>;
  nearest(query: string | Float32Array, k?: number, opts?: { exclude?: readonly string[] } & PoolCallOptions): Promise<Neighbour[]>;
  analogy(a: string, b: string, c: string, k?: number, call?: PoolCallOptions): Promise<Neighbour[]>;
  /** Frees the table in every worker once the calls already accepted have settled; later calls reject. */
  dispose(): void;
}

/** {@link Model} in every worker of a pool: the same properties, and methods returning Promises. */
export interface PooledModel {
  readonly config: ModelConfig;
  readonly memoryBytes: number;
  forward(input: ModelInput, out?: Float32Array, call?: PoolCallOptions): Promise<Float32Array>;
  forward(input: ModelInput, call?: PoolCallOptions): Promise<Float32Array>;
  tokenize(texts: readonly string[], opts?: TokenizeOptions & PoolCallOptions): Promise<TokenizedBatch>;
  embed(input: readonly string[] | ModelInput, opts?: EmbedOptions & PoolCallOptions): Promise<Float32Array>;
  /** Frees the weights in every worker once the calls already accepted have settled; later calls reject. */
  dispose(): void;
}

/**
 * Worker threads, each with its own engine, behind the engine's API as Promises: the
 * caller's thread never computes, so a service keeps answering while they do. Inputs are
 * copied to the worker that runs the call (or shared when they live in a
 * `SharedArrayBuffer`) and never detached or changed; results come back transferred and
 * are identical, bit for bit, to the engine's for the same inputs. Errors of the pool carry
 * a `code` ({@link PoolErrorCode}); an aborted call rejects with an `AbortError`.
 */
export interface Pool {
  /** Workers in the pool. */
  readonly size: number;
  /** Calls accepted and not yet settled (queued, running, and resident objects being made). */
  readonly pending: number;
  embeddingLookup(table: Float32Array, dim: number, ids: Ids, out?: Float32Array, call?: PoolCallOptions): Promise<Float32Array>;
  sinusoidalEncoding(seqLen: number, dim: number, opts?: SinusoidalOptions & PoolCallOptions): Promise<Float32Array>;
  rope(x: Float32Array, opts: RopeOptions & PoolCallOptions, out?: Float32Array): Promise<Float32Array>;
  attention(q: Float32Array, k: Float32Array, v: Float32Array, opts: AttentionOptions & PoolCallOptions, out?: Float32Array): Promise<AttentionResult>;
  multiHeadAttention(x: Float32Array, params: AttentionParams, opts: MultiHeadAttentionOptions & PoolCallOptions): Promise<MultiHeadAttentionResult>;
  layerNorm(x: Float32Array, weight: Float32Array, bias: Float32Array | undefined, opts: LayerNormOptions & PoolCallOptions, out?: Float32Array): Promise<Float32Array>;
  gelu(x: Float32Array, opts?: GeluOptions & PoolCallOptions, out?: Float32Array): Promise<Float32Array>;
  linear(x: Float32Array, weight: Float32Array, bias: Float32Array | undefined, opts: LinearOptions & PoolCallOptions, out?: Float32Array): Promise<Float32Array>;
  /** A table copied once into a SharedArrayBuffer and from there into every worker's engine. */
  embedding(table: Float32Array, dim: number): Promise<PooledEmbedding>;
  /** A layer in every worker (weights shared once, packed by each worker); any worker serves any call. */
  selfAttention(params: AttentionParams, config: SelfAttentionConfig): Promise<PooledSelfAttentionLayer>;
  /** An encoder in every worker; concurrent `encode` calls of one length run as one batch. */
  encoder(config: EncoderConfig): Promise<PooledEncoder>;
  /**
   * Word vectors in every worker: the source is read once on the calling thread into shared
   * memory (`onProgress` reports that read), then each worker loads its table from it.
   */
  loadVectors(source: Source, opts?: LoadVectorsOptions): Promise<PooledWordVectors>;
  /**
   * A model in every worker: the checkpoint is read once on the calling thread into shared
   * memory (`onProgress` reports that read), then each worker loads its weights from it.
   */
  loadModel(options: LoadModelOptions): Promise<PooledModel>;
  /**
   * Stops accepting calls (later ones reject with `'ATTNKIT_POOL_CLOSED'`), lets every call
   * already accepted settle, then stops the workers. A process whose pools are closed (or
   * idle) can exit.
   */
  close(): Promise<void>;
}
