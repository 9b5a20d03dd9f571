"""
A BERT encoder with Hugging Face BertModel's tensor names and maths, built from plain torch
modules (Debian's torch 1.13 has no `transformers`), for the model benchmark and its peers.
Imported by scripts/onnx/export.py (`--bert`).

  embeddings  word [V, E] + position [P, E] (positions 0..S-1) + token type [T, E] → LayerNorm
  layer × N   q, k, v = x·Wᵀ + b; softmax(q·kᵀ/√D + (1 − mask)·f32min)·v per head;
              attention.output.dense → LayerNorm(· + x) → intermediate.dense → GELU (erf)
              → output.dense → LayerNorm(· + h)
  pooler      dense + tanh on [CLS] (written to the checkpoint as Hugging Face does; not an
              output of the ONNX model)
`reference` recomputes last_hidden_state from the state dict in float64 with explicit loops
over heads; `check` asserts the module agrees with it.
"""

import json
import math
import struct

import numpy as np
import torch
from torch import nn

MINILM_L6 = dict(hidden_size=384, num_hidden_layers=6, num_attention_heads=12, intermediate_size=1536,
                 vocab_size=30522, max_position_embeddings=512, type_vocab_size=2, layer_norm_eps=1e-12)


class SelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads = c["num_attention_heads"]
        e = c["hidden_size"]
        self.query, self.key, self.value = nn.Linear(e, e), nn.Linear(e, e), nn.Linear(e, e)

    def forward(self, x, bias):
        b, s, e = x.shape
        d = e // self.heads
        split = lambda t: t.view(b, s, self.heads, d).transpose(1, 2)  # [B, H, S, D]
        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(d) + bias  # [B, H, S, S]
        return torch.matmul(torch.softmax(scores, dim=-1), v).transpose(1, 2).reshape(b, s, e)


class DenseNorm(nn.Module):
    """dense, then LayerNorm of (its output + the residual): BertSelfOutput and BertOutput."""

    def __init__(self, n_in, n_out, eps):
        super().__init__()
        self.dense = nn.Linear(n_in, n_out)
        self.LayerNorm = nn.LayerNorm(n_out, eps=eps)

    def forward(self, x, residual):
        return self.LayerNorm(self.dense(x) + residual)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        setattr(self, "self", SelfAttention(c))
        self.output = DenseNorm(c["hidden_size"], c["hidden_size"], c["layer_norm_eps"])

    def forward(self, x, bias):
        return self.output(getattr(self, "self")(x, bias), x)


class Intermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["intermediate_size"])

    def forward(self, x):
        return torch.nn.functional.gelu(self.dense(x))


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = Attention(c)
        self.intermediate = Intermediate(c)
        self.output = DenseNorm(c["intermediate_size"], c["hidden_size"], c["layer_norm_eps"])

    def forward(self, x, bias):
        h = self.attention(x, bias)
        return self.output(self.intermediate(h), h)


class Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([Layer(c) for _ in range(c["num_hidden_layers"])])


class Embeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        e = c["hidden_size"]
        self.word_embeddings = nn.Embedding(c["vocab_size"], e)
        self.position_embeddings = nn.Embedding(c["max_position_embeddings"], e)
        self.token_type_embeddings = nn.Embedding(c["type_vocab_size"], e)
        self.LayerNorm = nn.LayerNorm(e, eps=c["layer_norm_eps"])

    def forward(self, ids, token_type_ids):
        positions = torch.arange(ids.shape[1], dtype=torch.long).unsqueeze(0)
        x = self.word_embeddings(ids) + self.position_embeddings(positions) + self.token_type_embeddings(token_type_ids)
        return self.LayerNorm(x)


class Pooler(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["hidden_size"])


class BertModel(nn.Module):
    """forward(input_ids, attention_mask, token_type_ids) → last_hidden_state [B, S, E]."""

    def __init__(self, c):
        super().__init__()
        self.embeddings = Embeddings(c)
        self.encoder = Encoder(c)
        self.pooler = Pooler(c)

    def forward(self, input_ids, attention_mask, token_type_ids):
        # Hugging Face's extended mask: 0 where attended, the float32 minimum where padded.
        bias = (1.0 - attention_mask[:, None, None, :].to(torch.float32)) * torch.finfo(torch.float32).min
        x = self.embeddings(input_ids, token_type_ids)
        for layer in self.encoder.layer:
            x = layer(x, bias)
        return x


