// Bad checkpoints and configs: each is an error naming the offset, the tensor or the config
// key, and the engine's memory is where it was afterwards (unchanged when the error is
// found in the header, before anything is allocated).

import { createEngine, type Engine } from 'attnkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkpoint, loadModelCases, modelInput } from './helpers/model-golden.js';
import { parseSafetensors, streamOf, writeSafetensors, type Tensor } from './helpers/safetensors.js';

// The 1-layer, hidden-12 case: small and with every GEMM edge.
const golden = loadModelCases().find((c) => c.name.includes('hidden 12'))!;
const good = checkpoint(golden);
const config = golden.config;
const tensors = parseSafetensors(good);

function edited(edit: (t: Tensor[]) => Tensor[]): Uint8Array {
  return writeSafetensors(edit(tensors.map((t) => ({ ...t }))));
}

async function rejection(engine: Engine, options: Parameters<Engine['loadModel']>[0]): Promise<Error> {
  try {
    await engine.loadModel(options);
  } catch (err) {
    return err as Error;
  }
  throw new Error('loadModel should have failed');
}

describe.each(['wasm', 'ts'] as const)('%s', (backend) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await createEngine({ backend });
  });

  /** Asserts the failure's class and message, and that memory did not move. */
  async function expectFailure(options: Parameters<Engine['loadModel']>[0], kind: ErrorConstructor | typeof SyntaxError, ...patterns: RegExp[]) {
    const before = engine.memoryBytes;
    const err = await rejection(engine, options);
    expect(err).toBeInstanceOf(kind);
    for (const p of patterns) expect(err.message).toMatch(p);
    expect(engine.memoryBytes).toBe(before);
  }

  it('a file shorter than the 8-byte header length', async () => {
    await expectFailure({ config, weights: good.slice(0, 5) }, SyntaxError, /safetensors: the file ends after 5 bytes, before the 8-byte header length at offset 0/);
  });

  it('a header length past the end of the file', async () => {
    const bytes = good.slice();
    new DataView(bytes.buffer).setUint32(0, good.length, true);
    await expectFailure({ config, weights: bytes }, SyntaxError, new RegExp(`header length at offset 0 is ${good.length} bytes, past the end of the file \\(${good.length} bytes\\)`));
  });

  it('a header that is not a JSON object, or not JSON', async () => {
    await expectFailure({ config, weights: writeSafetensors([], () => [1, 2]) }, SyntaxError, /the header \(bytes 8 to 13\) is not a JSON object, got an array/);
    const bytes = writeSafetensors([], () => ({ a: 1 }));
    bytes[8] = 0x7b + 1; // "|a": …
    await expectFailure({ config, weights: bytes }, SyntaxError, /safetensors: the header \(bytes 8 to \d+\) is not valid UTF-8 JSON/);
  });

  it('a truncated file of known size: the last tensor runs past the end, found before allocating', async () => {
    const last = tensors[tensors.length - 1].name;
    await expectFailure({ config, weights: good.slice(0, good.length - 6) }, SyntaxError, new RegExp(`tensor "${last.replace(/\./g, '\\.')}" .* runs past the end of the file \\(${good.length - 6} bytes\\)`));
  });

  it('overlapping byte ranges name both tensors', async () => {
    const bytes = writeSafetensors(tensors, (json) => {
      const entries = json as Record<string, { data_offsets: number[] }>;
      const [a, b] = [tensors[3].name, tensors[4].name];
      const size = entries[b].data_offsets[1] - entries[b].data_offsets[0];
      entries[b].data_offsets = [entries[a].data_offsets[0], entries[a].data_offsets[0] + size];
      return json;
    });
    await expectFailure({ config, weights: bytes }, SyntaxError, /overlaps tensor/, new RegExp(tensors[3].name.replace(/\./g, '\\.')));
  });

  it('a byte count that disagrees with dtype and shape', async () => {
    const bytes = writeSafetensors(tensors, (json) => {
      (json[tensors[2].name] as { shape: number[] }).shape = [999];
      return json;
    });
    await expectFailure({ config, weights: bytes }, SyntaxError, new RegExp(`tensor "${tensors[2].name}": data_offsets \\[\\d+, \\d+\\] hold \\d+ bytes, but F32 \\[999\\] needs 3996`));
  });

  it('an unsupported dtype on a used tensor; unused tensors of any dtype are skipped', async () => {
    const name = 'encoder.layer.0.attention.self.key.weight';
    const bytes = edited((t) => t.map((x) => (x.name === name ? { ...x, dtype: 'F64', data: new Uint8Array(x.data.length * 2) } : x)));
    await expectFailure({ config, weights: bytes }, Error, new RegExp(`loadModel: tensor "${name}" is F64; weights must be F32, F16 or BF16`));
    const extra = edited((t) => [{ name: 'cls.predictions.decoder.weight', dtype: 'C64', shape: [3], data: new Uint8Array(24) }, ...t, { name: 'pooler.dense.bias', dtype: 'F64', shape: [2], data: new Uint8Array(16) }]);
    const model = await engine.loadModel({ config, weights: extra });
    const reference = await engine.loadModel({ config, weights: good });
    expect(model.forward(modelInput(golden))).toEqual(reference.forward(modelInput(golden)));
    model.dispose();
    reference.dispose();
  });

  it('a missing tensor is named', async () => {
    const name = 'encoder.layer.0.output.LayerNorm.bias';
    await expectFailure({ config, weights: edited((t) => t.filter((x) => x.name !== name)) }, Error, new RegExp(`loadModel: the checkpoint has no tensor "${name}" \\(config\\.num_hidden_layers = 1\\)`));
  });

  it('a wrong shape names the tensor and the config keys', async () => {
    const name = 'encoder.layer.0.intermediate.dense.weight';
    const bytes = edited((t) => t.map((x) => (x.name === name ? { ...x, shape: [12, 20] } : x)));
    await expectFailure({ config, weights: bytes }, Error, new RegExp(`tensor "${name}" has shape \\[12, 20\\], but the config \\(intermediate_size = 20, hidden_size = 12\\) needs \\[20, 12\\]`));
  });

  it('a config that disagrees with the tensors: width, vocabulary, layer count', async () => {
    await expectFailure({ config: { ...config, hidden_size: 16, num_attention_heads: 4 }, weights: good }, Error, /tensor "embeddings\.word_embeddings\.weight" has shape \[40, 12\], but the config \(vocab_size = 40, hidden_size = 16\) needs \[40, 16\]/);
    await expectFailure({ config: { ...config, vocab_size: 41 }, weights: good }, Error, /vocab_size = 41/);
    await expectFailure({ config: { ...config, num_hidden_layers: 2 }, weights: good }, Error, /no tensor "encoder\.layer\.1\.attention\.self\.query\.weight" \(config\.num_hidden_layers = 2\)/);
    const twoLayers = edited((t) => [...t, ...t.filter((x) => x.name.startsWith('encoder.layer.0.')).map((x) => ({ ...x, name: x.name.replace('layer.0.', 'layer.1.') }))]);
    await expectFailure({ config, weights: twoLayers }, Error, /the checkpoint has tensor "encoder\.layer\.1\..*" but config\.num_hidden_layers is 1/);
  });

  it('a model type other than bert, an unknown activation, bad JSON', async () => {
    await expectFailure({ config: { ...config, model_type: 'roberta' }, weights: good }, Error, /loadModel: config\.model_type is "roberta"; this loader runs BERT models/);
    await expectFailure({ config: { ...config, hidden_act: 'relu' }, weights: good }, Error, /config\.hidden_act "relu" is not supported/);
    await expectFailure({ config: '{"model_type": "bert",', weights: good }, SyntaxError, /loadModel: config is not valid JSON/);
    await expectFailure({ config: { ...config, hidden_size: 13 }, weights: good }, RangeError, /config\.hidden_size \(13\) must be a multiple of config\.num_attention_heads \(3\)/);
    await expectFailure({ config, weights: good, dtype: 'f64' as 'f32' }, RangeError, /dtype must be 'f32' or 'f16', got "f64"/);
  });

  it('a stream that ends inside a tensor (size unknown: found while reading) frees what it took', async () => {
    (await engine.loadModel({ config, weights: good })).dispose(); // the high-water mark of one model
    const before = engine.memoryBytes;
    const cut = good.length - 20; // inside the last tensor (12 floats)
    const last = tensors[tensors.length - 1].name.replace(/\./g, '\\.');
    for (let i = 0; i < 3; i++) {
      const err = await rejection(engine, { config, weights: streamOf(good.slice(0, cut), 64) });
      expect(err).toBeInstanceOf(SyntaxError);
      expect(err.message).toMatch(new RegExp(`the file ends at byte ${cut}, inside tensor "${last}"`));
      expect(engine.memoryBytes).toBe(before);
    }
    const model = await engine.loadModel({ config, weights: good });
    expect(engine.memoryBytes).toBe(before); // the allocator reuses what the failures gave back
    model.dispose();
  });

  it('an abort while loading rejects with an AbortError and frees what was taken', async () => {
    (await engine.loadModel({ config, weights: good })).dispose();
    const before = engine.memoryBytes;
    const controller = new AbortController();
    let calls = 0;
    const err = await rejection(engine, {
      config,
      weights: streamOf(good, 256),
      signal: controller.signal,
      onProgress: () => {
        if (++calls === 20) controller.abort();
      },
    });
    expect(err).toBeInstanceOf(DOMException);
    expect(err.name).toBe('AbortError');
    expect(engine.memoryBytes).toBe(before);
    const model = await engine.loadModel({ config, weights: good });
    expect(engine.memoryBytes).toBe(before);
    model.dispose();
  });
});
