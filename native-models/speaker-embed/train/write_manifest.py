"""Write native-models/speaker-embed/{model.onnx, manifest.json} from a training run and the clustering settings
chosen on dev-speaker mixtures (scripts/eval-diarization.ts --tune writes them to train/clustering.json).

    /usr/bin/python3 native-models/speaker-embed/train/write_manifest.py --run r1 [--version 1.0.0]
"""
import argparse
import hashlib
import json
import os
import shutil

from train import FRONT_END

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL_DIR = os.path.dirname(HERE)

ARCH = {
    'cnn': 'CNN speaker embedding: per-band mean removal, 6 conv3x3+BN+ReLU layers (widths {w}-{w8}, frequency /8, time /2), '
           '1-D conv {hidden} over time, mean+std pooling, linear {dim}; input 40 log-mel bands of speech frames (any length)',
    'ensemble': 'Two speaker embeddings joined ({members}): each L2-normalised, concatenated and divided by sqrt(2), so a dot product is the mean of their cosine similarities; input 40 log-mel bands of speech frames (any length)',
    'stats': 'Statistics speaker embedding: mean and std of 40 log-mel bands and their time differences, 2-layer MLP to {dim}',
}


def describe(a):
    if a['arch'] == 'ensemble':
        return ARCH['ensemble'].format(members='; '.join(describe(m).split('; input')[0] for m in a['members']))
    return ARCH[a['arch']].format(w=a['width'], w8=8 * a['width'], dim=a['dim'], hidden=a.get('hidden', 256))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--run', required=True)
    ap.add_argument('--version', default='1.0.0')
    ap.add_argument('--clustering', default=os.path.join(HERE, 'clustering.json'))
    ap.add_argument('--out-dir', default=MODEL_DIR, help='where to write model.onnx + manifest.json (default: the shipped folder)')
    args = ap.parse_args()
    run_dir = os.path.join(HERE, 'runs', args.run)
    with open(os.path.join(run_dir, 'args.json')) as f:
        run_args = json.load(f)
    with open(os.path.join(run_dir, 'log.json')) as f:
        log = json.load(f)
    with open(args.clustering) as f:
        clustering = json.load(f)
    os.makedirs(args.out_dir, exist_ok=True)
    dst = os.path.join(args.out_dir, 'model.onnx')
    shutil.copyfile(os.path.join(run_dir, 'model.onnx'), dst)
    manifest = {
        'id': 'speaker-embed',
        'version': args.version,
        'task': 'speaker-embedding',
        'architecture': describe(run_args),
        'file': 'model.onnx',
        'sha256': hashlib.sha256(open(dst, 'rb').read()).hexdigest(),
        'input': {'name': 'logmel', 'shape': [-1, 1, FRONT_END['nMels'], -1], 'layout': 'NCHW', 'channels': 'logmel',
                  'normalization': {'scale': 1, 'mean': [0], 'std': [1]}},
        'output': {'name': 'embedding', 'kind': 'embedding'},
        'labels': [],
        'frontEnd': FRONT_END,
        'clustering': clustering['settings'],
        'tinyRandomWeights': False,
        'metrics': {
            'trainingRun': args.run,
            'trainingArgs': run_args,
            'devEer': log['best']['devEer'],
            'devEerStep': log['best']['step'],
            'devEerMembers': log['best'].get('members'),
            'clusteringChosenOn': clustering.get('chosenOn'),
            'diarization': 'native-models/speaker-embed/evaluation.json (held-out speakers)',
        },
    }
    with open(os.path.join(args.out_dir, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=2)
        f.write('\n')
    print('wrote', args.out_dir)


if __name__ == '__main__':
    main()
