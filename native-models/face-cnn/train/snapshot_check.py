"""Does averaging successive warm-restart stages (a snapshot ensemble) help? Flip-averaged validation accuracy of
stage 4 (member A), the untaken stage 5 (8 epochs, peak lr 0.02, from stage 4) and their mean → snapshot_check.json.
The card quotes this file; it is why member B is trained from scratch.

  /usr/bin/python3 snapshot_check.py    (needs runs/cnn-small-stage4 and runs/cnn-small-stage5)
"""
import json
import os

import numpy as np
import torch

from data import load_arrays
from models import build
from train import predict_logits, to_tensor

HERE = os.path.dirname(os.path.abspath(__file__))
RUNS = ['cnn-small-stage4', 'cnn-small-stage5']


def flip_logits(run: str, x: torch.Tensor) -> np.ndarray:
    ck = torch.load(os.path.join(HERE, 'runs', run, 'final.pt'))
    net = build(ck['arch'])
    net.load_state_dict(ck['model'])
    return predict_logits(net, x, flip_tta=True).numpy()


def main() -> None:
    torch.set_num_threads(2)
    x_u8, y, _, _ = load_arrays('val')
    x = to_tensor(x_u8)
    logits = {r: flip_logits(r, x) for r in RUNS}
    acc = lambda z: round(float((z.argmax(1) == y).mean()), 4)
    out = {'split': 'validation', 'n': int(len(y)), 'flipAveraged': {r: acc(z) for r, z in logits.items()},
           'meanOfStages': acc(np.mean(list(logits.values()), axis=0)),
           'sameLabelShare': round(float((logits[RUNS[0]].argmax(1) == logits[RUNS[1]].argmax(1)).mean()), 4)}
    with open(os.path.join(HERE, 'snapshot_check.json'), 'w') as f:
        json.dump(out, f, indent=1)
    print(json.dumps(out))


if __name__ == '__main__':
    main()
