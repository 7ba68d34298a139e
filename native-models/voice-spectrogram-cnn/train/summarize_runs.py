"""Markdown table of every finished CV run under runs/ (for MODEL_CARD.md); 'differs' is relative to train.py's defaults (the shipped recipe).

  /usr/bin/python3 summarize_runs.py
"""
import json
import os

from voicedata import HERE

DEFAULTS = {'epochs': 100, 'width': 16, 'aug_prob': 0.5, 'gain_db': 6.0, 'specaug': 1, 'balance': 1, 'inorm': 0, 'time_pool': 2, 'crops': 1, 'lr': 0.003}
runs = os.path.join(HERE, 'runs')
print('| run | differs from the shipped recipe | UAR (mean ± sd) | accuracy | macro-F1 | window UAR |')
print('|---|---|---|---|---|---|')
for name in sorted(os.listdir(runs)):
    summ = os.path.join(runs, name, 'cv-summary.json')
    if not os.path.exists(summ):
        continue
    s = json.load(open(summ))
    args = json.load(open(os.path.join(runs, name, 'cv-args.json')))
    diff = ', '.join(f'{k}={args[k]}' for k in DEFAULTS if k in args and args[k] != DEFAULTS[k]) or '—'
    f = lambda k: f"{s[k]['mean']:.3f} ± {s[k]['sd']:.3f}"
    print(f"| {name} | {diff} | {f('uar')} | {f('accuracy')} | {f('macroF1')} | {s['windowUar']:.3f} |")


def confusion_table(run):
    """Per-fold figures and the pooled confusion matrix of one CV run, as markdown."""
    s = json.load(open(os.path.join(runs, run, 'cv-summary.json')))
    labels = s['pooled']['labels']
    print(f'\nPer fold ({run}): ' + '; '.join(f"fold {k}: UAR {u:.3f}, acc {a:.3f}, macro-F1 {m:.3f}" for k, (u, a, m) in
                                          enumerate(zip(s['uar']['folds'], s['accuracy']['folds'], s['macroF1']['folds']))))
    print('\n| true \\ predicted | ' + ' | '.join(labels) + ' | recall |')
    print('|---|' + '---|' * (len(labels) + 1))
    for i, row in enumerate(s['pooled']['confusion']):
        print(f'| **{labels[i]}** | ' + ' | '.join(str(v) for v in row) + f" | {s['pooled']['recall'][i]:.2f} |")


if __name__ == '__main__':
    import sys
    for run in sys.argv[1:]:
        confusion_table(run)
