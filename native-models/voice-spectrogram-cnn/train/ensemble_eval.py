"""Score an average of several runs' fold models (softmax probabilities averaged per window) on the same folds, beside
each member alone: what an ensemble of the runs would buy before paying its inference cost.

  /usr/bin/python3 ensemble_eval.py cv cv-rw2-e100 cv-rw2w20-e100 [--folds 0,2]

Every run must have finished the chosen folds (runs/<run>/<mode><k>.pt and <mode><k>.json) with the same corpora.
"""
import argparse
import json
import os

import numpy as np

from input_check import load_model
from train import RUNS, folds_for, score, window_probs
from voicedata import Data


def main():
    p = argparse.ArgumentParser()
    p.add_argument('mode', choices=['cv', 'loco'])
    p.add_argument('runs', nargs='+')
    p.add_argument('--folds', default=None)
    a = p.parse_args()
    first = json.load(open(os.path.join(RUNS, a.runs[0], f'{a.mode}-args.json')))
    corpora = first['corpora'].split(',')
    for run in a.runs[1:]:
        other = json.load(open(os.path.join(RUNS, run, f'{a.mode}-args.json')))
        if other['corpora'] != first['corpora'] or other['norm'] != first['norm']:
            raise SystemExit(f'{run}: corpora/norm differ from {a.runs[0]}')
    data = Data(corpora, speaker_norm=first['norm'] == 'spk')
    folds = folds_for(a.mode, data, corpora)
    chosen = range(len(folds)) if a.folds is None else [int(s) for s in a.folds.split(',')]
    views = [(which, view) for which in ('clean', 'call') for view in ('open', 'shared')]
    table = {name: {v: [] for v in views} for name in [*a.runs, 'ensemble']}
    for k in chosen:
        name, _, test_ids = folds[k]
        members = [load_model(data, run, f'{a.mode}{k}') for run in a.runs]
        for which in ('clean', 'call'):
            each = [window_probs(m, data, test_ids, which) for m in members]
            mean_pv = [(np.mean([pv[f][0] for pv in each], axis=0), each[0][f][1]) for f in range(len(test_ids))]
            for run, pv in [*zip(a.runs, each), ('ensemble', mean_pv)]:
                s = score(data, test_ids, pv)
                for view in ('open', 'shared'):
                    table[run][(which, view)].append(s[view]['uar'])
        print(f'fold {k} ({name}), clean, all labels: ' + '; '.join(f'{n} {table[n][("clean", "open")][-1]:.3f}' for n in table), flush=True)
    for which, view in views:
        print(f'{which}, {"all labels" if view == "open" else "shared four"}, UAR mean over folds ' + ','.join(map(str, chosen)) + ': ' + '; '.join(
            f'{n} {np.mean(table[n][(which, view)]):.3f} ({", ".join(f"{u:.3f}" for u in table[n][(which, view)])})' for n in table))


if __name__ == '__main__':
    main()
