"""How much a speaker-normalised model (--norm spk) depends on what the speaker's reference mean was taken from.

Training and the cv/loco figures subtract each speaker's mean log-mel over *all* their files, balanced across emotions.
A real session is not balanced: someone may be sad for the whole hour. This scores the held-out files of a finished
fold again with the reference taken from other subsets of the same speaker's speech:

  all            every file of the speaker (what training and the fold figures use)
  same-emotion   only the speaker's files of the scored file's emotion (worst case: a whole session in one emotion)
  skewed         8 of the speaker's files drawn with Dirichlet(0.5) emotion weights (a lopsided session), 5 draws
  neutral        only the speaker's neutral/calm files (a calm reference recorded beforehand)
  own-file       the scored file alone (a participant who says one sentence)
  population     no reference from the speaker: the mean of the training speakers' references (what a participant
                 with no usable speech would get)

Usage: /usr/bin/python3 spk_robustness.py --run cv-spk-e100 --mode cv [--folds 0,1] [--schemes all,skewed]
Writes (merges into) runs/<run>/<mode>-robustness.json and prints open / shared-four UAR per scheme and condition.
"""
import argparse
import json
import os

import numpy as np
import torch

from train import RUNS, VoiceCnn, folds_for, score, window_probs
from voicedata import Data


def schemes_for(data, i, same_speaker, rng):
    label = data.label(i)
    neutral = [data.labels.index(l) for l in ('neutral', 'calm') if l in data.labels]
    by_label = {}
    for j in same_speaker:
        by_label.setdefault(data.label(j), []).append(j)
    out = {'all': [same_speaker], 'same-emotion': [by_label[label]], 'own-file': [[i]]}
    ref = [j for j in same_speaker if data.label(j) in neutral]
    if ref:
        out['neutral'] = [ref]
    draws = []
    present = sorted(by_label)
    for _ in range(5):
        w = rng.dirichlet([0.5] * len(present))
        draws.append([by_label[present[k]][rng.integers(len(by_label[present[k]]))] for k in rng.choice(len(present), 8, p=w)])
    out['skewed'] = draws
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--run', required=True)
    p.add_argument('--mode', choices=['cv', 'loco'], required=True)
    p.add_argument('--folds', default=None)
    p.add_argument('--seed', type=int, default=11)
    p.add_argument('--schemes', default='all,same-emotion,skewed,neutral,own-file,population')
    a = p.parse_args()
    run_dir = os.path.join(RUNS, a.run)
    args = json.load(open(os.path.join(run_dir, f'{a.mode}-args.json')))
    assert args['norm'] == 'spk', 'only a --norm spk run depends on a speaker reference'
    corpora = args['corpora'].split(',')
    data = Data(corpora, speaker_norm=True)
    folds = folds_for(a.mode, data, corpora)
    chosen = range(len(folds)) if a.folds is None else [int(s) for s in a.folds.split(',')]
    report = {}
    for k in chosen:
        name, _, test_ids = folds[k]
        ck = os.path.join(run_dir, f'{a.mode}{k}.pt')
        if not os.path.exists(os.path.join(run_dir, f'{a.mode}{k}.json')):
            print(f'fold {k}: not finished, skipped'); continue
        model = VoiceCnn(len(data.labels), args['width'], 'spk', 0.0, 1.0, args['time_pool'], data.floor_value, args['pool'])
        model.load_state_dict(torch.load(ck)['model'])  # mean/std buffers come from the checkpoint
        speakers = {}
        for i in test_ids:
            speakers.setdefault((data.corpus_of[i], data.files[i]['speaker']), []).append(i)
        rng = np.random.default_rng([a.seed, k])  # the same draws for a fold whichever folds run
        plans = {i: schemes_for(data, i, speakers[(data.corpus_of[i], data.files[i]['speaker'])], rng) for i in test_ids}
        names = a.schemes.split(',')
        test_keys = {(data.corpus_of[i], data.files[i]['speaker']) for i in test_ids}
        population = {w: np.mean([m for (spk, cond, _), m in data.speaker_means.items() if cond == w and spk not in test_keys], axis=0).astype('f4')
                      for w in ('clean', 'call')}
        for i in test_ids:
            plans[i]['population'] = [None]
        report[name] = {}
        for scheme in names:
            ids = [i for i in test_ids if scheme in plans[i]]
            res = {}
            for which in ('clean', 'call'):
                draws = max(len(plans[i][scheme]) for i in ids)
                figures = []
                for d in range(draws):
                    pv = []
                    for i in ids:
                        subset = plans[i][scheme][d % len(plans[i][scheme])]
                        ref = population[which] if subset is None else data.reference(subset, which)
                        pv += window_probs(model, data, [i], which, ref)  # None: the speaker's own mean
                    s = score(data, ids, pv)
                    figures.append((s['open']['uar'], s['shared']['uar']))
                f = np.array(figures)
                res[which] = {'files': len(ids), 'draws': draws, 'openUar': float(f[:, 0].mean()), 'sharedUar': float(f[:, 1].mean())}
            report[name][scheme] = res
            print(f'fold {k} ({name}) {scheme:13s} ' + '; '.join(
                f'{w}: open {res[w]["openUar"]:.3f} shared-4 {res[w]["sharedUar"]:.3f}' for w in ('clean', 'call')), flush=True)
    out = os.path.join(run_dir, f'{a.mode}-robustness.json')
    if os.path.exists(out):  # merge with earlier runs of other folds or schemes
        old = json.load(open(out))
        for fold, schemes in report.items():
            old.setdefault(fold, {}).update(schemes)
        report = old
    json.dump(report, open(out, 'w'), indent=1)


if __name__ == '__main__':
    main()
