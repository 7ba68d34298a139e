"""The voice input check: fit the statistics that electron/analysis/voice/input-check.ts scores every window against,
and validate that the score flags what it should.

  /usr/bin/python3 input_check.py validate --loco-run loco --cv-run cv --final-run final    -> input-check-validation.json
  (write_manifest.py calls fit_for_manifest() for the shipped model)

Two checks, both fitted on training crops as the model trains on them (clean and augmented copies):
  - the model's embedding (train.py VoiceCnn.embed, or ensemble.py VoiceEnsemble.embed for an averaged run: the ONNX output `embedding`): a Gaussian with COMPONENTS principal
    directions plus an isotropic residual (probabilistic PCA); distance() mirrors inputDistance() in input-check.ts;
    threshold = the QUANTILE of the training crops' distances
  - low-band ripple (harmonic structure; low_band_ripple() mirrors lowBandRipple()): minRipple = the RIPPLE_QUANTILE
    of the training crops' ripple
A window is unlike the training audio when either check fails. Both quantiles were set before any validation.

Validation, each with a model that never saw the data it is tested on:
  - new speakers of a training corpus: the 5 RAVDESS actor-fold models, statistics fitted on each fold's training data,
    on the held-out actors (clean and through the held-out call channel)
  - another corpus: the 3 leave-one-corpus-out models, on the held-out corpus, with window accuracy of flagged vs
    unflagged windows
  - non-speech (input-check-probes.ts: synthesised music, noise bursts, phone tones, typing): the shipped model
"""
import argparse
import json
import math
import os

import numpy as np
import torch

from ensemble import load_model
from train import RUNS, crop_features, folds_for
from voicedata import CACHE, CORPORA, HERE, Data

FEATURE = 'embedding-ripple-v1'
COMPONENTS = 32
QUANTILE = 0.99
RIPPLE_QUANTILE = 0.005
RIPPLE_BANDS = 24
CROPS_PER_FILE = 3  # one clean, two from random augmented copies


@torch.no_grad()
def embeddings(model, arr):
    arr = np.asarray(arr, dtype='f4')
    out = [model.embed(torch.from_numpy(np.ascontiguousarray(arr[s:s + 64])[:, None])).numpy() for s in range(0, len(arr), 64)]
    return np.concatenate(out) if out else np.zeros((0, model.head.in_features), 'f4')


def training_crops(data, ids, seed=11):
    """Crops as training sees them (train.py crop_features), without gain or SpecAugment: per file one clean, and two
    from random augmented copies (the held-out call channel is never used)."""
    rng = np.random.default_rng(seed)
    out = []
    for i in ids:
        copies = [-1] + [int(c) for c in rng.choice(len(data.files[i]['aug']), CROPS_PER_FILE - 1, replace=False)]
        out += [crop_features(data, i, c, rng) for c in copies]
    return np.stack(out)


def fit(E, components=COMPONENTS):
    E = np.asarray(E, dtype=np.float64)
    mean = E.mean(0)
    vals, vecs = np.linalg.eigh(np.cov(E - mean, rowvar=False))
    order = np.argsort(vals)[::-1]
    vals, vecs = vals[order], vecs[:, order]
    r = lambda v: float(f'{float(v):.5g}')  # 5 significant digits keep the manifest small; the threshold is set on these values
    return {'feature': FEATURE, 'output': 'embedding', 'mean': [r(v) for v in mean], 'components': [[r(v) for v in c] for c in vecs[:, :components].T],
            'variances': [r(max(v, 1e-6)) for v in vals[:components]], 'residualVariance': r(max(vals[components:].mean(), 1e-6))}


def distance(E, stats):
    """Per-dimension Mahalanobis distance under the PCA + isotropic residual model (inputDistance in TypeScript)."""
    E = np.asarray(E, dtype=np.float64)
    z = E - np.asarray(stats['mean'])
    y = z @ np.asarray(stats['components']).T
    d2 = (y ** 2 / np.asarray(stats['variances'])).sum(1) + np.maximum(0, (z ** 2).sum(1) - (y ** 2).sum(1)) / stats['residualVariance']
    return np.sqrt(d2 / E.shape[1])


