"""Markdown tables for MODEL_CARD.md from metrics.json (this model on dev) and baseline.json (TF-IDF + LR on dev).

  /usr/bin/python3 card_tables.py
"""
import json
import os

from data import HERE, LABELS

pct = lambda x: f"{100 * x:.1f}"


def main():
    m = json.load(open(os.path.join(HERE, "metrics.json")))
    b = json.load(open(os.path.join(HERE, "baseline.json")))["dev"]
    out = ["| | accuracy | macro-F1 | UAR |", "|---|---:|---:|---:|",
           f"| text-glove-cnn (this model) | {pct(m['accuracy'])} | **{pct(m['macroF1'])}** | {pct(m['uar'])} |",
           f"| TF-IDF + logistic regression (our baseline, same split) | {pct(b['accuracy'])} | {pct(b['macroF1'])} | {pct(b['uar'])} |",
           "| BERT-base, published (multi-label Ekman, test split, not comparable one to one) | — | 62.4 | — |", ""]
    out += ["| class | n | recall (this model) | recall (baseline) | precision | F1 |", "|---|---:|---:|---:|---:|---:|"]
    for c in LABELS:
        p = m["perClass"][c]
        out.append(f"| {c} | {p['n']} | {pct(p['recall'])} | {pct(b['recall'][c])} | {pct(p['precision'])} | {pct(p['f1'])} |")
    out += ["", "Confusion on dev (rows: true, columns: predicted):", "", "| | " + " | ".join(LABELS) + " |", "|---|" + "---:|" * len(LABELS)]
    for c, row in zip(LABELS, m["confusion"]):
        out.append(f"| **{c}** | " + " | ".join(str(v) for v in row) + " |")
    out += ["", "| abstainBelow | texts labelled | accuracy of those |", "|---:|---:|---:|"]
    out += [f"| {r['abstainBelow']} | {pct(r['coverage'])} | {pct(r['accuracyOfKept'])} |" for r in m["coverageTable"]]
    print("\n".join(out))


if __name__ == "__main__":
    main()
