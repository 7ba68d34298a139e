"""Tiny RANDOM-WEIGHT copy of the voice model for fast tests: same input/front end/labels and outputs (logits and the
embedding) as ../manifest.json, width 4, untrained weights (seeded); no input-check statistics (random embeddings
would be "unlike the training audio" everywhere). Writes tests/fixtures/models/voice-spectrogram-cnn-tiny/.

  /usr/bin/python3 make_tiny.py
"""
import hashlib
import json
import os

import torch

from voicedata import HERE
from ensemble import VoiceEnsemble
from train import VoiceCnn, export_onnx

torch.manual_seed(0)
shipped = json.load(open(os.path.join(HERE, '..', 'manifest.json')))
out_dir = os.path.abspath(os.path.join(HERE, '..', '..', '..', 'tests', 'fixtures', 'models', 'voice-spectrogram-cnn-tiny'))
os.makedirs(out_dir, exist_ok=True)
_, _, n_mels, frames = shipped['input']['shape']
ta = shipped['metrics']['trainingArgs']
tiny_cnn = lambda: VoiceCnn(len(shipped['labels']), width=4, norm=ta['norm'], mean=-9.0, std=3.5, time_pool=ta['time_pool'], pool=ta['pool'])
# the same graph as the shipped one: an ensemble's probability average (ensemble.py) over as many width-4 networks
model = (VoiceEnsemble([tiny_cnn() for _ in ta['members']]) if 'members' in ta else tiny_cnn()).eval()
export_onnx(model, n_mels, frames, os.path.join(out_dir, 'model.onnx'))
sha = hashlib.sha256(open(os.path.join(out_dir, 'model.onnx'), 'rb').read()).hexdigest()
manifest = {k: shipped[k] for k in ('task', 'input', 'output', 'labels', 'frontEnd')}
manifest.update({
    'id': 'voice-spectrogram-cnn-tiny',
    'version': '0.0.0-random',
    'architecture': 'RANDOM WEIGHTS, test fixture only: the voice model at width 4, untrained',
    'file': 'model.onnx',
    'sha256': sha,
    'tinyRandomWeights': True,
})
with open(os.path.join(out_dir, 'manifest.json'), 'w') as f:
    json.dump(manifest, f, indent=2)
    f.write('\n')
with open(os.path.join(out_dir, 'README.md'), 'w') as f:
    f.write('# voice-spectrogram-cnn-tiny: RANDOM WEIGHTS\n\nTest fixture only. Same input, front end and labels as '
            'native-models/voice-spectrogram-cnn, but untrained width-4 networks (as many as the shipped model averages) with seeded random weights. Its outputs mean nothing.\n'
            'Regenerate: `/usr/bin/python3 native-models/voice-spectrogram-cnn/train/make_tiny.py`\n')
print(f'wrote {out_dir}')
