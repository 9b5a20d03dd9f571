"""
Writes the ONNX models of bench/peers.bench.ts for onnxruntime (web and node), with
Debian's python3-torch (1.13; torch.onnx.export needs no `onnx` package):

  mha.onnx               nn.MultiheadAttention(768, 12, batch_first=True), x [1, S, 768] -> [1, S, 768]
  attention.onnx         softmax(q·kᵀ/8)·v, q k v [1, S, 12, 64] (BSHD, attnkit's layout) -> [1, S, 12, 64]
  attention-causal.onnx  the same with a built-in causal mask (masked_fill of triu by -inf)
  embedding.onnx         Gather(table [30522, 768], ids int32 [N]) + pe[:N] -> [N, 768]

With `--bert MODEL_DIR` it writes instead a MiniLM-L6-shaped BERT encoder with random weights
(scripts/onnx/bert.py: 6 layers, 384 wide, 12 heads, 1536 intermediate, 30522 × 384 word
embeddings, 512 positions; torch seed 0) as a Hugging Face model folder, for
bench/model.bench.ts and its peers:
  config.json, tokenizer.json, tokenizer_config.json
  model.safetensors   the weights, F32, Hugging Face BertModel's names (pooler included,
                      plus the I64 embeddings.position_ids buffer older checkpoints carry)
  onnx/model.onnx     the same weights: input_ids, attention_mask, token_type_ids (int64,
                      [batch, sequence]) -> last_hidden_state [batch, sequence, 384]
The module is first checked against a float64 reference written out loop by loop.

S and N are dynamic axes. Without mha-params.f32 in OUT_DIR only the two attention models
(which have no weights) are written: what bench/long-sequence.bench.ts needs. The weights are the benchmark's own, read from OUT_DIR (written
there by the benchmark, little-endian float32):
  mha-params.f32   wq, wk, wv, wo ([768, 768], PyTorch's [out, in]), then bq, bk, bv, bo ([768])
  table.f32        [30522, 768]
  pe.f32           [512, 768]

Usage: /usr/bin/python3 scripts/onnx/export.py OUT_DIR
       /usr/bin/python3 scripts/onnx/export.py --bert MODEL_DIR
"""

import os
import sys

import numpy as np
import torch

E, H, D = 768, 12, 64
ROWS, N = 30522, 512


def read(path, count):
    data = np.fromfile(path, dtype="<f4")
    if data.size != count:
        raise SystemExit(f"{path}: {data.size} floats, expected {count}")
    return torch.from_numpy(data.astype(np.float32))


class SelfAttention(torch.nn.Module):
    def __init__(self, params):
        super().__init__()
        self.mha = torch.nn.MultiheadAttention(E, H, batch_first=True)
        w = [params[i * E * E:(i + 1) * E * E].reshape(E, E) for i in range(4)]
        b = [params[4 * E * E + i * E:4 * E * E + (i + 1) * E] for i in range(4)]
        with torch.no_grad():
            self.mha.in_proj_weight.copy_(torch.cat(w[:3]))
            self.mha.in_proj_bias.copy_(torch.cat(b[:3]))
            self.mha.out_proj.weight.copy_(w[3])
            self.mha.out_proj.bias.copy_(b[3])

    def forward(self, x):
        return self.mha(x, x, x, need_weights=False)[0]


class Attention(torch.nn.Module):
    def __init__(self, causal):
        super().__init__()
        self.causal = causal

    def forward(self, q, k, v):
        # [1, S, H, D] -> [1, H, S, D]
        q, k, v = (t.transpose(1, 2) for t in (q, k, v))
        scores = torch.matmul(q, k.transpose(2, 3)) * (1.0 / D ** 0.5)  # [1, H, S, S]
        if self.causal:
            s = scores.shape[-1]
            # masked_fill (ONNX Where) ran faster in onnxruntime-node than adding a -inf triu.
            scores = scores.masked_fill(torch.triu(torch.ones(s, s, dtype=torch.bool), diagonal=1), float("-inf"))
        out = torch.matmul(torch.softmax(scores, dim=-1), v)  # [1, H, S, D]
        return out.transpose(1, 2)  # [1, S, H, D]


