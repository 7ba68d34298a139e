"""Markdown tables for MODEL_CARD.md from finished runs under runs/.

  /usr/bin/python3 summarize_runs.py ablations             every finished loco run: what it changes, LOCO UAR per corpus
  /usr/bin/python3 summarize_runs.py folds RUN MODE        per-fold figures and pooled confusion matrices of one run
"""
import json
import os
import sys

import numpy as np

from train import build_parser
from voicedata import HERE

RUNS = os.path.join(HERE, 'runs')
DEFAULTS = vars(build_parser().parse_args(['loco', '--run', 'x']))
COMPARED = ('epochs', 'cycles', 'width', 'time_pool', 'neutral_calm', 'pool', 'short_prob', 'aug_prob', 'aug_families', 'gain_db', 'specaug', 'norm', 'mask', 'corpus_balance', 'smoothing', 'lr', 'adv_weight', 'spk_ref', 'corpora')


# Options added after the first runs: what those runs used.
BEFORE_OPTION = {'pool': 'plain', 'short_prob': 0.0, 'neutral_calm': 'as-labelled'}


def differs(args):
    args = {**BEFORE_OPTION, **args}
    return ', '.join(f'{k}={args[k]!r}' if isinstance(args[k], str) else f'{k}={args[k]}' for k in COMPARED if k in args and args[k] != DEFAULTS[k]) or '—'


def ablations():
    print('| run | differs from the defaults of train.py | LOCO shared-4 UAR, clean: mean (RAVDESS, EMOVO, TurEV) | shared-4, call channel | all labels, clean | all labels, call |')
    print('|---|---|---|---|---|---|')
    for name in sorted(os.listdir(RUNS)):
        summ = os.path.join(RUNS, name, 'loco-summary.json')
        if not os.path.exists(summ):
            continue
        s = json.load(open(summ))
        args = json.load(open(os.path.join(RUNS, name, 'loco-args.json')))
        cell = lambda w, v: f"{s[w][v]['uar']['mean']:.3f} ({', '.join(f'{u:.3f}' for u in s[w][v]['uar']['folds'])})"
        print(f"| {name} | {differs(args)} | {cell('clean', 'shared')} | {cell('call', 'shared')} | {cell('clean', 'open')} | {cell('call', 'open')} |")


def confusion(labels, cm, support):
    print('\n| true \\ predicted | ' + ' | '.join(labels) + ' | recall |')
    print('|---|' + '---|' * (len(labels) + 1))
    for i, row in enumerate(cm):
        if support[i] == 0:
            continue
        print(f'| **{labels[i]}** | ' + ' | '.join(str(v) for v in row) + f' | {row[i] / support[i]:.2f} |')


def folds(run, mode):
    s = json.load(open(os.path.join(RUNS, run, f'{mode}-summary.json')))
    for which in ('clean', 'call'):
        for view in ('open', 'shared'):
            v = s[which][view]
            print(f'\n### {mode} {which} {view}: UAR {v["uar"]["mean"]:.3f} ± {v["uar"]["sd"]:.3f}, accuracy {v["accuracy"]["mean"]:.3f}, macro-F1 {v["macroF1"]["mean"]:.3f}')
            print('\n| fold | UAR | chance | accuracy | macro-F1 |')
            print('|---|---|---|---|---|')
            for k, name in enumerate(s['folds']):
                print(f"| {name} | {v['uar']['folds'][k]:.3f} | {v['chanceUar'][k]:.3f} | {v['accuracy']['folds'][k]:.3f} | {v['macroF1']['folds'][k]:.3f} |")
            if mode == 'loco':
                for k, name in enumerate(s['folds']):
                    f = v['perFold'][k]
                    print(f'\n{name}:')
                    confusion(v['pooled']['labels'], np.array(f['confusion']), np.array(f['support']))
            else:
                print('\npooled over the folds:')
                confusion(v['pooled']['labels'], np.array(v['pooled']['confusion']), np.array(v['pooled']['support']))


def robustness(cv_run, loco_run):
    """spk_robustness.py's figures: mean over folds per reference scheme, CV (8 labels) and LOCO (shared four)."""
    cv = json.load(open(os.path.join(RUNS, cv_run, 'cv-robustness.json')))
    loco = json.load(open(os.path.join(RUNS, loco_run, 'loco-robustness.json')))
    schemes = [k for k in next(iter(cv.values()))]
    print('| speaker reference | RAVDESS new actors, 8 labels: mean (folds) | through the call channel | LOCO shared four: mean (RAVDESS, EMOVO, TurEV) | through the call channel |')
    print('|---|---|---|---|---|')
    for sc in schemes:
        cells = []
        for runs, key in ((cv, 'openUar'), (loco, 'sharedUar')):
            for w in ('clean', 'call'):
                vals = [runs[f][sc][w][key] for f in runs if sc in runs[f]]
                cells.append(f"{np.mean(vals):.3f} ({', '.join(f'{v:.3f}' for v in vals)})" if len(vals) == len(runs) else '—')
        print(f'| {sc} | ' + ' | '.join(cells) + ' |')


if __name__ == '__main__':
    if sys.argv[1] == 'ablations':
        ablations()
    elif sys.argv[1] == 'robustness':
        robustness(sys.argv[2], sys.argv[3])
    else:
        folds(sys.argv[2], sys.argv[3])
