"""The voice input check: fit the training-distribution statistics that electron/analysis/voice/input-check.ts scores
windows against, and validate that the score flags what it should.

  /usr/bin/python3 input_check.py validate [--quantile 0.99]   flag rates per condition -> input-check-validation.json
  (write_manifest.py calls fit_for_manifest() for the shipped model: fitted on every training window)

Summaries come from the exporter (computed by the TypeScript code the engine runs), so only the Gaussian fit and
the distance live here; distance() mirrors inputDistance() in input-check.ts.

Validation, all at the threshold the engine uses (the given quantile of the fitted training windows' distances):
  - new speakers of the training corpora (in distribution): per corpus a third of its speakers is held out of the fit
  - the same held-out speakers through the held-out call channel (telephone band + Speex: a codec not in training)
  - another corpus (leave-one-corpus-out: fitted on the other two)
  - non-speech probes (input-check-probes.ts: synthesised music, noise bursts, phone tones, typing)
  - and, with the leave-one-corpus-out fold models of a run (--run), window accuracy of flagged vs not flagged windows.
"""
import argparse
import json
import os

import numpy as np

from voicedata import CACHE, CORPORA, HERE, Data

FEATURE = 'logmel-shape-dynamics-v1'
COMPONENTS = 16
# Speakers held out of the fit to measure the flag rate on new speakers of a training corpus (a third of each).
HELD_OUT_SPEAKERS = {'ravdess': {'01', '02', '03', '04', '05', '06', '07'}, 'emovo': {'f1', 'm1'}, 'turev': {'1234', '1984'}}


def fit(X, components=COMPONENTS):
    X = np.asarray(X, dtype=np.float64)
    mean = X.mean(0)
    cov = np.cov(X - mean, rowvar=False)
    vals, vecs = np.linalg.eigh(cov)
    order = np.argsort(vals)[::-1]
    vals, vecs = vals[order], vecs[:, order]
    r6 = lambda v: float(f'{float(v):.6g}')  # 6 significant digits: the manifest stays readable; the threshold is set on these values
    return {'feature': FEATURE, 'mean': [r6(v) for v in mean], 'components': [[r6(v) for v in c] for c in vecs[:, :components].T],
            'variances': [r6(max(v, 1e-6)) for v in vals[:components]], 'residualVariance': r6(max(vals[components:].mean(), 1e-6))}


def distance(X, stats):
    """Per-dimension Mahalanobis distance under the PCA + isotropic residual model (inputDistance in TypeScript)."""
    X = np.asarray(X, dtype=np.float64)
    z = X - np.asarray(stats['mean'])
    P = np.asarray(stats['components'])
    y = z @ P.T
    d2 = (y ** 2 / np.asarray(stats['variances'])).sum(1) + np.maximum(0, (z ** 2).sum(1) - (y ** 2).sum(1)) / stats['residualVariance']
    return np.sqrt(d2 / X.shape[1])


def training_summaries(data, ids):
    """Every voiced window the model trains on: clean files and their augmented copies."""
    parts = []
    for i in ids:
        parts.append(data.window_summaries(i, 'clean'))
        for k in range(len(data.files[i]['aug'])):
            parts.append(data.window_summaries(i, k))
    return np.concatenate(parts)


def fit_with_threshold(data, ids, quantile):
    X = training_summaries(data, ids)
    stats = fit(X)
    stats['threshold'] = float(np.quantile(distance(X, stats), quantile))
    return stats, len(X)


def fit_for_manifest(quantile=0.99):
    data = Data()
    stats, n = fit_with_threshold(data, list(range(len(data))), quantile)
    stats['fitted'] = {'windows': n, 'quantile': quantile, 'on': 'every voiced window of every training file and of its augmented copies'}
    return stats


def probe_summaries():
    d = os.path.join(CACHE, 'probes')
    idx = json.load(open(os.path.join(d, 'index.json')))
    S = np.fromfile(os.path.join(d, 'summaries.f32'), dtype='<f4').reshape(-1, idx['summaryDims'])
    return {name: S[p['first']:p['first'] + p['voiced']] for name, p in idx['probes'].items()}, idx


def rate(X, stats):
    return {'windows': int(len(X)), 'flagged': float((distance(X, stats) > stats['threshold']).mean()) if len(X) else None,
            'medianDistance': float(np.median(distance(X, stats))) if len(X) else None}


