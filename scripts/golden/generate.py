#!/usr/bin/env python3
"""PyTorch float64 golden fixtures for attnkit's tests: `pnpm golden` (scripts/golden.sh).

Every case draws float32 inputs from a fixed seed, computes the reference in float64 with
torch ops, and is written to test/golden/<op>.json as
    {"op": ..., "reference": ..., "cases": [{"name", "inputs": {...}, "options": {...}, "expected": {...}}]}
Arrays are base64 strings: inputs "f32:…" (little-endian float32, exact), expected values
"f64:…" (little-endian float64); ids, options and names stay plain JSON. The tests read these files and never need torch.

References:
- embedding:   torch.nn.functional.embedding
- sinusoidal:  PE[p, 2i] = sin(p / base^(2i/dim)), PE[p, 2i+1] = cos(...)   (docs/API.md)
- rope:        rotate_half (HF transformers' apply_rotary_pos_emb, Llama / NeoX) and
               interleaved pairs (GPT-J / RoFormer), written out in float64
- attention:   softmax(q·kᵀ·scale + mask)·v per head, written out in float64, with GQA
               (repeat_interleave of kv heads), bottom-right causal, key padding; rows with
               every key masked are zeros (torch gives NaN there)
- mha:         torch.nn.MultiheadAttention(E, H, batch_first=True) in float64 wherever it
               applies, else the explicit reference (F.linear + rope + attention + F.linear),
               which is asserted equal to nn.MultiheadAttention on the cases both cover
- encoder:     the worked example ("I love machine learning") and variants
"""

import base64
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test", "golden")
torch.set_default_dtype(torch.float64)


def f32(*shape, gen, scale=1.0):
    """Random normal float32 values, returned as float64 tensors holding exactly those values."""
    return (torch.randn(*shape, generator=gen, dtype=torch.float32) * scale).to(torch.float64)


def f32b64(t):
    """A tensor of float32 values as base64 of little-endian float32: exact and compact."""
    return "f32:" + base64.b64encode(t.to(torch.float32).contiguous().numpy().astype("<f4").tobytes()).decode()


def f64b64(t):
    """Expected float64 values as base64 of little-endian float64."""
    return "f64:" + base64.b64encode(t.to(torch.float64).contiguous().numpy().astype("<f8").tobytes()).decode()


def expect(t):
    return f64b64(t)


def write(op, reference, cases):
    path = os.path.join(OUT, f"{op}.json")
    with open(path, "w") as f:
        json.dump({"op": op, "reference": reference, "cases": cases}, f, separators=(",", ":"))
        f.write("\n")
    print(f"{path}: {len(cases)} cases, {os.path.getsize(path)} bytes")


# ---------------------------------------------------------------- embedding
def embedding_cases():
    gen = torch.Generator().manual_seed(1)
    cases = []
    for name, rows, dim, ids in [
        ("repeated ids and the last row", 10, 4, [9, 0, 9, 3, 3]),
        ("dim 1", 5, 1, [4, 0, 2]),
        ("dim 7 (not a multiple of 4)", 6, 7, [5, 1]),
        ("empty ids", 3, 2, []),
        ("one row", 1, 3, [0, 0]),
    ]:
        table = f32(rows, dim, gen=gen)
        out = F.embedding(torch.tensor(ids, dtype=torch.long), table) if ids else torch.zeros(0, dim)
        cases.append({"name": name, "inputs": {"table": f32b64(table), "ids": ids}, "options": {"dim": dim}, "expected": {"output": expect(out)}})
    write("embedding", "torch.nn.functional.embedding", cases)


