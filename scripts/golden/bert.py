#!/usr/bin/env python3
"""Golden BERT encoders for attnkit's model tests: `pnpm golden` (scripts/golden.sh).

Each case is a tiny BERT (widths ≤ 16) with random float32 weights, written as a
safetensors checkpoint (test/golden/bert/<file>.safetensors, by hand: 8-byte little-endian
header length, JSON header, raw little-endian bytes) under Hugging Face BertModel's tensor
names, and its expected outputs in float64 (test/golden/bert.json).

Reference, in float64: embeddings = word[ids] + position[0..S) + token_type[type_ids],
F.layer_norm, then per layer torch.nn.TransformerEncoderLayer(E, H, F, dropout=0,
activation=gelu, layer_norm_eps=eps, batch_first=True, norm_first=False) with
src_key_padding_mask = (attention_mask == 0) — the post-norm layer BertLayer computes —
its weights mapped from the BERT names (query/key/value = in_proj_weight's thirds,
attention.output.dense = out_proj, intermediate.dense = linear1, output.dense = linear2,
the two LayerNorms = norm1, norm2). Gradients stay enabled so that PyTorch takes the
layer's plain path, not its fused inference kernel. Pooling as sentence-transformers:
mean over the rows whose mask is 1, or the [CLS] row, then F.normalize.

Checkpoints in F16 and BF16 hold the weights rounded to that type, and the expectations
are computed from the rounded weights. Every case also has the expectations of
dtype 'f16' storage: the word table and dense weights rounded to f16 (the rest f32).
"""

import base64
import json
import os
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test", "golden")
DIR = os.path.join(ROOT, "bert")
torch.set_default_dtype(torch.float64)

SAFETENSORS_DTYPE = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.int64: "I64"}


def f64b64(t):
    return "f64:" + base64.b64encode(t.detach().to(torch.float64).contiguous().numpy().astype("<f8").tobytes()).decode()