def validate(quantile, run):
    data = Data()
    out = {'quantile': quantile, 'components': COMPONENTS, 'heldOutSpeakers': {k: sorted(v) for k, v in HELD_OUT_SPEAKERS.items()}}
    # 1. new speakers of the training corpora
    held = [i for i in range(len(data)) if data.files[i]['speaker'] in HELD_OUT_SPEAKERS[data.corpus_of[i]]]
    fit_ids = [i for i in range(len(data)) if i not in set(held)]
    stats, n = fit_with_threshold(data, fit_ids, quantile)
    out['newSpeakers'] = {'fittedWindows': n, 'threshold': stats['threshold']}
    for c in CORPORA:
        ids = [i for i in held if data.corpus_of[i] == c]
        out['newSpeakers'][c] = {w: rate(np.concatenate([data.window_summaries(i, w) for i in ids]), stats) for w in ('clean', 'call')}
    probes, _ = probe_summaries()
    out['probes'] = {name: rate(X, stats) for name, X in probes.items()}
    # 2. another corpus: fitted on the other two
    out['otherCorpus'] = {}
    for c in CORPORA:
        ids = [i for i in range(len(data)) if data.corpus_of[i] != c]
        st, n = fit_with_threshold(data, ids, quantile)
        test = [i for i in range(len(data)) if data.corpus_of[i] == c]
        out['otherCorpus'][c] = {'fittedWindows': n, 'threshold': st['threshold'],
                                 **{w: rate(np.concatenate([data.window_summaries(i, w) for i in test]), st) for w in ('clean', 'call')}}
        if run:  # accuracy of flagged vs unflagged windows of the held-out corpus, from the LOCO fold model
            res = json.load(open(os.path.join(HERE, 'runs', run, f'loco{CORPORA.index(c)}.json')))
            for w in ('clean', 'call'):
                correct = np.concatenate([np.asarray(x, dtype=bool) for x in res[w]['windowCorrect']])
                X = np.concatenate([data.window_summaries(i, w) for i in test])
                assert len(X) == len(correct), (len(X), len(correct))
                flag = distance(X, st) > st['threshold']
                out['otherCorpus'][c][w]['accuracyFlagged'] = float(correct[flag].mean()) if flag.any() else None
                out['otherCorpus'][c][w]['accuracyNotFlagged'] = float(correct[~flag].mean()) if (~flag).any() else None
    json.dump(out, open(os.path.join(HERE, 'input-check-validation.json'), 'w'), indent=1)
    print(table(out))


def pct(v):
    return '—' if v is None else f'{100 * v:.1f} %'


def table(v):
    lines = ['| windows | fitted on | flagged as unlike the training audio | median distance |', '|---|---|---|---|']
    ns = v['newSpeakers']
    for c in CORPORA:
        for w in ('clean', 'call'):
            r = ns[c][w]
            lines.append(f"| {c} new speakers ({', '.join(v['heldOutSpeakers'][c])}), {'clean' if w == 'clean' else 'call channel'} ({r['windows']}) | all corpora, other speakers | {pct(r['flagged'])} | {r['medianDistance']:.2f} |")
    for c in CORPORA:
        for w in ('clean', 'call'):
            r = v['otherCorpus'][c][w]
            acc = f" (window accuracy flagged {pct(r.get('accuracyFlagged'))} vs not {pct(r.get('accuracyNotFlagged'))})" if 'accuracyFlagged' in r else ''
            lines.append(f"| {c}, another corpus, {'clean' if w == 'clean' else 'call channel'} ({r['windows']}) | the other two corpora | {pct(r['flagged'])}{acc} | {r['medianDistance']:.2f} |")
    for name, r in v['probes'].items():
        lines.append(f"| {name} ({r['windows']} voiced windows) | all corpora, other speakers | {pct(r['flagged'])} | {r['medianDistance']:.2f} |")
    return '\n'.join(lines)


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('mode', choices=['validate', 'table'])
    ap.add_argument('--quantile', type=float, default=0.99)
    ap.add_argument('--run', help='a loco run whose fold models give window accuracy of flagged vs unflagged windows')
    a = ap.parse_args()
    if a.mode == 'validate':
        validate(a.quantile, a.run)
    else:
        print(table(json.load(open(os.path.join(HERE, 'input-check-validation.json')))))
