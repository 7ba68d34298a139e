"""Train one text emotion model (seeded). Every choice is scored on the held-out tenth of train.csv
(data.split_train); dev.csv is never read here. Writes runs/<name>/{state.pt,log.json,holdout_logits.npy}.

  /usr/bin/python3 train.py --name base [--epochs 8] [--channels 128] [--class-weight sqrt] [--embeddings finetune] [--wide-decay 1e-4]
"""
import argparse
import json
import os
import random
import time

import numpy as np
import torch
from torch import nn

from data import HERE, LABELS, label_ids, split_train
from model import TextCnn
from tokenizer import encode
from tokenizer import EOS
from vocab import build_vocab


def macro_f1(y, p, k=len(LABELS)):
    f1s, recalls = [], []
    for c in range(k):
        tp = int(((p == c) & (y == c)).sum())
        fp = int(((p == c) & (y != c)).sum())
        fn = int(((p != c) & (y == c)).sum())
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
        recalls.append(rec)
    return float(np.mean(f1s)), float(np.mean(recalls))


def batches(ids, labels, batch_size, rng, shuffle):
    """Length-bucketed batches: sort by length within chunks of 50 batches, then shuffle the batches."""
    order = list(range(len(ids)))
    if shuffle:
        rng.shuffle(order)
    chunk = batch_size * 50
    out = []
    for s in range(0, len(order), chunk):
        part = sorted(order[s : s + chunk], key=lambda i: len(ids[i]))
        out += [part[b : b + batch_size] for b in range(0, len(part), batch_size)]
    if shuffle:
        rng.shuffle(out)
    for b in out:
        lengths = torch.tensor([len(ids[i]) for i in b])
        x = torch.zeros(len(b), int(lengths.max()), dtype=torch.long)
        for r, i in enumerate(b):
            x[r, : len(ids[i])] = torch.tensor(ids[i])
        yield b, x, lengths, torch.tensor([labels[i] for i in b])


def predict_logits(model, ids, batch_size=256):
    model.eval()
    out = np.zeros((len(ids), len(LABELS)), dtype=np.float32)
    with torch.no_grad():
        for b, x, lengths, _ in batches(ids, [0] * len(ids), batch_size, None, False):
            out[b] = model.forward_padded(x, lengths).numpy()
    return out


def class_weights(labels, mode):
    counts = np.bincount(labels, minlength=len(LABELS)).astype(np.float64)
    if mode == "none":
        w = np.ones(len(LABELS))
    elif mode == "sqrt":
        w = np.sqrt(counts.max() / counts)
    elif mode == "balanced":
        w = counts.max() / counts
    else:
        raise ValueError(mode)
    return torch.tensor(w / (w * counts).sum() * counts.sum(), dtype=torch.float32)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--channels", type=int, default=128)
    ap.add_argument("--dropout", type=float, default=0.5)
    ap.add_argument("--wide-decay", type=float, default=1e-4, help="AdamW weight decay of the n-gram weights")
    ap.add_argument("--no-wide", action="store_true", help="leave the n-gram part out (ablation)")
    ap.add_argument("--class-weight", default="sqrt", choices=["none", "sqrt", "balanced"])
    ap.add_argument("--embeddings", default="finetune", choices=["frozen", "finetune"])
    ap.add_argument("--emb-lr-scale", type=float, default=0.1)
    ap.add_argument("--label-smoothing", type=float, default=0.0)
    ap.add_argument("--max-batches", type=int, default=0, help="stop each epoch after this many batches (timing)")
    args = ap.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    rng = random.Random(args.seed)
    run_dir = os.path.join(HERE, "runs", args.name)
    os.makedirs(run_dir, exist_ok=True)

    fit, hold = split_train()
    vocab, matrix, in_glove, vstats = build_vocab([r["text"] for r in fit])
    index = {t: i for i, t in enumerate(vocab)}
    fit_ids = [encode(r["text"], index) for r in fit]
    hold_ids = [encode(r["text"], index) for r in hold]
    yf, yh = label_ids(fit), np.array(label_ids(hold))
    print(f"vocab {vstats}; fit {len(fit)} holdout {len(hold)}", flush=True)

    model = TextCnn(len(vocab), matrix.shape[1], args.channels, len(LABELS), args.dropout, eos_id=index[EOS])
    with torch.no_grad():
        model.emb.weight.copy_(torch.from_numpy(matrix))
    glove_rows = torch.from_numpy(in_glove)
    if args.embeddings == "frozen":
        # GloVe rows stay as they are; rows GloVe lacks (emoji, Reddit words) are learnt.
        model.emb.weight.register_hook(lambda g: g.masked_fill(glove_rows[:, None], 0))
    wide = [model.uni.weight, model.bi.weight]
    if args.no_wide:
        for p in wide:
            p.requires_grad_(False)
    other = [p for n, p in model.named_parameters() if n not in ("emb.weight", "uni.weight", "bi.weight")]
    emb_lr = args.lr * (args.emb_lr_scale if args.embeddings == "finetune" else 1.0)
    opt = torch.optim.AdamW([{"params": [model.emb.weight], "lr": emb_lr, "weight_decay": 0.0},
                             {"params": wide, "lr": args.lr, "weight_decay": args.wide_decay},
                             {"params": other, "lr": args.lr, "weight_decay": 1e-4}])
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=[emb_lr, args.lr, args.lr], total_steps=args.epochs * ((len(fit_ids) + args.batch - 1) // args.batch), pct_start=0.1)
    loss_fn = nn.CrossEntropyLoss(weight=class_weights(yf, args.class_weight), label_smoothing=args.label_smoothing)

    log = {"args": vars(args), "vocab": vstats, "epochs": []}
    best = -1.0
    for epoch in range(1, args.epochs + 1):
        model.train()
        t0 = time.time()
        total, n = 0.0, 0
        for k, (b, x, lengths, y) in enumerate(batches(fit_ids, yf, args.batch, rng, True)):
            if args.max_batches and k >= args.max_batches:
                break
            opt.zero_grad()
            loss = loss_fn(model.forward_padded(x, lengths), y)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            if not args.max_batches:
                sched.step()
            total += float(loss) * len(b)
            n += len(b)
        train_s = time.time() - t0
        logits = predict_logits(model, hold_ids)
        pred = logits.argmax(1)
        f1, uar = macro_f1(yh, pred)
        row = {"epoch": epoch, "loss": round(total / n, 4), "holdoutAccuracy": round(float((pred == yh).mean()), 4),
               "holdoutMacroF1": round(f1, 4), "holdoutUar": round(uar, 4), "seconds": round(train_s, 1)}
        log["epochs"].append(row)
        print(json.dumps(row), flush=True)
        if f1 > best:
            best = f1
            log["best"] = row
            torch.save({"state": model.state_dict(), "vocab": vocab, "args": vars(args)}, os.path.join(run_dir, "state.pt"))
            np.save(os.path.join(run_dir, "holdout_logits.npy"), logits)
        with open(os.path.join(run_dir, "log.json"), "w") as f:
            json.dump(log, f, indent=1)
        if args.max_batches:
            break


if __name__ == "__main__":
    main()