def write_safetensors(path, tensors):
    """tensors: list of (name, torch tensor in its stored dtype)."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors:
        raw = t.contiguous().view(torch.uint8).numpy().tobytes() if t.dtype == torch.bfloat16 else t.contiguous().numpy().tobytes()
        header[name] = {"dtype": SAFETENSORS_DTYPE[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header, separators=(",", ":"))
    text += " " * (-len(text) % 8)  # the format allows padding the header with spaces
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text.encode())
        for raw in blobs:
            f.write(raw)


def bert_weights(E, F_, L, V, P, T, gen):
    """HF BertModel names → float32 values (as float64 tensors)."""
    def r(*shape, scale):
        return (torch.randn(*shape, generator=gen, dtype=torch.float32) * scale).to(torch.float64)

    w = {
        "embeddings.word_embeddings.weight": r(V, E, scale=0.5),
        "embeddings.position_embeddings.weight": r(P, E, scale=0.3),
        "embeddings.token_type_embeddings.weight": r(T, E, scale=0.3),
        "embeddings.LayerNorm.weight": 1 + r(E, scale=0.1),
        "embeddings.LayerNorm.bias": r(E, scale=0.1),
    }
    for l in range(L):
        p = f"encoder.layer.{l}."
        for part in ["query", "key", "value"]:
            w[p + f"attention.self.{part}.weight"] = r(E, E, scale=E ** -0.5)
            w[p + f"attention.self.{part}.bias"] = r(E, scale=0.1)
        w[p + "attention.output.dense.weight"] = r(E, E, scale=E ** -0.5)
        w[p + "attention.output.dense.bias"] = r(E, scale=0.1)
        w[p + "attention.output.LayerNorm.weight"] = 1 + r(E, scale=0.1)
        w[p + "attention.output.LayerNorm.bias"] = r(E, scale=0.1)
        w[p + "intermediate.dense.weight"] = r(F_, E, scale=E ** -0.5)
        w[p + "intermediate.dense.bias"] = r(F_, scale=0.1)
        w[p + "output.dense.weight"] = r(E, F_, scale=F_ ** -0.5)
        w[p + "output.dense.bias"] = r(E, scale=0.1)
        w[p + "output.LayerNorm.weight"] = 1 + r(E, scale=0.1)
        w[p + "output.LayerNorm.bias"] = r(E, scale=0.1)
    return w


def stored_f16(name):
    """Whether dtype 'f16' keeps this weight in f16: the word table and dense weights."""
    return name == "embeddings.word_embeddings.weight" or (name.endswith(".weight") and "LayerNorm" not in name and "embeddings" not in name)


def round_to(w, dtype, only=None):
    return {n: (t.to(dtype).to(torch.float64) if only is None or only(n) else t) for n, t in w.items()}


def forward(w, E, H, F_, L, eps, act, ids, type_ids, mask):
    B, S = ids.shape
    x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:S][None] + w["embeddings.token_type_embeddings.weight"][type_ids]
    x = F.layer_norm(x, [E], w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    activation = (lambda t: F.gelu(t, approximate="tanh")) if act != "gelu" else "gelu"
    for l in range(L):
        p = f"encoder.layer.{l}."
        layer = nn.TransformerEncoderLayer(E, H, F_, dropout=0.0, activation=activation, layer_norm_eps=eps, batch_first=True, norm_first=False)
        layer.eval()
        with torch.no_grad():
            layer.self_attn.in_proj_weight.copy_(torch.cat([w[p + f"attention.self.{q}.weight"] for q in ["query", "key", "value"]]))
            layer.self_attn.in_proj_bias.copy_(torch.cat([w[p + f"attention.self.{q}.bias"] for q in ["query", "key", "value"]]))
            layer.self_attn.out_proj.weight.copy_(w[p + "attention.output.dense.weight"])
            layer.self_attn.out_proj.bias.copy_(w[p + "attention.output.dense.bias"])
            layer.norm1.weight.copy_(w[p + "attention.output.LayerNorm.weight"])
            layer.norm1.bias.copy_(w[p + "attention.output.LayerNorm.bias"])
            layer.linear1.weight.copy_(w[p + "intermediate.dense.weight"])
            layer.linear1.bias.copy_(w[p + "intermediate.dense.bias"])
            layer.linear2.weight.copy_(w[p + "output.dense.weight"])
            layer.linear2.bias.copy_(w[p + "output.dense.bias"])
            layer.norm2.weight.copy_(w[p + "output.LayerNorm.weight"])
            layer.norm2.bias.copy_(w[p + "output.LayerNorm.bias"])
        assert torch.is_grad_enabled() and layer.self_attn.in_proj_weight.requires_grad  # the plain path
        x = layer(x, src_key_padding_mask=(mask == 0))
    return x.detach()


def pool(h, mask):
    m = mask.to(torch.float64)[..., None]
    mean = (h * m).sum(1) / m.sum(1).clamp(min=1e-9)
    return F.normalize(mean, dim=-1), F.normalize(h[:, 0], dim=-1)


def main():
    os.makedirs(DIR, exist_ok=True)
    cases = []
    specs = [
        # name, file, E, H, F, L, dtype, prefix, act, eps, B, S, extras
        ("1 layer, F32, bert. prefix, pooler and I64 position_ids ignored", "l1-f32-prefixed", 16, 4, 32, 1, torch.float32, "bert.", "gelu", 1e-12, 2, 7, True),
        ("3 layers, F32, no prefix", "l3-f32", 16, 2, 32, 3, torch.float32, "", "gelu", 1e-12, 3, 9, False),
        ("3 layers, F16 checkpoint", "l3-f16", 16, 4, 32, 3, torch.float16, "", "gelu", 1e-12, 2, 8, False),
        ("3 layers, BF16 checkpoint, bert. prefix", "l3-bf16", 16, 4, 32, 3, torch.bfloat16, "bert.", "gelu", 1e-12, 2, 8, True),
        ("1 layer, gelu_new (tanh GELU)", "l1-tanh", 16, 4, 48, 1, torch.float32, "", "gelu_new", 1e-12, 2, 6, False),
        ("1 layer, hidden 12, 3 heads, intermediate 20, eps 1e-5 (GEMM edges)", "l1-e12", 12, 3, 20, 1, torch.float32, "", "gelu", 1e-5, 3, 5, False),
    ]
    for i, (name, file, E, H, F_, L, dtype, prefix, act, eps, B, S, extras) in enumerate(specs):
        gen = torch.Generator().manual_seed(100 + i)
        V, P, T = 40, 16, 2
        w = round_to(bert_weights(E, F_, L, V, P, T, gen), dtype)  # the checkpoint's values
        ids = torch.randint(0, V, (B, S), generator=gen)
        type_ids = torch.randint(0, T, (B, S), generator=gen)
        lengths = [S] + [int(torch.randint(1, S, (1,), generator=gen)) for _ in range(B - 1)]
        mask = torch.tensor([[1 if s < n else 0 for s in range(S)] for n in lengths], dtype=torch.long)
        ids[:, 0] = 2  # a [CLS]-like first token
        tensors = [(prefix + n, t.to(dtype)) for n, t in w.items()]
        if extras:
            tensors.insert(1, ("embeddings.position_ids" if prefix == "" else prefix + "embeddings.position_ids", torch.arange(P, dtype=torch.int64)[None]))
            tensors.append((prefix + "pooler.dense.weight", (torch.randn(E, E, generator=gen, dtype=torch.float32)).to(dtype)))
            tensors.append((prefix + "pooler.dense.bias", torch.zeros(E, dtype=dtype)))
        write_safetensors(os.path.join(DIR, f"{file}.safetensors"), tensors)
        config = {
            "model_type": "bert", "architectures": ["BertModel"], "hidden_size": E, "num_attention_heads": H,
            "intermediate_size": F_, "num_hidden_layers": L, "vocab_size": V, "max_position_embeddings": P,
            "type_vocab_size": T, "layer_norm_eps": eps, "hidden_act": act, "hidden_dropout_prob": 0.1,
            "attention_probs_dropout_prob": 0.1, "pad_token_id": 0, "position_embedding_type": "absolute",
        }
        expected = {}
        for storage, weights in [("f32", w), ("f16", round_to(w, torch.float16, stored_f16))]:
            h = forward(weights, E, H, F_, L, eps, act, ids, type_ids, mask)
            mean, cls = pool(h, mask)
            expected[storage] = {"hidden": f64b64(h), "mean": f64b64(mean), "cls": f64b64(cls)}
        cases.append({
            "name": name, "file": f"bert/{file}.safetensors", "config": config,
            "input": {"ids": ids.flatten().tolist(), "batch": B, "seqLen": S, "attentionMask": mask.flatten().tolist(), "tokenTypeIds": type_ids.flatten().tolist()},
            "expected": expected,
        })
        print(f"{file}.safetensors: {os.path.getsize(os.path.join(DIR, file + '.safetensors'))} bytes")
    path = os.path.join(ROOT, "bert.json")
    with open(path, "w") as f:
        json.dump({"op": "bert", "reference": "embeddings + F.layer_norm + nn.TransformerEncoderLayer (post-norm, GELU) in float64", "cases": cases}, f, separators=(",", ":"))
        f.write("\n")
    print(f"{path}: {len(cases)} cases, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
