"""Ship a final run: copy runs/<run>/model.onnx to ../model.onnx and write ../manifest.json (sha256 computed here)
with the leave-one-corpus-out figures (metrics.crossCorpus: what to expect on a new corpus, and the fusion weight),
the RAVDESS speaker-independent figures (metrics.uar ...) and the input-check statistics (inputCheck).

  /usr/bin/python3 write_manifest.py --run final --loco-run loco --cv-run cv [--version 2.0.0]
"""
import argparse
import hashlib
import json
import os
import shutil

from input_check import QUANTILE, fit_for_manifest
from voicedata import HERE, SHARED_GROUPS, group_name


def fold_figures(summary, which, view):
    s = summary[which][view]
    return {k: s[k] for k in ('uar', 'accuracy', 'macroF1')} | {'chanceUar': s['chanceUar']}


def architecture(args, fe, frames):
    """One line on the graph: a single CNN, or (ensemble.py) the probability average of several."""
    widths = args['width'] if isinstance(args['width'], list) else [args['width']]
    cnn = (f"time avg-pool x{args['time_pool']}, 5 conv+BN+ReLU layers (5x5/2, 3x3/2, 3x3+pool, 3x3+pool, 3x3; "
           f"widths {' and '.join(f'{w}-{w * 8}' for w in widths)}), mean+max pooling, linear")
    head = f"average of {len(widths)} CNNs' softmax probabilities (output: log of the average); each CNN: {cnn}" if len(widths) > 1 else f'CNN: {cnn}'
    return f"{head}; input {fe['nMels']}x{frames} log-mel ({fe['windowSeconds']} s windows), normalised in the graph ({args['norm']})"


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--run', required=True)
    p.add_argument('--loco-run', required=True)
    p.add_argument('--cv-run', required=True)
    p.add_argument('--version', default='2.1.0')
    p.add_argument('--quantile', type=float, default=QUANTILE, help='input-check threshold: this quantile of the training crops\' distances')
    a = p.parse_args()

    model_dir = os.path.abspath(os.path.join(HERE, '..'))
    runs = os.path.join(HERE, 'runs')
    final = json.load(open(os.path.join(runs, a.run, 'final.json')))
    loco = json.load(open(os.path.join(runs, a.loco_run, 'loco-summary.json')))
    cv = json.load(open(os.path.join(runs, a.cv_run, 'cv-summary.json')))
    shutil.copyfile(os.path.join(runs, a.run, 'model.onnx'), os.path.join(model_dir, 'model.onnx'))
    sha = hashlib.sha256(open(os.path.join(model_dir, 'model.onnx'), 'rb').read()).hexdigest()
    args = final['args']
    fe = final['frontEnd']
    cv_open = cv['clean']['open']
    manifest = {
        'id': 'voice-spectrogram-cnn',
        'version': a.version,
        'task': 'voice-emotion',
        'architecture': architecture(args, fe, final['framesPerWindow']),
        'file': 'model.onnx',
        'sha256': sha,
        'input': {
            'name': 'logmel',
            'shape': [-1, 1, fe['nMels'], final['framesPerWindow']],
            'layout': 'NCHW',
            'channels': 'logmel',
            # Normalisation is inside the ONNX graph; the engine passes raw log-mel.
            'normalization': {'scale': 1, 'mean': [0], 'std': [1]},
        },
        'output': {'name': 'logits', 'kind': 'logits'},
        'labels': final['labels'],
        'frontEnd': fe,
        'abstainBelow': 0,
        'temperature': 1,
        'tinyRandomWeights': False,
        'inputCheck': fit_for_manifest(a.run, a.quantile),
        'metrics': {
            'protocol': 'file label = vote over the engine windows. crossCorpus: leave-one-corpus-out over RAVDESS (actors 1-20), EMOVO and '
                        'TurEV-DB (train on two, test on the third), mean over the three held-out corpora, all 8 labels; crossCorpus.shared4: '
                        'the same on angry, happy, neutral+calm, sad. uar/accuracy/macroF1: RAVDESS actor-grouped 5-fold CV '
                        '(actors 1-4, 5-8, 9-12, 13-16, 17-20 held out in turn; EMOVO and TurEV-DB always in training)',
            'crossCorpus': {
                'protocol': 'leave-one-corpus-out (held out in turn: ' + ', '.join(f.replace('held-out ', '') for f in loco['folds']) + ')',
                'run': a.loco_run,
                **fold_figures(loco, 'clean', 'open'),
                'shared4': {'labels': [group_name(g) for g in SHARED_GROUPS], **fold_figures(loco, 'clean', 'shared')},
                'callChannel': {'open': fold_figures(loco, 'call', 'open'), 'shared4': fold_figures(loco, 'call', 'shared')},
                'windowUar': loco['clean']['windowUar'],
            },
            'cvRun': a.cv_run,
            'uar': cv_open['uar'], 'accuracy': cv_open['accuracy'], 'macroF1': cv_open['macroF1'], 'windowUar': cv['clean']['windowUar'],
            'perClassRecall': dict(zip(cv_open['pooled']['labels'], cv_open['pooled']['recall'])),
            'confusion': {'labels': cv_open['pooled']['labels'], 'matrix': cv_open['pooled']['confusion']},
            'cvShared4': fold_figures(cv, 'clean', 'shared'),
            'cvCallChannel': {'open': fold_figures(cv, 'call', 'open'), 'shared4': fold_figures(cv, 'call', 'shared')},
            'trainingRun': a.run,
            'trainingArgs': args,
            'corpora': final['corpora'],
        },
    }
    with open(os.path.join(model_dir, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=1)
        f.write('\n')
    print(f'wrote {model_dir}/manifest.json (sha256 {sha}); cross-corpus UAR {loco["clean"]["open"]["uar"]["mean"]:.3f}, '
          f'shared-4 {loco["clean"]["shared"]["uar"]["mean"]:.3f}; RAVDESS CV UAR {cv_open["uar"]["mean"]:.3f}')


if __name__ == '__main__':
    main()
