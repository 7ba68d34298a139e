"""A tiny random-weight copy of the text model for fast tests (tests/fixtures/models/text-glove-cnn-tiny/):
the same graph and tokenizer, an 8-d embedding, 4 channels, 64 bigram buckets and a vocabulary of the tokens of
a few written sentences. Seeded; needs no data set. Its outputs mean nothing (tinyRandomWeights: true).

  /usr/bin/python3 make_tiny.py
"""
import hashlib
import json
import os

import torch

from data import LABELS, REPO
from export import export_onnx, sha256
from model import TextCnn
from tokenizer import EOS, MAX_TOKENS, PAD, UNK, tokenize

OUT = os.path.join(REPO, "tests", "fixtures", "models", "text-glove-cnn-tiny")
SENTENCES = [
    "I am so happy for you, this is wonderful news!",
    "That makes me really angry. Why would they do that?",
    "I'm scared it won't get better. What if I fail?",
    "This is disgusting, I can't even look at it.",
    "Wow, I did not expect that at all!",
    "I feel sad and tired and I miss her.",
    "Okay, see you on Monday then.",
]


def main():
    torch.manual_seed(0)
    vocab = [PAD, UNK, EOS]
    for s in SENTENCES:
        for t in tokenize(s):
            if t not in vocab:
                vocab.append(t)
    model = TextCnn(len(vocab), dim=8, channels=4, n_labels=len(LABELS), eos_id=vocab.index(EOS), buckets=64)
    with torch.no_grad():
        model.emb.weight[0] = 0
        torch.nn.init.normal_(model.uni.weight, std=0.5)
        model.uni.weight[0] = 0
        torch.nn.init.normal_(model.bi.weight, std=0.5)
    os.makedirs(OUT, exist_ok=True)
    export_onnx(model, os.path.join(OUT, "model.onnx"))
    with open(os.path.join(OUT, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(vocab) + "\n")
    manifest = {
        "id": "text-glove-cnn-tiny", "version": "0.0.1", "task": "text-emotion",
        "architecture": "text-glove-cnn graph with random weights (8-d embedding, 4 channels, 64 bigram buckets); test fixture",
        "file": "model.onnx", "sha256": sha256(os.path.join(OUT, "model.onnx")),
        "input": {"name": "tokens", "dtype": "int64"}, "output": {"name": "logits", "kind": "logits"},
        "tokenizer": {"kind": "codepoint-words-v1", "vocabFile": "vocab.txt", "vocabSha256": sha256(os.path.join(OUT, "vocab.txt")), "maxTokens": MAX_TOKENS},
        "labels": LABELS, "abstainBelow": 0, "temperature": 1, "tinyRandomWeights": True,
    }
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    # Reference outputs of the PyTorch graph, for the engine test.
    model.eval()
    ref = []
    with torch.no_grad():
        for s in SENTENCES:
            ids = [vocab.index(t) if t in vocab else vocab.index(UNK) for t in tokenize(s)]
            ref.append({"text": s, "ids": ids, "logits": [round(float(v), 6) for v in model(torch.tensor([ids]))[0]]})
    with open(os.path.join(OUT, "reference.json"), "w", encoding="utf-8") as f:
        json.dump(ref, f, indent=1, ensure_ascii=False)
    print(OUT, os.path.getsize(os.path.join(OUT, "model.onnx")), "bytes")


if __name__ == "__main__":
    main()
