"""Reproduce a run's fold figures through the engine: export each fold's model to ONNX and score its held-out files
with `affect eval voice` (ffmpeg decode → TypeScript windows, gate and log-mel → onnxruntime-node → vote), on all the
model's labels and on the four shared ones (`--labels angry,happy,neutral+calm,sad`).

  /usr/bin/python3 eval_folds.py --run final-loco --mode loco     leave-one-corpus-out folds
  /usr/bin/python3 eval_folds.py --run final-cv --mode cv         RAVDESS actor folds
  --folds 1,2: only those folds (a fold whose engine figures exist for the same model is not scored again)

Writes runs/<run>/<mode><k>/{model.onnx,manifest.json,labels.csv,engine-open.json,engine-shared.json} and
train/<mode>-engine-eval.json (committed), and prints PyTorch's figures next to the engine's for every fold.
"""
import argparse
import csv
import hashlib
import json
import os
import subprocess

import numpy as np

from ensemble import load_model
from train import RUNS, export_onnx
from voicedata import HERE, SHARED_GROUPS, Data, group_name

ROOT = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
SHARED = os.environ.get('AFFECT_SHARED_DATASETS', os.path.abspath(os.path.join(ROOT, '..', 'shared', 'datasets')))
CORPUS_DIRS = {'ravdess': 'ravdess-speech', 'emovo': 'emovo', 'turev': 'turev-db'}
SHARED_SPEC = ','.join(group_name(g) for g in SHARED_GROUPS)


def affect_eval(fold_dir, extra):
    out = subprocess.run(['node', os.path.join(ROOT, 'bin', 'affect.mjs'), 'eval', 'voice', fold_dir, '--model', fold_dir, '--json', '--threads', '1', *extra],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--run', required=True)
    ap.add_argument('--mode', choices=['loco', 'cv'], required=True)
    ap.add_argument('--folds', default=None, help='comma-separated fold indices (default: every finished fold)')
    a = ap.parse_args()
    chosen = None if a.folds is None else {int(x) for x in a.folds.split(',')}
    run_dir = os.path.join(RUNS, a.run)
    args = json.load(open(os.path.join(run_dir, f'{a.mode}-args.json')))
    shipped = json.load(open(os.path.join(HERE, '..', 'manifest.json')))
    data = Data(args['corpora'].split(','))
    out = {'run': a.run, 'mode': a.mode, 'folds': []}
    k = 0
    while os.path.exists(os.path.join(run_dir, f'{a.mode}{k}.json')):
        if chosen is not None and k not in chosen:
            k += 1
            continue
        res = json.load(open(os.path.join(run_dir, f'{a.mode}{k}.json')))
        fold_dir = os.path.join(run_dir, f'{a.mode}{k}')
        os.makedirs(fold_dir, exist_ok=True)
        model = load_model(data, a.run, f'{a.mode}{k}')  # one network, or an ensemble run's average (ensemble.py)
        export_onnx(model, data.n_mels, data.fpw, os.path.join(fold_dir, 'model.onnx'))
        sha = hashlib.sha256(open(os.path.join(fold_dir, 'model.onnx'), 'rb').read()).hexdigest()
        manifest = {kk: v for kk, v in shipped.items() if kk not in ('metrics', 'inputCheck')}
        manifest.update({'id': f'voice-{a.run}-{a.mode}{k}', 'sha256': sha, 'metrics': {'note': f'fold model: trained without {res["name"]}'}})
        json.dump(manifest, open(os.path.join(fold_dir, 'manifest.json'), 'w'), indent=1)
        corpus_dir = os.path.join(SHARED, CORPUS_DIRS[res['testCorpus']])
        test_paths = set(res['testPaths'])
        with open(os.path.join(fold_dir, 'labels.csv'), 'w', newline='') as f:
            w = csv.writer(f)
            w.writerow(['path', 'emotion'])
            for r in csv.DictReader(open(os.path.join(corpus_dir, 'labels.csv'))):
                if r['path'] in test_paths:
                    w.writerow([os.path.join(corpus_dir, r['path']), r['emotion']])
        line = {'fold': k, 'name': res['name']}
        for view, extra in (('open', []), ('shared', ['--labels', SHARED_SPEC])):
            done = os.path.join(fold_dir, f'engine-{view}.json')
            if os.path.exists(done) and json.load(open(done)).get('modelSha256', sha) == sha:
                eng = json.load(open(done))  # resumed: this fold's model was already scored
            else:
                eng = affect_eval(fold_dir, extra)
                json.dump(eng, open(done, 'w'), indent=1)
            line[view] = {'n': eng['n'], 'torchUar': res['clean'][view]['uar'], 'engineUar': eng['uar'], 'engineAccuracy': eng['accuracy'],
                          'engineMacroF1': eng['macroF1'], 'engineRealTimeFactor': eng.get('realTimeFactor')}
        print(json.dumps(line), flush=True)
        out['folds'].append(line)
        k += 1
    for view in ('open', 'shared'):
        out[view] = {'engineUarMean': float(np.mean([f[view]['engineUar'] for f in out['folds']])),
                     'torchUarMean': float(np.mean([f[view]['torchUar'] for f in out['folds']]))}
    name = f'{a.mode}-engine-eval.json' if chosen is None else f'{a.mode}-engine-eval-folds-{"-".join(map(str, sorted(chosen)))}.json'
    json.dump(out, open(os.path.join(HERE, name), 'w'), indent=1)  # committed beside the card
    for view in ('open', 'shared'):
        print(f"{view}: mean UAR PyTorch {out[view]['torchUarMean']:.4f}, engine {out[view]['engineUarMean']:.4f}")


if __name__ == '__main__':
    main()
