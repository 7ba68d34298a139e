"""GoEmotions single-label Ekman rows (../shared/datasets/goemotions, see its SOURCE.txt) and the seeded
split of train.csv into a fitting part and a held-out part used for every choice (epochs, architecture,
temperature, abstain threshold, the baseline's C). dev.csv is read once, at the end, for the card."""
import csv
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "../../.."))
DATA = os.environ.get("GOEMOTIONS_DIR", os.path.abspath(os.path.join(REPO, "../shared/datasets/goemotions")))
CACHE = os.path.join(HERE, "cache")
LABELS = ["angry", "disgust", "fearful", "happy", "neutral", "sad", "surprised"]
HOLDOUT_FRACTION = 0.1
SPLIT_SEED = 20


def read_csv(name):
    path = os.path.join(DATA, name)
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        if r["emotion"] not in LABELS:
            raise ValueError(f"{path}: id {r['id']} has emotion {r['emotion']!r}")
    return rows


def split_train():
    """(fit, holdout): a stratified, seeded 90/10 split of train.csv, written to split.json for the record."""
    rows = read_csv("train.csv")
    rng = random.Random(SPLIT_SEED)
    fit, hold = [], []
    for label in LABELS:
        group = [r for r in rows if r["emotion"] == label]
        rng.shuffle(group)
        k = round(len(group) * HOLDOUT_FRACTION)
        hold += group[:k]
        fit += group[k:]
    rng.shuffle(fit)
    hold.sort(key=lambda r: r["id"])
    split_path = os.path.join(HERE, "split.json")
    record = {"seed": SPLIT_SEED, "holdoutFraction": HOLDOUT_FRACTION, "fit": len(fit), "holdout": len(hold), "holdoutIds": [r["id"] for r in hold]}
    if not os.path.exists(split_path):
        with open(split_path, "w") as f:
            json.dump(record, f)
    else:
        with open(split_path) as f:
            saved = json.load(f)
        if saved["holdoutIds"] != record["holdoutIds"]:
            raise RuntimeError("split.json differs from the seeded split: the data set changed")
    return fit, hold


def label_ids(rows):
    return [LABELS.index(r["emotion"]) for r in rows]
