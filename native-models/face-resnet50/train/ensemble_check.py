"""Does averaging face-cnn and face-resnet50 pay? Validation accuracy (flip averaging, each model temperature-scaled)
of (1-w)·log p(face-cnn) + w·log p(face-resnet50) for a few w; writes ensemble_check.json beside this script.

  /usr/bin/python3 native-models/face-resnet50/train/ensemble_check.py \
      [--a native-models/face-cnn/train/runs/cnn-small-stage4/final.pt] [--b native-models/face-resnet50/train/runs/resnet50-s4/final.pt]
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
FACE_TRAIN = os.path.join(HERE, '..', '..', 'face-cnn', 'train')
sys.path.insert(0, FACE_TRAIN)
from data import load_arrays  # noqa: E402
from export import fit_temperature, softmax  # noqa: E402
from models import build  # noqa: E402
from train import predict_logits, to_tensor  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument('--a', default=os.path.join(FACE_TRAIN, 'runs', 'cnn-small-stage4', 'final.pt'))
ap.add_argument('--b', default=os.path.join(HERE, 'runs', 'resnet50-s4', 'final.pt'))
args = ap.parse_args()
torch.set_num_threads(2)
xva_u8, yva, _, _ = load_arrays('val')
xva = to_tensor(xva_u8)


def log_probs(path):
    ck = torch.load(path)
    net = build(ck['arch'])
    net.load_state_dict(ck['model'])
    logits = predict_logits(net, xva, flip_tta=True).numpy()
    return np.log(softmax(logits, fit_temperature(logits, yva)))


la, lb = log_probs(args.a), log_probs(args.b)
by_weight = {f'{w:g}': round(float((((1 - w) * la + w * lb).argmax(1) == yva).mean()), 4) for w in (0, 0.2, 0.3, 0.4, 0.5, 1.0)}
out = {'what': 'validation accuracy (2,874 images, flip averaging) of (1-w)·log p(face-cnn 1.2.0) + w·log p(face-resnet50 1.0.0), '
               'each temperature-scaled; measured with PyTorch on the final checkpoints (ensemble_check.py)',
       'byWeight': by_weight}
json.dump(out, open(os.path.join(HERE, 'ensemble_check.json'), 'w'), indent=1)
print(json.dumps(by_weight))