def low_band_ripple(L, floor_value):
    """Mean |second difference across mel bands 0-23| over the active frames of one window's log-mel [nMels, frames]
    (lowBandRipple in input-check.ts): active = not padding and within 20 dB of the loudest frame."""
    L = np.asarray(L, dtype=np.float64)
    fm = L.mean(0)
    act = (fm > floor_value + 0.5) & (fm >= fm.max() - math.log(100))
    A = L[:RIPPLE_BANDS][:, act]
    return float(np.abs(A[2:] - 2 * A[1:-1] + A[:-2]).mean()) if act.any() else 0.0


def ripples(arr, floor_value):
    return np.array([low_band_ripple(L, floor_value) for L in arr])


def fit_with_threshold(model, data, ids, quantile=QUANTILE, ripple_quantile=RIPPLE_QUANTILE):
    crops = training_crops(data, ids)
    E = embeddings(model, crops)
    stats = fit(E)
    stats['threshold'] = float(f'{np.quantile(distance(E, stats), quantile):.5g}')
    stats['minRipple'] = float(f'{np.quantile(ripples(crops, data.floor_value), ripple_quantile):.5g}')
    return stats, len(E)


def scores(model, arr, stats, floor_value):
    """(embedding distance / threshold, minRipple / ripple) per window; the engine's inputScore is their max."""
    return distance(embeddings(model, arr), stats) / stats['threshold'], stats['minRipple'] / np.maximum(ripples(arr, floor_value), 1e-9)


def fit_for_manifest(run, quantile=QUANTILE):
    data = Data()
    model = load_model(data, run, 'final')
    stats, n = fit_with_threshold(model, data, list(range(len(data))), quantile)
    stats['fitted'] = {'crops': n, 'quantile': quantile, 'rippleQuantile': RIPPLE_QUANTILE, 'components': COMPONENTS,
                       'on': 'crops of every training file as training sees them: one clean and two from augmented copies each'}
    return stats


def windows_of(data, ids, which):
    return np.concatenate([a[v] for i in ids for a, v in [data.windows(i, which)]])


def probe_windows():
    d = os.path.join(CACHE, 'probes')
    idx = json.load(open(os.path.join(d, 'index.json')))
    L = np.fromfile(os.path.join(d, 'logmel.f32'), dtype='<f4').reshape(-1, idx['nMels'], idx['framesPerWindow'])
    return {name: L[p['first']:p['first'] + p['voiced']] for name, p in idx['probes'].items()}


def rates(emb, rip):
    """Flag counts for the two checks (each in units of its threshold) and for the engine's rule, either."""
    both = np.maximum(emb, rip)
    n = len(both)
    frac = lambda x: float(x.mean()) if n else None
    return {'windows': int(n), 'flagged': int((both > 1).sum()), 'flaggedRate': frac(both > 1), 'byEmbedding': frac(emb > 1),
            'byRipple': frac(rip > 1), 'medianScore': float(np.median(both)) if n else None}