# ---------------------------------------------------------------- sinusoidal
def sinusoidal(seq_len, dim, base=10000.0, offset=0):
    p = torch.arange(offset, offset + seq_len, dtype=torch.float64)[:, None]
    pe = torch.zeros(seq_len, dim)
    col = torch.arange(0, dim, 2, dtype=torch.float64)
    angle = p / base ** (col / dim)
    pe[:, 0::2] = torch.sin(angle)
    pe[:, 1::2] = torch.cos(angle[:, : dim // 2])
    return pe


def sinusoidal_cases():
    cases = []
    for name, s, d, base, offset in [
        ("seq 4, dim 8", 4, 8, 10000.0, 0),
        ("odd dim ends with a sine column", 5, 7, 10000.0, 0),
        ("base 500, offset 1000", 6, 16, 500.0, 1000),
        ("seqLen 1, dim 1", 1, 1, 10000.0, 3),
        ("seqLen 0", 0, 4, 10000.0, 0),
        ("BERT width, last positions of 512", 3, 768, 10000.0, 509),
    ]:
        cases.append({"name": name, "inputs": {}, "options": {"seqLen": s, "dim": d, "base": base, "offset": offset}, "expected": {"output": expect(sinusoidal(s, d, base, offset))}})
    write("sinusoidal", "PE[p,2i]=sin(p/base^(2i/dim)), PE[p,2i+1]=cos(p/base^(2i/dim)) in float64", cases)


# ---------------------------------------------------------------- rope
def rope_ref(x, positions, base=10000.0, interleaved=False):
    """x [B, S, H, D] float64; positions [S]."""
    d = x.shape[-1]
    theta = base ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)  # [D/2]
    angle = positions.to(torch.float64)[:, None] * theta[None, :]  # [S, D/2]
    cos, sin = torch.cos(angle)[None, :, None, :], torch.sin(angle)[None, :, None, :]
    if interleaved:
        x1, x2 = x[..., 0::2], x[..., 1::2]
        out = torch.empty_like(x)
        out[..., 0::2] = x1 * cos - x2 * sin
        out[..., 1::2] = x2 * cos + x1 * sin
        return out
    # rotate_half, as HF transformers' apply_rotary_pos_emb: x·cos + rotate_half(x)·sin
    cos2, sin2 = torch.cat([cos, cos], -1), torch.cat([sin, sin], -1)
    x1, x2 = x[..., : d // 2], x[..., d // 2 :]
    return x * cos2 + torch.cat([-x2, x1], -1) * sin2


def rope_cases():
    gen = torch.Generator().manual_seed(2)
    cases = []
    for name, b, s, h, d, base, offset, positions, interleaved in [
        ("rotate-half, B1 S4 H2 D8", 1, 4, 2, 8, 10000.0, 0, None, False),
        ("interleaved, B1 S4 H2 D8", 1, 4, 2, 8, 10000.0, 0, None, True),
        ("rotate-half, batch 2, offset 100, D6", 2, 3, 3, 6, 10000.0, 100, None, False),
        ("interleaved, batch 2, base 500, D10", 2, 5, 1, 10, 500.0, 7, None, True),
        ("explicit positions", 1, 4, 1, 4, 10000.0, 0, [0, 5, 2, 1000], False),
        ("D2, one position", 1, 1, 4, 2, 10000.0, 3, None, True),
        ("Llama head, D64, positions near 4096", 1, 2, 2, 64, 500000.0, 4094, None, False),
    ]:
        x = f32(b, s, h, d, gen=gen)
        pos = torch.tensor(positions) if positions is not None else torch.arange(offset, offset + s)
        opts = {"batch": b, "seqLen": s, "numHeads": h, "headDim": d, "base": base, "interleaved": interleaved}
        if positions is not None:
            opts["positions"] = positions
        else:
            opts["offset"] = offset
        cases.append({"name": name, "inputs": {"x": f32b64(x)}, "options": opts, "expected": {"output": expect(rope_ref(x, pos, base, interleaved))}})
    write("rope", "rotate_half (HF apply_rotary_pos_emb) and interleaved pairs, float64", cases)


# ---------------------------------------------------------------- attention
def attention_ref(q, k, v, scale=None, causal=False, mask=None, key_padding=None):
    """q [B,S,H,D], k/v [B,T,Hkv,D] float64 → (out [B,S,H,D], weights [B,H,S,T])."""
    b, s, h, d = q.shape
    t, hkv = k.shape[1], k.shape[2]
    scale = 1.0 / math.sqrt(d) if scale is None else scale
    kk = k.repeat_interleave(h // hkv, dim=2)  # query head h reads kv head h // (H/Hkv)
    vv = v.repeat_interleave(h // hkv, dim=2)
    scores = torch.einsum("bshd,bthd->bhst", q, kk) * scale
    if mask is not None:
        scores = scores + (mask.reshape(s, t) if mask.numel() == s * t else mask.reshape(b, h, s, t))
    hidden = torch.zeros(b, h, s, t, dtype=torch.bool)
    if causal:
        i = torch.arange(s)[:, None]
        j = torch.arange(t)[None, :]
        hidden |= (j > i + (t - s))[None, None]
    if key_padding is not None:
        hidden |= key_padding.bool()[:, None, None, :]
    scores = scores.masked_fill(hidden, -math.inf)
    weights = torch.softmax(scores, dim=-1)
    all_masked = torch.isneginf(scores).all(dim=-1, keepdim=True)
    weights = torch.where(all_masked, torch.zeros_like(weights), weights)  # torch: NaN; attnkit: 0
    out = torch.einsum("bhst,bthd->bshd", weights, vv)
    return out, weights


def attention_cases():
    gen = torch.Generator().manual_seed(3)
    cases = []

    def case(name, b, s, t, h, hkv, d, scale=None, causal=False, mask=None, padding=None, weights=True, qscale=1.0):
        q, k, v = f32(b, s, h, d, gen=gen, scale=qscale), f32(b, t, hkv, d, gen=gen), f32(b, t, hkv, d, gen=gen)
        m = None
        if mask == "shared":
            m = f32(s, t, gen=gen)
            m[torch.rand(s, t, generator=gen, dtype=torch.float32) < 0.2] = -math.inf
        elif mask == "per-head":
            m = f32(b, h, s, t, gen=gen)
            m[torch.rand(b, h, s, t, generator=gen, dtype=torch.float32) < 0.2] = -math.inf
        elif mask == "all -inf row":
            m = f32(s, t, gen=gen)
            m[0, :] = -math.inf
        pad = None
        if padding is not None:
            pad = torch.tensor(padding, dtype=torch.uint8).reshape(b, t)
        out, w = attention_ref(q, k, v, scale, causal, m, pad)
        opts = {"batch": b, "seqQ": s, "seqK": t, "numHeads": h, "numKvHeads": hkv, "headDim": d, "causal": causal, "returnWeights": weights}
        if scale is not None:
            opts["scale"] = scale
        inputs = {"q": f32b64(q), "k": f32b64(k), "v": f32b64(v)}
        if m is not None:
            inputs["mask"] = f32b64(m)
        if pad is not None:
            inputs["keyPaddingMask"] = padding
        expected = {"output": expect(out)}
        if weights:
            expected["weights"] = expect(w)
        cases.append({"name": name, "inputs": inputs, "options": opts, "expected": expected})

    case("plain, B1 S4 T4 H2 D8", 1, 4, 4, 2, 2, 8)
    case("seqQ != seqK, batch 2, D5", 2, 3, 6, 2, 2, 5)
    case("GQA 2:1", 1, 5, 5, 4, 2, 4)
    case("GQA 8:1 (multi-query)", 1, 3, 4, 8, 1, 3)
    case("GQA 4:1, batch 2, D17", 2, 4, 5, 4, 1, 17)
    case("custom scale 0.3", 1, 4, 6, 2, 2, 4, scale=0.3)
    case("causal square", 1, 5, 5, 2, 2, 4, causal=True)
    case("causal S<T bottom-right (decode-like)", 1, 2, 6, 2, 1, 4, causal=True)
    case("causal S>T: first rows see no key", 1, 5, 3, 1, 1, 4, causal=True)
    case("shared additive mask with -inf", 1, 4, 5, 2, 2, 4, mask="shared")
    case("per-head mask [B,H,S,T]", 2, 3, 4, 2, 1, 3, mask="per-head")
    case("key padding", 2, 3, 4, 2, 2, 4, padding=[0, 0, 1, 0, 1, 1, 0, 0])
    case("key padding covers every key of batch 1", 2, 2, 3, 1, 1, 4, padding=[0, 1, 0, 1, 1, 1])
    case("mask row all -inf", 1, 3, 4, 2, 2, 4, mask="all -inf row")
    case("causal + per-head mask + padding + GQA", 2, 4, 6, 4, 2, 6, causal=True, mask="per-head", padding=[0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1])
    case("seqQ 0", 1, 0, 3, 2, 2, 4)
    case("seqK 0: every row masked", 1, 2, 0, 1, 1, 4)
    case("headDim 1", 1, 3, 3, 3, 3, 1)
    # Long sequence, unit-scale data: the bound for more than 256 keys (ACCURACY.attention).
    case("S512 T512, 2 heads x 8, unit scale", 1, 512, 512, 2, 2, 8, weights=False)
    write("attention", "softmax(q·kᵀ·scale + mask)·v in float64 (GQA by repeat_interleave, bottom-right causal, all-masked rows → 0)", cases)


# ---------------------------------------------------------------- multi-head attention
def mha_ref(x, kv, params, h, hkv, causal=False, mask=None, key_padding=None, rope=None):
    """x [B,S,E], kv [B,T,E] float64 → (out [B,S,E], weights [B,H,S,T])."""
    b, s, e = x.shape
    t = kv.shape[1]
    d = e // h
    q = F.linear(x, params["wq"], params.get("bq")).reshape(b, s, h, d)
    k = F.linear(kv, params["wk"], params.get("bk")).reshape(b, t, hkv, d)
    v = F.linear(kv, params["wv"], params.get("bv")).reshape(b, t, hkv, d)
    if rope is not None:
        off = rope.get("offset", 0)
        q = rope_ref(q, torch.arange(off, off + s), rope.get("base", 10000.0), rope.get("interleaved", False))
        k = rope_ref(k, torch.arange(off, off + t), rope.get("base", 10000.0), rope.get("interleaved", False))
    a, w = attention_ref(q, k, v, None, causal, mask, key_padding)
    return F.linear(a.reshape(b, s, e), params["wo"], params.get("bo")), w


def torch_mha(x, kv, params, h, mask=None, key_padding=None, average=False):
    """nn.MultiheadAttention in float64 with attnkit's params; mask [S,T] or [B,H,S,T]."""
    b, s, e = x.shape
    t = kv.shape[1]
    biased = "bq" in params
    m = torch.nn.MultiheadAttention(e, h, batch_first=True, bias=biased)
    with torch.no_grad():
        m.in_proj_weight.copy_(torch.cat([params["wq"], params["wk"], params["wv"]]))
        m.out_proj.weight.copy_(params["wo"])
        if biased:
            m.in_proj_bias.copy_(torch.cat([params["bq"], params["bk"], params["bv"]]))
            m.out_proj.bias.copy_(params["bo"])
    attn_mask = None if mask is None else (mask.reshape(s, t) if mask.numel() == s * t else mask.reshape(b * h, s, t))
    kpm = None if key_padding is None else key_padding.bool()
    with torch.no_grad():
        out, w = m(x, kv, kv, attn_mask=attn_mask, key_padding_mask=kpm, need_weights=True, average_attn_weights=average)
    return out, w


def mha_cases():
    gen = torch.Generator().manual_seed(4)
    cases = []

    def case(name, b, s, e, h, hkv=None, t=None, biases="all", causal=False, mask=None, padding=None, rope=None, average=False):
        hkv = hkv or h
        d = e // h
        cross = t is not None
        t = t if cross else s
        x = f32(b, s, e, gen=gen)
        kv = f32(b, t, e, gen=gen) if cross else x
        ws = 1 / math.sqrt(e)
        params = {"wq": f32(e, e, gen=gen, scale=ws), "wk": f32(hkv * d, e, gen=gen, scale=ws), "wv": f32(hkv * d, e, gen=gen, scale=ws), "wo": f32(e, e, gen=gen, scale=ws)}
        names = {"all": ["bq", "bk", "bv", "bo"], "none": [], "some": ["bq", "bo"]}[biases]
        for bn in names:
            params[bn] = f32(e if bn in ("bq", "bo") else hkv * d, gen=gen, scale=0.1)
        m = None
        if mask == "shared":
            m = f32(s, t, gen=gen)
            m[torch.rand(s, t, generator=gen, dtype=torch.float32) < 0.2] = -math.inf
        elif mask == "per-head":
            m = f32(b, h, s, t, gen=gen)
        pad = None
        if padding is not None:
            pad = torch.tensor(padding, dtype=torch.uint8).reshape(b, t)
        full_mask = m
        if causal:
            i, j = torch.arange(s)[:, None], torch.arange(t)[None, :]
            cm = torch.zeros(s, t).masked_fill(j > i + (t - s), -math.inf)
            full_mask = cm if m is None else m + (cm if m.numel() == s * t else cm[None, None])
        out, w = mha_ref(x, kv, params, h, hkv, False, full_mask, pad, rope)
        if average:
            w = w.mean(dim=1)
        # nn.MultiheadAttention covers: Hkv = H, all or no biases, no rope, no all-masked rows.
        if hkv == h and biases != "some" and rope is None:
            tout, tw = torch_mha(x, kv, params, h, full_mask, pad, average)
            ok = torch.isfinite(tout).all()
            if ok:
                assert torch.allclose(tout, out, atol=1e-12, rtol=0), name
                assert torch.allclose(tw, w, atol=1e-12, rtol=0), name
                checked.append(name)
        opts = {"batch": b, "seqLen": s, "embedDim": e, "numHeads": h, "numKvHeads": hkv, "causal": causal, "returnWeights": True, "averageWeights": average}
        inputs = {"x": f32b64(x), **{k: f32b64(v) for k, v in params.items()}}
        if cross:
            inputs["kv"] = f32b64(kv)
            opts["seqK"] = t
        if m is not None:
            inputs["mask"] = f32b64(m)
        if pad is not None:
            inputs["keyPaddingMask"] = padding
        if rope is not None:
            opts["rope"] = rope
        cases.append({"name": name, "inputs": inputs, "options": opts, "expected": {"output": expect(out), "weights": expect(w)}})

    checked = []
    case("self-attention, E8 H2, biases", 1, 4, 8, 2)
    case("no biases, batch 2", 2, 3, 8, 4, biases="none")
    case("some biases (bq, bo)", 1, 3, 6, 2, biases="some")
    case("averaged weights (PyTorch's default)", 2, 3, 8, 2, average=True)
    case("cross-attention, T != S", 2, 3, 8, 2, t=5)
    case("causal", 1, 5, 8, 2, causal=True)
    case("causal cross S<T bottom-right", 1, 2, 8, 2, t=4, causal=True)
    case("shared mask with -inf", 1, 4, 8, 2, mask="shared")
    case("per-head mask", 2, 3, 8, 2, mask="per-head")
    case("key padding", 2, 4, 8, 2, padding=[0, 0, 0, 1, 0, 1, 1, 0])
    case("GQA 4:2", 1, 4, 16, 4, hkv=2)
    case("GQA 4:1 + causal + padding", 2, 3, 12, 4, hkv=1, causal=True, padding=[0, 0, 1, 1, 0, 0])
    case("rope rotate-half, offset 5", 1, 4, 16, 2, rope={"offset": 5})
    case("rope interleaved, base 500, cross", 1, 3, 8, 2, t=4, rope={"base": 500.0, "interleaved": True})
    case("head width 64, E64 H1, S16", 1, 16, 64, 1)
    print(f"mha: nn.MultiheadAttention agrees (1e-12) with the explicit reference on {len(checked)} cases: {checked}")
    write("mha", "torch.nn.MultiheadAttention(batch_first=True) float64 where it applies; else F.linear + rope + attention reference (cross-checked)", cases)


# ---------------------------------------------------------------- encoder
def encoder_cases():
    gen = torch.Generator().manual_seed(5)
    example_table = torch.tensor([[0.1, 0.3, 0.5], [0.2, 0.4, 0.6], [0.3, 0.5, 0.7], [0.4, 0.6, 0.8]], dtype=torch.float32).to(torch.float64)
    example_pe = torch.tensor([[0.01, 0.02, 0.03], [0.02, 0.03, 0.04], [0.03, 0.04, 0.05], [0.04, 0.05, 0.06]], dtype=torch.float32).to(torch.float64)
    ids = [0, 1, 2, 3]  # "I love machine learning"
    cases = []

    def params_for(e, h):
        ws = 1 / math.sqrt(e)
        return {n: f32(e, e, gen=gen, scale=ws) for n in ("wq", "wk", "wv", "wo")} | {n: f32(e, gen=gen, scale=0.1) for n in ("bq", "bk", "bv", "bo")}

    def case(name, table, dim, positional, ids, heads=None, causal=False):
        emb = F.embedding(torch.tensor(ids, dtype=torch.long), table)
        n = len(ids)
        if positional == "sinusoidal":
            inputs = emb + sinusoidal(n, dim)
        elif isinstance(positional, dict) and "learned" in positional:
            inputs = emb + positional["learned"][:n]
        else:
            inputs = emb
        config = {"dim": dim, "positional": positional if isinstance(positional, str) else ({"learned": f32b64(positional["learned"])} if "learned" in positional else positional)}
        data = {"table": f32b64(table), "ids": ids}
        expected = {"inputs": expect(inputs)}
        if heads is not None:
            p = params_for(dim, heads)
            rope = positional["rope"] if isinstance(positional, dict) and "rope" in positional else None
            mask = None
            if causal:
                i, j = torch.arange(n)[:, None], torch.arange(n)[None, :]
                mask = torch.zeros(n, n).masked_fill(j > i, -math.inf)
            out, w = mha_ref(inputs[None], inputs[None], p, heads, heads, False, mask, None, rope)
            config["attention"] = {"numHeads": heads, "causal": causal}
            data["params"] = {k: f32b64(v) for k, v in p.items()}
            expected["output"] = expect(out[0])
            expected["weights"] = expect(w[0])
        else:
            expected["output"] = expect(inputs)
        cases.append({"name": name, "inputs": data, "options": config, "expected": expected})

    case("worked example: embeddings + its positional table", example_table, 3, {"learned": example_pe}, ids)
    case("worked example: no positional encoding", example_table, 3, "none", ids)
    case("worked example: sinusoidal", example_table, 3, "sinusoidal", ids)
    case("worked example: sinusoidal + attention, 1 head", example_table, 3, "sinusoidal", ids, heads=1)
    case("worked example: learned + causal attention, 1 head", example_table, 3, {"learned": example_pe}, ids, heads=1, causal=True)
    table4 = f32(6, 4, gen=gen)
    case("dim 4, rope + attention, 2 heads", table4, 4, {"rope": {"base": 10000.0, "interleaved": False}}, [5, 0, 3, 3, 1], heads=2)
    case("dim 4, interleaved rope + attention, 2 heads", table4, 4, {"rope": {"base": 100.0, "interleaved": True}}, [2, 4, 1], heads=2)
    table8 = f32(12, 8, gen=gen)
    case("dim 8, sinusoidal + attention, 2 heads, repeated ids", table8, 8, "sinusoidal", [11, 3, 3, 0, 7, 11], heads=2)
    write("encoder", "embedding + positional (sinusoidal / learned) + the mha reference; the worked example", cases)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    embedding_cases()
    sinusoidal_cases()
    rope_cases()
    attention_cases()
    mha_cases()
    encoder_cases()
