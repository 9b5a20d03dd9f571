#!/usr/bin/env python3
"""A small BERT WordPiece tokenizer and the ids it gives, for attnkit's tokenization tests:
`pnpm golden` (scripts/golden.sh). Plain Python 3, no packages.

Writes
  test/golden/wordpiece-tokenizer.json  a Hugging Face `tokenizer.json` (BertNormalizer with
                                        lowercase, accent stripping and Chinese characters
                                        split; BertPreTokenizer; WordPiece; [CLS] $A [SEP])
  test/golden/tokenize.json             {"cases": [{"name", "texts", "maxLength",
                                        "expected": {"ids": [[...] per text], "batch",
                                        "seqLen", "padId"}}]}: each text's ids with [CLS] and
                                        [SEP], truncated at maxLength (counting both), before
                                        padding; the tests pad with padId to seqLen.

The reference below is written from the description of Hugging Face's `tokenizers`
(the Rust crate a `tokenizer.json` is made for) and Google's original BERT BasicTokenizer:
  normalizer  drop U+0000, U+FFFD and control characters (category C*, except \\t \\n \\r);
              whitespace (\\t \\n \\r and category Zs) becomes a space; a space on each side
              of every CJK ideograph; lowercase; NFD and drop nonspacing marks (Mn)
  pre-split   on whitespace, and every punctuation character (ASCII 33-47, 58-64, 91-96,
              123-126, or category P*) is a word of its own
  WordPiece   greedy longest match first, continuations prefixed '##'; a word with no
              match at some point, or longer than 100 characters, is [UNK]
  specials    the exact text of an added token ([CLS], [MASK], ...) anywhere in the input
              is that token, not split further
It is independent of the JavaScript library the package uses (`@huggingface/tokenizers`).
"""

import json
import os
import unicodedata

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test", "golden")

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
PUNCTUATION = list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") + ["¿", "¡", "«", "»", "—", "…", "。", "，", "、"]
LETTERS = list("abcdefghijklmnopqrstuvwxyz0123456789")
WORDS = (
    "the a an of and to in is it that was he she for on are with as his they be at one have this "
    "from or had by word but what some we can out other were all there when up use your how said "
    "each which do their time if will way about many then them write would like so these her long "
    "make thing see him two has look more day could go come did number sound no most people my over "
    "know water than call first who may down side been now find i love machine learning cafe naive "
    "resume deja vu uber quick brown fox jumps lazy dog hello world token ##izer ##ization ##s ##ing "
    "##ed ##ly ##er un ##able ##aff ##able attention transform ##er ##ers embed ##ding ##dings "
    "self positional encoding worked example zurich sao paulo"
).split()
# Some ideographs are in the vocabulary, others (机, 器, 习, 猫) are not: they become [UNK].
CHINESE = list("我爱学中国人的是大")


def build_vocab():
    vocab = []
    for token in SPECIALS + PUNCTUATION + LETTERS + ["##" + c for c in LETTERS] + WORDS + CHINESE:
        if token not in vocab:
            vocab.append(token)
    return {token: i for i, token in enumerate(vocab)}


def is_control(ch):
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch).startswith("C")


def is_whitespace(ch):
    return ch in " \t\n\r" or unicodedata.category(ch) == "Zs"


