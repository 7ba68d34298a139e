"""Tiny random-weight copy of the speaker embedding for fast tests: tests/fixtures/models/speaker-embed-tiny/.
Same input/output contract and front end as the shipped model (width 4, seeded), so every code path runs; its
embeddings carry no speaker information and no test may read a speaker figure from it.

    /usr/bin/python3 native-models/speaker-embed/train/make_tiny.py
"""
import hashlib
import json
import os

import torch

from train import FRONT_END, CnnEmbedder, export_onnx

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '../../..'))
OUT = os.path.join(ROOT, 'tests/fixtures/models/speaker-embed-tiny')

torch.manual_seed(0)
os.makedirs(OUT, exist_ok=True)
net = CnnEmbedder(FRONT_END['nMels'], width=4, dim=16, hidden=16)
export_onnx(net, os.path.join(OUT, 'model.onnx'))
with open(os.path.join(ROOT, 'native-models/speaker-embed/manifest.json')) as f:
    manifest = json.load(f)
manifest.update({
    'id': 'speaker-embed-tiny',
    'architecture': 'random-weight copy of ' + manifest['architecture'] + ' (width 4, hidden 16, 16-d): for tests only',
    'sha256': hashlib.sha256(open(os.path.join(OUT, 'model.onnx'), 'rb').read()).hexdigest(),
    'tinyRandomWeights': True,
})
manifest.pop('metrics', None)
with open(os.path.join(OUT, 'manifest.json'), 'w') as f:
    json.dump(manifest, f, indent=2)
    f.write('\n')
print('wrote', OUT)