def validate(loco_run, cv_run, final_run):
    data = Data()
    out = {'quantile': QUANTILE, 'components': COMPONENTS, 'newSpeakers': {'clean': [], 'call': []}, 'otherCorpus': {}, 'probes': {}}
    for k, (name, train_ids, test_ids) in enumerate(folds_for('cv', data, CORPORA)):
        model = load_model(data, cv_run, f'cv{k}')
        stats, _ = fit_with_threshold(model, data, train_ids)
        for w in ('clean', 'call'):
            out['newSpeakers'][w].append({'fold': name, **rates(*scores(model, windows_of(data, test_ids, w), stats, data.floor_value))})
        print(name, {w: out['newSpeakers'][w][-1]['flaggedRate'] for w in ('clean', 'call')}, flush=True)
    for k, (name, train_ids, test_ids) in enumerate(folds_for('loco', data, CORPORA)):
        model = load_model(data, loco_run, f'loco{k}')
        stats, _ = fit_with_threshold(model, data, train_ids)
        res = json.load(open(os.path.join(RUNS, loco_run, f'loco{k}.json')))
        c = data.corpus_of[test_ids[0]]
        out['otherCorpus'][c] = {}
        for w in ('clean', 'call'):
            # windows_of gives the voiced windows only, as windowCorrect counts them
            emb, rip = scores(model, windows_of(data, test_ids, w), stats, data.floor_value)
            correct = np.concatenate([np.asarray(x, dtype=bool) for x in res[w]['windowCorrect']])
            assert len(emb) == len(correct), (len(emb), len(correct))
            flag = np.maximum(emb, rip) > 1
            out['otherCorpus'][c][w] = {**rates(emb, rip),
                                        'accuracyFlagged': float(correct[flag].mean()) if flag.any() else None,
                                        'accuracyNotFlagged': float(correct[~flag].mean()) if (~flag).any() else None}
        print(name, {w: out['otherCorpus'][c][w]['flaggedRate'] for w in ('clean', 'call')}, flush=True)
    model = load_model(data, final_run, 'final')
    stats = json.load(open(os.path.join(HERE, '..', 'manifest.json')))['inputCheck']
    for name, L in probe_windows().items():
        out['probes'][name] = rates(*scores(model, L, stats, data.floor_value))
    # the ripple of a few real windows, for the TypeScript parity test (tests/voice-input-check.test.ts)
    out['rippleParity'] = []
    for c in CORPORA:
        i = next(k for k in range(len(data)) if data.corpus_of[k] == c)
        arr, voiced = data.windows(i)
        out['rippleParity'].append({'corpus': c, 'path': data.files[i]['path'], 'window': 0, 'ripple': low_band_ripple(arr[0], data.floor_value)})
    json.dump(out, open(os.path.join(HERE, 'input-check-validation.json'), 'w'), indent=1)
    print(table(out))


def pct(v):
    return '—' if v is None else f'{100 * v:.1f} %'


def table(v):
    lines = ['| voiced windows | model and statistics | flagged (either check) | by embedding | by ripple | window accuracy, flagged vs not |',
             '|---|---|---|---|---|---|']
    for w in ('clean', 'call'):
        rs = v['newSpeakers'][w]
        n = sum(r['windows'] for r in rs)
        wavg = lambda k: sum(r[k] * r['windows'] for r in rs) / n
        lines.append(f"| RAVDESS new speakers (5 actor folds), {'clean' if w == 'clean' else 'held-out call channel'} ({n}) | each fold's model, fitted on its "
                     f"training data | {pct(wavg('flaggedRate'))} (folds {', '.join(pct(r['flaggedRate']) for r in rs)}) | {pct(wavg('byEmbedding'))} | {pct(wavg('byRipple'))} | |")
    for c, r2 in v['otherCorpus'].items():
        for w in ('clean', 'call'):
            r = r2[w]
            lines.append(f"| {c}, another corpus, {'clean' if w == 'clean' else 'held-out call channel'} ({r['windows']}) | trained and fitted on the other two corpora | "
                         f"{pct(r['flaggedRate'])} | {pct(r['byEmbedding'])} | {pct(r['byRipple'])} | {pct(r['accuracyFlagged'])} vs {pct(r['accuracyNotFlagged'])} |")
    for name, r in v['probes'].items():
        lines.append(f"| {name} ({r['windows']}) | the shipped model and statistics | {pct(r['flaggedRate'])} | {pct(r['byEmbedding'])} | {pct(r['byRipple'])} | |")
    return '\n'.join(lines)


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('mode', choices=['validate', 'table'])
    ap.add_argument('--loco-run', default='loco')
    ap.add_argument('--cv-run', default='cv')
    ap.add_argument('--final-run', default='final')
    a = ap.parse_args()
    if a.mode == 'validate':
        validate(a.loco_run, a.cv_run, a.final_run)
    else:
        print(table(json.load(open(os.path.join(HERE, 'input-check-validation.json')))))