def is_punctuation(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def is_chinese(ch):
    cp = ord(ch)
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def normalize(text):
    out = []
    for ch in text:
        if ch in ("\0", "\ufffd") or is_control(ch):
            continue
        if is_whitespace(ch):
            out.append(" ")
        elif is_chinese(ch):
            out.append(" " + ch + " ")
        else:
            out.append(ch)
    text = "".join(out).lower()
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")


def pre_split(text):
    words, current = [], []
    for ch in text:
        if is_whitespace(ch) or is_punctuation(ch):
            if current:
                words.append("".join(current))
                current = []
            if is_punctuation(ch):
                words.append(ch)
        else:
            current.append(ch)
    if current:
        words.append("".join(current))
    return words


def wordpiece(word, vocab):
    if len(word) > 100:
        return ["[UNK]"]
    pieces, start = [], 0
    while start < len(word):
        end = len(word)
        found = None
        while start < end:
            piece = ("##" if start > 0 else "") + word[start:end]
            if piece in vocab:
                found = piece
                break
            end -= 1
        if found is None:
            return ["[UNK]"]
        pieces.append(found)
        start = end
    return pieces


def split_specials(text):
    """The text cut at every exact occurrence of a special token: [(is_special, part)]."""
    parts, i, plain = [], 0, 0
    while i < len(text):
        match = next((s for s in sorted(SPECIALS, key=len, reverse=True) if text.startswith(s, i)), None)
        if match is None:
            i += 1
            continue
        if i > plain:
            parts.append((False, text[plain:i]))
        parts.append((True, match))
        i += len(match)
        plain = i
    if plain < len(text):
        parts.append((False, text[plain:]))
    return parts


def tokenize(text, vocab):
    tokens = []
    for special, part in split_specials(text):
        if special:
            tokens.append(part)
        else:
            for word in pre_split(normalize(part)):
                tokens.extend(wordpiece(word, vocab))
    return [vocab[t] for t in tokens]


def encode(text, vocab, max_length):
    ids = tokenize(text, vocab)[: max_length - 2]
    return [vocab["[CLS]"]] + ids + [vocab["[SEP]"]]


def tokenizer_json(vocab):
    added = [{"id": vocab[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for t in SPECIALS]
    special = lambda t: {"SpecialToken": {"id": t, "type_id": 0}}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [special("[CLS]"), {"Sequence": {"id": "A", "type_id": 0}}, special("[SEP]")],
            "pair": [special("[CLS]"), {"Sequence": {"id": "A", "type_id": 0}}, special("[SEP]"),
                     {"Sequence": {"id": "B", "type_id": 1}}, {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {t: {"id": t, "ids": [vocab[t]], "tokens": [t]} for t in ("[CLS]", "[SEP]")},
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": vocab},
    }


LONG = " ".join(["The quick brown fox jumps over the lazy dog, and the tokenizer keeps counting."] * 23)

CASES = [
    ("the worked example", ["I love machine learning"], 512),
    ("accents are stripped", ["Café, naïve résumé: déjà vu à São Paulo", "Über Zürich"], 512),
    ("punctuation is a word of its own", ["Hello, world! (tokenization) \"quick\"... $5 @ 10% #1 {a|b} ¿sí? «x» — y…"], 512),
    ("Chinese characters split one by one", ["我爱机器学习", "中国人的猫是大的。", "mixed中文text", "a\U00020000b \U0002a700\U0002f800"], 512),
    ("unknown words and characters", ["ß €100 🙂 emoji", "q" * 101, "xyzzy unembeddable", "Ωmega"], 512),
    ("whitespace and control characters", ["  tabs\tand\nnew\r\nlines\u00a0nbsp\u3000ideographic  ", "zero\u200bwidth\u0007bell"], 512),
    ("special tokens in the text", ["the [MASK] jumps [SEP] over [mask]"], 512),
    ("empty and blank texts", ["", "   ", "a"], 512),
    ("a batch of different lengths pads to the longest", ["hello", "the quick brown fox jumps over the lazy dog", "self attention"], 512),
    ("a 600-token text truncates at 512", [LONG, "short one"], 512),
    ("truncation at a small maxLength counts [CLS] and [SEP]", ["the quick brown fox jumps over the lazy dog", "hi"], 6),
    ("maxLength 2 keeps only [CLS] and [SEP]", ["the quick brown fox"], 2),
]


def main():
    vocab = build_vocab()
    cases = []
    for name, texts, max_length in CASES:
        ids = [encode(t, vocab, max_length) for t in texts]
        cases.append({"name": name, "texts": texts, "maxLength": max_length,
                      "expected": {"ids": ids, "batch": len(texts), "seqLen": max(len(i) for i in ids), "padId": vocab["[PAD]"]}})
    long_tokens = len(tokenize(LONG, vocab)) + 2
    assert long_tokens == 600, long_tokens
    with open(os.path.join(OUT, "wordpiece-tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer_json(vocab), f, ensure_ascii=False, indent=1)
        f.write("\n")
    with open(os.path.join(OUT, "tokenize.json"), "w", encoding="utf-8") as f:
        json.dump({"reference": "scripts/golden/tokenizer.py (BERT BasicTokenizer + WordPiece in plain Python)",
                   "tokenizer": "wordpiece-tokenizer.json", "cases": cases}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"tokenizer: {len(vocab)} tokens, {len(cases)} cases (the long text: {long_tokens} tokens with [CLS] and [SEP])")


if __name__ == "__main__":
    main()
