#!/usr/bin/env python3
"""Writes test/vectors/: small word-vector files written by gensim and numpy (the
independent writers), and gensim's answers on them (the independent reference).

Files (one table of WORDS × DIM, seeded):
  vectors.txt       gensim save_word2vec_format(binary=False)  (word2vec text, fastText .vec)
  vectors.bin       gensim save_word2vec_format(binary=True)
  glove.txt         gensim save_word2vec_format(write_header=False)  (GloVe text)
  vectors.npy       np.save, float32;  vectors-f2.npy  np.save, float16;  vocab.txt
  invalid-utf8.bin  a word2vec binary file with invalid UTF-8 in two words (written byte by byte)
  duplicates.txt    a word2vec text file with a word twice
  expected.json     what gensim's load_word2vec_format reads back, and for each storage
                    type (f32, f16, int8) the stored values and gensim's most_similar /
                    similarity / analogy answers on a KeyedVectors holding those values.

Run by scripts/vectors.sh (which installs Debian's python3-gensim and python3-numpy).
"""
import json
import os

import numpy as np
from gensim.models import KeyedVectors

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'vectors')
DIM = 24
REAL = np.float32

# Words in several scripts: Latin, accents, Chinese, Japanese, emoji; and the analogy set.
NAMED = ['man', 'woman', 'king', 'queen', 'prince', 'princess', 'boy', 'girl', 'paris', 'france', 'berlin', 'germany',
         'café', 'naïve', 'résumé', 'Zürich', 'São_Paulo', 'ñandú', '猫', '狗', '中国', '北京', '東京', '日本',
         '🐱', '🐶', '👑', '🇫🇷', 'Ελλάδα', 'Москва']


def table(rng):
    """A table with structure: royalty = person + crown, female = male + gender, capitals = country + capital."""
    base = {w: rng.standard_normal(DIM).astype(REAL) * 2 for w in NAMED}
    gender, crown, capital = (rng.standard_normal(DIM).astype(REAL) for _ in range(3))
    for m, f in [('man', 'woman'), ('king', 'queen'), ('prince', 'princess'), ('boy', 'girl')]:
        base[f] = base[m] + gender + 0.1 * rng.standard_normal(DIM).astype(REAL)
    for p, r in [('man', 'king'), ('woman', 'queen'), ('boy', 'prince'), ('girl', 'princess')]:
        base[r] = base[p] + crown + 0.1 * rng.standard_normal(DIM).astype(REAL)
    base['queen'] = base['king'] + gender + 0.1 * rng.standard_normal(DIM).astype(REAL)
    for country, city in [('france', 'paris'), ('germany', 'berlin'), ('中国', '北京'), ('日本', '東京')]:
        base[city] = base[country] + capital + 0.1 * rng.standard_normal(DIM).astype(REAL)
    words = list(NAMED) + [f'w{i}' for i in range(30)]
    rows = [base[w] for w in NAMED] + [rng.standard_normal(DIM).astype(REAL) for _ in range(30)]
    return words, np.stack(rows).astype(REAL)


def f32s(row):
    """float32 values as the shortest decimals that read back as the same float32 (JSON stays small)."""
    return [float(repr(REAL(x))) for x in row]


def stored(vectors, dtype):
    """The values a table of `dtype` holds: f16 rounds to nearest even; int8 per row,
    scale = max|x| / 127 in float32, x / scale rounded half to even, clamped to ±127."""
    if dtype == 'f32':
        return vectors.copy()
    if dtype == 'f16':
        return vectors.astype(np.float16).astype(REAL)
    scale = (np.abs(vectors).max(axis=1) / REAL(127)).astype(REAL)
    q = np.clip(np.round(vectors / scale[:, None]), -127, 127).astype(REAL)
    return (q * scale[:, None]).astype(REAL)


