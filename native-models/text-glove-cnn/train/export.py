"""Export a trained run to native-models/text-glove-cnn/ and measure it on dev once.

  /usr/bin/python3 export.py --run cnn-wide [--version 1.0.0]

1. Temperature: NLL-optimal on the held-out tenth of train (the split every choice was made on).
2. abstainBelow 0.5: a text is left unlabelled when its calibrated top probability says the label is more
   likely wrong than right (the face model's rule).
3. ONNX (opset 13): input `tokens` int64 [batch, tokens], output `logits` [batch, 7]; float32 weights of 1,024
   elements or more stored as float16 with a Cast in front (arithmetic stays float32).
4. dev.csv, once: accuracy, macro-F1, UAR, per-class figures, confusion, ECE before/after T, coverage by
   abstain threshold -- computed by the exported network itself (float16-rounded weights, unpadded forward).
5. Writes model.onnx, vocab.txt, manifest.json, train/metrics.json and the parity fixtures under
   tests/fixtures/text/ (token ids and logits for dev texts, referenced by id, and for written test strings).
"""
import argparse
import datetime
import hashlib
import json
import os
import sys

import numpy as np
import torch

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))  # native-models/: onnx_fp16
from data import HERE, LABELS, REPO, label_ids, read_csv, split_train  # noqa: E402
from model import TextCnn  # noqa: E402
from onnx_fp16 import store_weights_fp16  # noqa: E402
from tokenizer import EOS, MAX_TOKENS, encode, tokenize

