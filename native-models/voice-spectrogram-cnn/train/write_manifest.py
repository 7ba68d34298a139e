"""Ship a final run: copy runs/<run>/model.onnx to ../model.onnx and write ../manifest.json (sha256 computed here)
from runs/<run>/final.json and the CV summary runs/<cv-run>/cv-summary.json.

  /usr/bin/python3 write_manifest.py --run final-run --cv-run cv-run [--version 1.0.0]
"""
import argparse
import hashlib
import json
import os
import shutil

from voicedata import HERE

p = argparse.ArgumentParser()
p.add_argument('--run', required=True)
p.add_argument('--cv-run', help='CV run whose summary goes into metrics (omit only for a provisional manifest)')
p.add_argument('--version', default='1.2.0')
a = p.parse_args()

model_dir = os.path.abspath(os.path.join(HERE, '..'))
final = json.load(open(os.path.join(HERE, 'runs', a.run, 'final.json')))
cv = json.load(open(os.path.join(HERE, 'runs', a.cv_run, 'cv-summary.json'))) if a.cv_run else None
shutil.copyfile(os.path.join(HERE, 'runs', a.run, 'model.onnx'), os.path.join(model_dir, 'model.onnx'))
sha = hashlib.sha256(open(os.path.join(model_dir, 'model.onnx'), 'rb').read()).hexdigest()
args = final['args']
manifest = {
    'id': 'voice-spectrogram-cnn',
    'version': a.version,
    'task': 'voice-emotion',
    'architecture': f"CNN: time avg-pool x{args['time_pool']}, 5 conv+BN+ReLU layers (5x5/2, 3x3/2, 3x3+pool, 3x3+pool, 3x3; "
                    f"widths {args['width']}-{args['width'] * 8}), mean+max pooling, linear; "
                    f"input {final['frontEnd']['nMels']}x{final['framesPerWindow']} log-mel ({final['frontEnd']['windowSeconds']} s windows)",
    'file': 'model.onnx',
    'sha256': sha,
    'input': {
        'name': 'logmel',
        'shape': [-1, 1, final['frontEnd']['nMels'], final['framesPerWindow']],
        'layout': 'NCHW',
        'channels': 'logmel',
        # Normalisation (training-set mean/std of the log-mel) is inside the ONNX graph; the engine passes raw log-mel.
        'normalization': {'scale': 1, 'mean': [0], 'std': [1]},
    },
    'output': {'name': 'logits', 'kind': 'logits'},
    'labels': final['labels'],
    'frontEnd': final['frontEnd'],
    'abstainBelow': 0,
    'temperature': 1,
    'tinyRandomWeights': False,
    'metrics': {
        'protocol': 'RAVDESS speech actors 1-20, actor-grouped 5-fold CV (actors 1-4, 5-8, 9-12, 13-16, 17-20 held out in turn); '
                    'file label = vote over the engine windows',
        'cvRun': a.cv_run,
        'uar': cv['uar'], 'accuracy': cv['accuracy'], 'macroF1': cv['macroF1'], 'windowUar': cv['windowUar'],
        'perClassRecall': dict(zip(cv['pooled']['labels'], cv['pooled']['recall'])),
        'confusion': {'labels': cv['pooled']['labels'], 'matrix': cv['pooled']['confusion']},
        'trainingRun': a.run,
        'trainingArgs': args,
    } if cv else {'status': 'provisional: no CV run attached', 'trainingRun': a.run, 'trainingArgs': args},
}
with open(os.path.join(model_dir, 'manifest.json'), 'w') as f:
    json.dump(manifest, f, indent=2)
    f.write('\n')
print(f'wrote {model_dir}/manifest.json (sha256 {sha})')
