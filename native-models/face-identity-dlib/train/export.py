"""Export dlib's face-recognition ResNet, as shipped in tfjs form by @vladmandic/face-api, to ONNX. One command:

  /usr/bin/python3 native-models/face-identity-dlib/train/export.py [node_modules/@vladmandic/face-api/model]

(the package is a devDependency, so `npm ci` puts its model/ folder there). Writes model.onnx and updates the sha256
in manifest.json beside this folder. No training: the weights are dlib's (public domain), loaded bit for bit.
Deterministic: the same package version gives the same file.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys

import numpy as np
import torch

from dlib_resnet import DlibFaceRecognitionNet, read_tfjs_weights

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL_DIR = os.path.dirname(HERE)
REPO = os.path.dirname(os.path.dirname(MODEL_DIR))


def main() -> None:
    torch.set_num_threads(1)
    torch.manual_seed(0)
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, 'node_modules', '@vladmandic', 'face-api', 'model')
    W = read_tfjs_weights(src)
    net = DlibFaceRecognitionNet(W).eval()
    n_params = sum(int(np.prod(v['shape'])) for v in W.values())
    x = torch.randn(2, 150, 150, 3) * 0.3
    with torch.no_grad():
        y = net(x)
    assert y.shape == (2, 128), y.shape
    out = os.path.join(MODEL_DIR, 'model.onnx')
    torch.onnx.export(
        net, (x,), out, input_names=['input'], output_names=['descriptor'],
        dynamic_axes={'input': {0: 'batch'}, 'descriptor': {0: 'batch'}},
        opset_version=17, do_constant_folding=False,
    )
    digest = hashlib.sha256(open(out, 'rb').read()).hexdigest()
    mpath = os.path.join(MODEL_DIR, 'manifest.json')
    manifest = json.load(open(mpath))
    manifest['sha256'] = digest
    with open(mpath, 'w') as f:
        json.dump(manifest, f, indent=2)
        f.write('\n')
    print(json.dumps({'params': n_params, 'bytes': os.path.getsize(out), 'sha256': digest}))


if __name__ == '__main__':
    main()