def answers(words, values):
    kv = KeyedVectors(DIM)
    kv.add_vectors(words, values)
    pairs = lambda result: [[w, float(s)] for w, s in result]
    nearest = [{'query': w, 'k': k, 'result': pairs(kv.most_similar(w, topn=k))}
               for w, k in [('king', 5), ('猫', 3), ('café', 4), ('🐱', 6), ('paris', 10), ('w3', 45)]]
    query = (values[words.index('berlin')] - values[words.index('germany')]).astype(REAL)
    by_vector = {'vector': f32s(query), 'k': 5, 'result': pairs(kv.most_similar(positive=[query], topn=5))}
    similarity = [{'a': a, 'b': b, 'score': float(kv.similarity(a, b))}
                  for a, b in [('king', 'queen'), ('man', 'woman'), ('猫', '狗'), ('café', 'Zürich'), ('🐱', '🐶'), ('w0', 'w1')]]
    analogy = [{'a': a, 'b': b, 'c': c, 'k': 5, 'result': pairs(kv.most_similar(positive=[b, c], negative=[a], topn=5))}
               for a, b, c in [('man', 'king', 'woman'), ('germany', 'berlin', 'france'), ('中国', '北京', '日本'), ('boy', 'prince', 'girl')]]
    return {'values': [f32s(row) for row in values], 'nearest': nearest, 'byVector': by_vector,
            'similarity': similarity, 'analogy': analogy}


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20260)
    words, vectors = table(rng)
    kv = KeyedVectors(DIM)
    kv.add_vectors(words, vectors)
    path = lambda name: os.path.join(OUT, name)
    kv.save_word2vec_format(path('vectors.txt'), binary=False)
    kv.save_word2vec_format(path('vectors.bin'), binary=True)
    kv.save_word2vec_format(path('glove.txt'), binary=False, write_header=False)
    np.save(path('vectors.npy'), vectors)
    np.save(path('vectors-f2.npy'), vectors.astype(np.float16))
    with open(path('vocab.txt'), 'w', encoding='utf8') as f:
        f.write(''.join(w + '\n' for w in words))

    # What gensim reads back from each file it wrote: the words and values attnkit must read.
    read = {
        'vectors.txt': KeyedVectors.load_word2vec_format(path('vectors.txt'), binary=False),
        'vectors.bin': KeyedVectors.load_word2vec_format(path('vectors.bin'), binary=True),
        'glove.txt': KeyedVectors.load_word2vec_format(path('glove.txt'), binary=False, no_header=True),
    }
    for name, got in read.items():
        assert got.index_to_key == words, name
        assert np.array_equal(got.vectors, vectors), name

    # Invalid UTF-8 (a lone 0xE9, a truncated 3-byte sequence), read by gensim with
    # unicode_errors='replace'.
    raw_words = [b'caf\xe9', b'ok', b'\xe4\xb8', b'fine']
    raw = rng.standard_normal((len(raw_words), 4)).astype(REAL)
    with open(path('invalid-utf8.bin'), 'wb') as f:
        f.write(b'%d 4\n' % len(raw_words))
        for w, row in zip(raw_words, raw):
            f.write(w + b' ' + row.astype('<f4').tobytes())
    bad = KeyedVectors.load_word2vec_format(path('invalid-utf8.bin'), binary=True, unicode_errors='replace')

    # A duplicated word: gensim keeps the first row.
    dup_rows = [('a', [1.0, 2.0]), ('b', [3.0, 4.0]), ('a', [5.0, 6.0]), ('c', [7.0, 8.0])]
    with open(path('duplicates.txt'), 'w', encoding='utf8') as f:
        f.write('4 2\n' + ''.join(f'{w} {x} {y}\n' for w, (x, y) in dup_rows))
    dup = KeyedVectors.load_word2vec_format(path('duplicates.txt'), binary=False)
    # gensim 4.2 leaves a None key (and a zero row) in place of the skipped row: not a word.
    dup_words = [w for w in dup.index_to_key if w is not None]

    expected = {
        'dim': DIM,
        'words': words,
        'invalidUtf8': {'words': bad.index_to_key, 'values': [f32s(r) for r in bad.vectors]},
        'duplicates': {'words': dup_words, 'values': [f32s(r) for r in dup.vectors[:len(dup_words)]]},
        'dtypes': {dtype: answers(words, stored(vectors, dtype)) for dtype in ('f32', 'f16', 'int8')},
        'f16File': [f32s(row) for row in vectors.astype(np.float16).astype(REAL)],
    }
    with open(path('expected.json'), 'w', encoding='utf8') as f:
        json.dump(expected, f, ensure_ascii=False)
        f.write('\n')


if __name__ == '__main__':
    main()