def randomize(model, seed):
    """Normal(0, 0.02) everywhere (BERT's initialiser range) except LayerNorm weights,
    1 + normal(0, 0.1): biases and LayerNorm parameters are not their neutral 0 and 1, so
    that a mistake in any tensor shows in the output."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            noise = torch.randn(p.shape, generator=gen)
            p.copy_(1.0 + 0.1 * noise if "LayerNorm.weight" in name else 0.02 * noise)


def reference(state, c, ids, mask, types):
    """last_hidden_state in float64 from the state dict, written out loop by loop over heads."""
    w = {k: v.to(torch.float64) for k, v in state.items()}
    eps = c["layer_norm_eps"]
    h_count = c["num_attention_heads"]

    def norm(x, prefix):
        mean = x.mean(-1, keepdim=True)
        var = ((x - mean) ** 2).mean(-1, keepdim=True)
        return (x - mean) / torch.sqrt(var + eps) * w[prefix + ".weight"] + w[prefix + ".bias"]

    def dense(x, prefix):
        return x @ w[prefix + ".weight"].T + w[prefix + ".bias"]

    b, s = ids.shape
    x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:s] + w["embeddings.token_type_embeddings.weight"][types]
    x = norm(x, "embeddings.LayerNorm")
    for i in range(c["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        q, k, v = (dense(x, p + "attention.self." + n) for n in ("query", "key", "value"))
        e = x.shape[-1]
        d = e // h_count
        ctx = torch.zeros_like(x)
        for bi in range(b):
            keep = mask[bi].bool()
            for hi in range(h_count):
                cols = slice(hi * d, (hi + 1) * d)
                scores = q[bi, :, cols] @ k[bi, :, cols].T / math.sqrt(d)
                scores[:, ~keep] = -math.inf
                ctx[bi, :, cols] = torch.softmax(scores, -1) @ v[bi, :, cols]
        h = norm(dense(ctx, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
        inner = dense(h, p + "intermediate.dense")
        inner = 0.5 * inner * (1.0 + torch.erf(inner / math.sqrt(2.0)))
        x = norm(dense(inner, p + "output.dense") + h, p + "output.LayerNorm")
    return x


def check(model, c, seed):
    """The module (float32) against the float64 reference on a padded batch of two."""
    gen = torch.Generator().manual_seed(seed + 1)
    ids = torch.randint(0, c["vocab_size"], (2, 16), generator=gen)
    mask = torch.ones(2, 16, dtype=torch.long)
    mask[1, 11:] = 0
    types = torch.zeros(2, 16, dtype=torch.long)
    types[0, 8:] = 1
    with torch.no_grad():
        got = model(ids, mask, types).to(torch.float64)
    want = reference(model.state_dict(), c, ids, mask, types)
    err = (got - want).abs().max().item()
    if err > 1e-4:
        raise SystemExit(f"bert: the torch module differs from the float64 reference by {err}")
    return err


def write_safetensors(path, tensors):
    """The safetensors format: u64 little-endian header size, JSON header, raw little-endian data."""
    header, blobs, at = {"__metadata__": {"format": "pt"}}, [], 0
    kinds = {torch.float32: "F32", torch.int64: "I64"}
    for name, t in tensors.items():
        data = t.contiguous().numpy().tobytes()
        header[name] = {"dtype": kinds[t.dtype], "shape": list(t.shape), "data_offsets": [at, at + len(data)]}
        blobs.append(data)
        at += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def vocabulary(size):
    """A bert-base-uncased-like layout: [PAD] 0, [unused*], [UNK] 100, [CLS] 101, [SEP] 102,
    [MASK] 103, then characters, continuation characters, common words, and letter pairs and
    triples (whole and ##) until `size` tokens."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    tokens = ["[PAD]"] + [f"[unused{i}]" for i in range(99)] + ["[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    chars = list("!\"#$%&'()*+,-./0123456789:;<=>?@[\\]^_`{|}~") + list(letters)
    words = ("the of and to a in is it you that he was for on are with as i his they be at one have this from or "
             "had by not word but what some we can out other were all there when up use your how said an each she "
             "which do their time if will way about many then them write would like so these her long make thing see "
             "him two has look more day could go come did number sound no most people my over know water than call "
             "first who may down side been now find any new work part take get place made live where after back "
             "little only round man year came show every good me give our under name very through just form sentence "
             "great think say help low line differ turn cause much mean before move right boy old too same tell does "
             "set three want air well also play small end put home read hand port large spell add even land here must "
             "big high such follow act why ask men change went light kind off need house picture try us again animal "
             "point mother world near build self earth father machine learning love attention embedding search").split()
    pieces = [a + b for a in letters for b in letters]
    triples = [a + b + c for a in letters for b in letters for c in letters]
    seen = set(tokens)
    for group in (chars, ["##" + ch for ch in chars], words, pieces, ["##" + p for p in pieces], triples, ["##" + t for t in triples]):
        for token in group:
            if len(tokens) == size:
                return tokens
            if token not in seen:
                seen.add(token)
                tokens.append(token)
    return tokens


def tokenizer_json(size):
    tokens = vocabulary(size)
    vocab = {t: i for i, t in enumerate(tokens)}
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    added = [{"id": vocab[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for t in specials]
    special = lambda t, type_id=0: {"SpecialToken": {"id": t, "type_id": type_id}}
    return {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True, "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [special("[CLS]"), {"Sequence": {"id": "A", "type_id": 0}}, special("[SEP]")],
            "pair": [special("[CLS]"), {"Sequence": {"id": "A", "type_id": 0}}, special("[SEP]"), {"Sequence": {"id": "B", "type_id": 1}}, special("[SEP]", 1)],
            "special_tokens": {t: {"id": t, "ids": [vocab[t]], "tokens": [t]} for t in ("[CLS]", "[SEP]")},
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100, "vocab": vocab},
    }


def config_json(c):
    return {"architectures": ["BertModel"], "model_type": "bert", "hidden_act": "gelu", "attention_probs_dropout_prob": 0.1,
            "hidden_dropout_prob": 0.1, "initializer_range": 0.02, "pad_token_id": 0, "position_embedding_type": "absolute",
            "torch_dtype": "float32", "use_cache": True, **c}


TOKENIZER_CONFIG = {"tokenizer_class": "BertTokenizer", "do_lower_case": True, "model_max_length": 512, "cls_token": "[CLS]",
                    "sep_token": "[SEP]", "pad_token": "[PAD]", "unk_token": "[UNK]", "mask_token": "[MASK]", "clean_up_tokenization_spaces": True}
