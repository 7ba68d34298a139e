"""Reproduce the cross-validation figures through the engine: export each CV fold's model to ONNX and score its
held-out actors with `affect eval voice` (TypeScript decode → windows → log-mel → onnxruntime-node → vote).

  /usr/bin/python3 eval_folds.py --run cv-e100        (from anywhere; needs ../shared/datasets/ravdess-speech)

Writes runs/<run>/fold<k>/{model.onnx,manifest.json,labels.csv,engine.json}, runs/<run>/engine-eval.json and its copy
train/cv-engine-eval.json (committed), and prints
the per-fold UAR from PyTorch (fold<k>.json) next to the engine's.
"""
import argparse
import csv
import hashlib
import json
import os
import subprocess

import numpy as np
import torch

from train import RUNS, VoiceCnn, export_onnx
from voicedata import HERE, FeatureCache

ROOT = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
DATA = os.environ.get('RAVDESS_DIR', os.path.abspath(os.path.join(ROOT, '..', 'shared', 'datasets', 'ravdess-speech')))

ap = argparse.ArgumentParser()
ap.add_argument('--run', required=True)
a = ap.parse_args()
run_dir = os.path.join(RUNS, a.run)
args = json.load(open(os.path.join(run_dir, 'cv-args.json')))
shipped = json.load(open(os.path.join(HERE, '..', 'manifest.json')))
cache = FeatureCache()
rows = list(csv.DictReader(open(os.path.join(DATA, 'labels.csv'))))
out = {'run': a.run, 'folds': []}
for k in [int(s) for s in args['folds'].split(',')]:
    res = json.load(open(os.path.join(run_dir, f'fold{k}.json')))
    fold_dir = os.path.join(run_dir, f'fold{k}')
    os.makedirs(fold_dir, exist_ok=True)
    model = VoiceCnn(len(cache.labels), args['width'], bool(args['inorm']), 0.0, 1.0, args['time_pool'])
    model.load_state_dict(torch.load(os.path.join(run_dir, f'fold{k}.pt'))['model'])  # mean/std buffers come with it
    export_onnx(model, cache, os.path.join(fold_dir, 'model.onnx'))
    sha = hashlib.sha256(open(os.path.join(fold_dir, 'model.onnx'), 'rb').read()).hexdigest()
    manifest = {**shipped, 'id': f'voice-{a.run}-fold{k}', 'sha256': sha,
                'metrics': {'note': f'CV fold {k} model: trained without actors {res["testActors"]}'}}
    json.dump(manifest, open(os.path.join(fold_dir, 'manifest.json'), 'w'), indent=1)
    with open(os.path.join(fold_dir, 'labels.csv'), 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(['path', 'emotion'])
        for r in rows:
            if r['speaker'] in res['testActors']:
                w.writerow([os.path.join(DATA, r['path']), r['emotion']])
    report = subprocess.run(['node', os.path.join(ROOT, 'bin', 'affect.mjs'), 'eval', 'voice', fold_dir, '--model', fold_dir, '--json', '--threads', '1'],
                            check=True, capture_output=True, text=True).stdout
    open(os.path.join(fold_dir, 'engine.json'), 'w').write(report)
    eng = json.loads(report)
    line = {'fold': k, 'testActors': res['testActors'], 'n': eng['n'], 'torchUar': res['file']['uar'], 'engineUar': eng['uar'],
            'torchAccuracy': res['file']['accuracy'], 'engineAccuracy': eng['accuracy'], 'engineMacroF1': eng['macroF1'],
            'engineRealTimeFactor': eng.get('realTimeFactor')}
    print(json.dumps(line), flush=True)
    out['folds'].append(line)
out['engineUarMean'] = float(np.mean([f['engineUar'] for f in out['folds']]))
out['torchUarMean'] = float(np.mean([f['torchUar'] for f in out['folds']]))
json.dump(out, open(os.path.join(run_dir, 'engine-eval.json'), 'w'), indent=1)
json.dump(out, open(os.path.join(HERE, 'cv-engine-eval.json'), 'w'), indent=1)  # committed beside the card
print(f"mean UAR: PyTorch {out['torchUarMean']:.4f}, engine {out['engineUarMean']:.4f}")