OUT = os.path.abspath(os.path.join(HERE, ".."))
FIXTURES = os.path.join(REPO, "tests", "fixtures", "text")
ABSTAIN_BELOW = 0.5


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def softmax(z):
    z = z - z.max(1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(1, keepdims=True)


def fit_temperature(logits, y):
    grid = np.exp(np.linspace(np.log(0.3), np.log(5), 400))
    nll = [-np.log(softmax(logits / t)[np.arange(len(y)), y] + 1e-12).mean() for t in grid]
    return float(grid[int(np.argmin(nll))])


def ece(probs, y, bins=15):
    conf, pred = probs.max(1), probs.argmax(1)
    total = 0.0
    for lo in np.linspace(0, 1, bins, endpoint=False):
        sel = (conf > lo) & (conf <= lo + 1 / bins)
        if sel.any():
            total += sel.mean() * abs((pred[sel] == y[sel]).mean() - conf[sel].mean())
    return float(total)


def report(y, pred):
    k = len(LABELS)
    cm = np.zeros((k, k), dtype=int)
    for t, p in zip(y, pred):
        cm[t, p] += 1
    per = {}
    for c, name in enumerate(LABELS):
        tp, support, predicted = cm[c, c], cm[c].sum(), cm[:, c].sum()
        prec = tp / predicted if predicted else 0.0
        rec = tp / support if support else 0.0
        per[name] = {"precision": round(float(prec), 4), "recall": round(float(rec), 4),
                     "f1": round(float(2 * prec * rec / (prec + rec)) if prec + rec else 0.0, 4), "n": int(support)}
    return {"n": int(len(y)), "accuracy": round(float((pred == y).mean()), 4),
            "macroF1": round(float(np.mean([v["f1"] for v in per.values()])), 4),
            "uar": round(float(np.mean([v["recall"] for v in per.values()])), 4),
            "perClass": per, "confusion": cm.tolist()}


def unpadded_logits(model, ids):
    """The exported computation: texts grouped by token count, no padding."""
    out = np.zeros((len(ids), len(LABELS)), dtype=np.float32)
    groups = {}
    for i, t in enumerate(ids):
        groups.setdefault(len(t), []).append(i)
    with torch.no_grad():
        for n, members in groups.items():
            for s in range(0, len(members), 256):
                b = members[s : s + 256]
                out[b] = model(torch.tensor([ids[i] for i in b], dtype=torch.long)).numpy()
    return out


def export_onnx(model, path):
    model.eval()
    dummy = torch.tensor([[5, 6, 7, 8]], dtype=torch.long)
    torch.onnx.export(model, (dummy,), path, input_names=["tokens"], output_names=["logits"], opset_version=13,
                      dynamic_axes={"tokens": {0: "batch", 1: "tokens"}, "logits": {0: "batch"}}, do_constant_folding=True)


def digests(text, index):
    """Dev texts stay in ../shared: the fixture keeps digests of their tokens ("\\n"-joined) and ids (","-joined)."""
    return {"tokensSha256": hashlib.sha256("\n".join(tokenize(text)).encode("utf-8")).hexdigest(),
            "idsSha256": hashlib.sha256(",".join(map(str, encode(text, index))).encode("utf-8")).hexdigest()}


# Written strings for the parity fixtures: emoji sequences, other scripts, markup, clitics, very long text.
WRITTEN = [
    "I can't believe it's finally over!!! 😭😭😭",
    "WHY would you do that?!?!",
    "Thanks [NAME], you're the best 👍🏽❤️",
    "Ça m'énerve… vraiment. Ünïcödé ÀÉÎÕÜ ×÷",
    "Ελληνικά και кириллица, עברית, العربية, हिन्दी, ไทย, 日本語のテキスト, 한국어",
    "family: 👨‍👩‍👧‍👦 flags: 🇬🇧🇫🇷 keycap: 1️⃣ tag flag: 🏴󠁧󠁢󠁳󠁣󠁴󠁿",
    "  leading and trailing\tspaces\nand line breaks  ",
    "“Curly quotes” and ‘single ones’ — dashes – and ellipsis…",
    "url https://example.com/a?b=1&c=2 and email someone@example.org",
    "y'all'd've thought rock'n'roll isn't dead; O'Neil's 90's",
    "[RELIGION] [NAME]'s [ unclosed [123] [a-b]",
    "a" * 40 + " " + "b " * 30,
    " ".join(["this is a very long utterance that goes on and on"] * 40),
    "",
    "   ",
    "🙂",
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", required=True)
    ap.add_argument("--version", default="1.0.0")
    args = ap.parse_args()
    torch.set_num_threads(1)
    ck = torch.load(os.path.join(HERE, "runs", args.run, "state.pt"))
    vocab, a = ck["vocab"], ck["args"]
    index = {t: i for i, t in enumerate(vocab)}
    model = TextCnn(len(vocab), ck["state"]["emb.weight"].shape[1], a["channels"], len(LABELS), a["dropout"], eos_id=index[EOS], buckets=ck["state"]["bi.weight"].shape[0])
    model.load_state_dict({k: v.half().float() if v.is_floating_point() else v for k, v in ck["state"].items()})
    model.eval()

    fit, hold = split_train()
    yh = np.array(label_ids(hold))
    hold_logits = unpadded_logits(model, [encode(r["text"], index) for r in hold])
    T = fit_temperature(hold_logits, yh)

    dev = read_csv("dev.csv")
    yd = np.array(label_ids(dev))
    dev_ids = [encode(r["text"], index) for r in dev]
    dev_logits = unpadded_logits(model, dev_ids)
    probs = softmax(dev_logits / T)
    pred = probs.argmax(1)
    conf = probs.max(1)
    kept = conf >= ABSTAIN_BELOW
    metrics = {
        "split": "GoEmotions dev (single-label Ekman rows), measured once",
        **report(yd, pred),
        "temperature": round(T, 4),
        "eceBeforeTemperature": round(ece(softmax(dev_logits), yd), 4),
        "ece": round(ece(probs, yd), 4),
        "holdout": {**{k: v for k, v in report(yh, softmax(hold_logits / T).argmax(1)).items() if k in ("n", "accuracy", "macroF1", "uar")}},
        "abstainBelow": ABSTAIN_BELOW,
        "abstainCoverage": round(float(kept.mean()), 4),
        "accuracyWhenNotAbstaining": round(float((pred[kept] == yd[kept]).mean()), 4),
        "coverageTable": [{"abstainBelow": t, "coverage": round(float((conf >= t).mean()), 4),
                           "accuracyOfKept": round(float((pred[conf >= t] == yd[conf >= t]).mean()), 4)} for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)],
        "truncatedDevTexts": int(sum(len(tokenize(r["text"], MAX_TOKENS + 1)) > MAX_TOKENS for r in dev)),
        "run": args.run, "trainArgs": a, "exported": datetime.date.today().isoformat(),
    }
    # Bootstrap: dev macro-F1 of this model minus the baseline's, paired resampling of dev texts.
    base_path = os.path.join(HERE, "baseline_dev_predictions.npy")
    if os.path.exists(base_path):
        base = np.load(base_path)
        rng = np.random.default_rng(0)
        diffs = []
        for _ in range(1000):
            s = rng.integers(0, len(yd), len(yd))
            diffs.append(report(yd[s], pred[s])["macroF1"] - report(yd[s], base[s])["macroF1"])
        metrics["macroF1MinusBaseline"] = {"mean": round(float(np.mean(diffs)), 4), "ci95": [round(float(np.percentile(diffs, 2.5)), 4), round(float(np.percentile(diffs, 97.5)), 4)]}

    onnx_path = os.path.join(OUT, "model.onnx")
    export_onnx(model, onnx_path)
    store_weights_fp16(onnx_path)
    with open(os.path.join(OUT, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(vocab) + "\n")
    n_params = sum(p.numel() for p in model.parameters())
    manifest = {
        "id": "text-glove-cnn", "version": args.version, "task": "text-emotion",
        "architecture": f"GloVe-100d word CNN (widths 1-3, {a['channels']} channels each, max+mean pooling) plus a hashed unigram+bigram linear part; {n_params / 1e6:.2f} M params, weights stored as float16",
        "file": "model.onnx", "sha256": sha256(onnx_path),
        "input": {"name": "tokens", "dtype": "int64"},
        "output": {"name": "logits", "kind": "logits"},
        "tokenizer": {"kind": "codepoint-words-v1", "vocabFile": "vocab.txt", "vocabSha256": sha256(os.path.join(OUT, "vocab.txt")), "maxTokens": MAX_TOKENS},
        "labels": LABELS, "abstainBelow": ABSTAIN_BELOW, "temperature": round(T, 4), "tinyRandomWeights": False,
        "metrics": {k: metrics[k] for k in ("split", "n", "accuracy", "macroF1", "uar", "ece", "exported")},
    }
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    with open(os.path.join(HERE, "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=1)

    # Parity fixtures: 300 dev texts (every one with emoji or non-ASCII first, the longest ones, then by id order),
    # as digests only (the data set is not copied into the repository).
    os.makedirs(FIXTURES, exist_ok=True)
    special = [r for r in dev if any(ord(c) > 127 for c in r["text"])]
    longest = sorted(dev, key=lambda r: -len(r["text"]))[:20]
    chosen, seen = [], set()
    for r in special + longest + sorted(dev, key=lambda r: r["id"]):
        if r["id"] not in seen and len(chosen) < 300:
            chosen.append(r)
            seen.add(r["id"])
    logit_rows = set(range(0, 300, 5))
    fixture = {
        "model": "text-glove-cnn", "vocabSha256": manifest["tokenizer"]["vocabSha256"], "maxTokens": MAX_TOKENS,
        "dev": [{"id": r["id"], "textSha256": hashlib.sha256(r["text"].encode("utf-8")).hexdigest(), **digests(r["text"], index),
                 **({"logits": [round(float(v), 5) for v in unpadded_logits(model, [encode(r["text"], index)])[0]]} if k in logit_rows else {})}
                for k, r in enumerate(chosen)],
        "written": [{"text": t, "tokens": tokenize(t), "ids": encode(t, index) if tokenize(t) else [],
                     **({"logits": [round(float(v), 5) for v in unpadded_logits(model, [encode(t, index)])[0]]} if tokenize(t) else {})} for t in WRITTEN],
    }
    with open(os.path.join(FIXTURES, "text-glove-cnn-parity.json"), "w", encoding="utf-8") as f:
        json.dump(fixture, f, ensure_ascii=False)
    print(json.dumps({k: metrics[k] for k in ("accuracy", "macroF1", "uar", "ece", "temperature", "abstainCoverage")}))


if __name__ == "__main__":
    main()