class Embedding(torch.nn.Module):
    def __init__(self, table, pe):
        super().__init__()
        self.table = torch.nn.Parameter(table.reshape(ROWS, E), requires_grad=False)
        self.pe = torch.nn.Parameter(pe.reshape(N, E), requires_grad=False)

    def forward(self, ids):
        return torch.nn.functional.embedding(ids, self.table) + self.pe[: ids.shape[0]]


def export_bert(out, seed=0):
    import json

    import bert

    c = bert.MINILM_L6
    torch.manual_seed(seed)
    model = bert.BertModel(c).eval()
    bert.randomize(model, seed)
    err = bert.check(model, c, seed)
    os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
    tensors = dict(model.state_dict())
    tensors["embeddings.position_ids"] = torch.arange(c["max_position_embeddings"], dtype=torch.int64).unsqueeze(0)
    bert.write_safetensors(os.path.join(out, "model.safetensors"), tensors)
    for name, value in (("config.json", bert.config_json(c)), ("tokenizer.json", bert.tokenizer_json(c["vocab_size"])),
                        ("tokenizer_config.json", bert.TOKENIZER_CONFIG)):
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            json.dump(value, f, ensure_ascii=False)
    ids = torch.randint(0, c["vocab_size"], (2, 16))
    with torch.no_grad():
        torch.onnx.export(model, (ids, torch.ones_like(ids), torch.zeros_like(ids)), os.path.join(out, "onnx", "model.onnx"),
                          opset_version=14, input_names=["input_ids", "attention_mask", "token_type_ids"],
                          output_names=["last_hidden_state"],
                          dynamic_axes={n: {0: "batch", 1: "sequence"} for n in ("input_ids", "attention_mask", "token_type_ids", "last_hidden_state")})
    print(f"scripts/onnx/export.py: BERT (MiniLM-L6 shape) written to {out}; torch float32 vs float64 reference: max abs {err:.2e}")


def main():
    if sys.argv[1] == "--bert":
        export_bert(sys.argv[2])
        return
    out = sys.argv[1]
    qkv = tuple(torch.randn(1, 16, H, D) for _ in range(3))
    for causal in (False, True):
        name = "attention-causal" if causal else "attention"
        torch.onnx.export(Attention(causal), qkv, f"{out}/{name}.onnx", opset_version=14,
                          input_names=["q", "k", "v"], output_names=["o"],
                          dynamic_axes={n: {1: "S"} for n in ("q", "k", "v", "o")})
    if not os.path.exists(f"{out}/mha-params.f32"):
        print(f"scripts/onnx/export.py: attention, attention-causal written to {out}")
        return
    params = read(f"{out}/mha-params.f32", 4 * E * E + 4 * E)
    # Gradients enabled: torch 1.13 cannot export MultiheadAttention's no_grad fast path.
    torch.onnx.export(SelfAttention(params), (torch.randn(1, 16, E),), f"{out}/mha.onnx", opset_version=14,
                      input_names=["x"], output_names=["y"], dynamic_axes={"x": {1: "S"}, "y": {1: "S"}})
    embedding = Embedding(read(f"{out}/table.f32", ROWS * E), read(f"{out}/pe.f32", N * E))
    torch.onnx.export(embedding, (torch.arange(N, dtype=torch.int32),), f"{out}/embedding.onnx", opset_version=14,
                      input_names=["ids"], output_names=["y"], dynamic_axes={"ids": {0: "N"}, "y": {0: "N"}})
    print(f"scripts/onnx/export.py: mha, attention, attention-causal, embedding written to {out}")


if __name__ == "__main__":
    main()
