"""How the shipped members were chosen: one-pass validation accuracy and macro-F1 of every candidate run and of every
mean of two or three of them → member_choice.json (with each run's training arguments, for the card). The card quotes
this file; the best mean was shipped, so its figure is the best of these candidates on the same split and is optimistic
by an unknown amount.

  /usr/bin/python3 member_choice.py    (needs the candidate runs' final.pt under runs/)
train.sh trains the shipped members' stages; the candidates that were tried and not kept are trained with:
  OMP_WAIT_POLICY=PASSIVE nice -n 10 /usr/bin/python3 train.py --arch cnn-small --name cnn-small-c --lr 0.1 --epochs 28 --seed 3 --ferplus-mix 0.5 --threads 1
  OMP_WAIT_POLICY=PASSIVE nice -n 10 /usr/bin/python3 train.py --arch cnn-small --name cnn-small-b3 --init-from runs/cnn-small-b2/final.pt --lr 0.02 --epochs 8 --seed 2 --ferplus-mix 0.3 --threads 2
  OMP_WAIT_POLICY=PASSIVE nice -n 10 /usr/bin/python3 train.py --arch cnn-small --name cnn-small-d --lr 0.1 --epochs 36 --seed 4 --ferplus-mix 0.3 --threads 2
  OMP_WAIT_POLICY=PASSIVE nice -n 10 /usr/bin/python3 train.py --arch cnn-small --name cnn-small-d2 --init-from runs/cnn-small-d/final.pt --lr 0.04 --epochs 12 --seed 4 --ferplus-mix 0.3 --threads 2
"""
import itertools
import json
import os

import numpy as np
import torch

from data import load_arrays
from export import metrics
from models import build
from train import predict_logits, to_tensor

HERE = os.path.dirname(os.path.abspath(__file__))
CANDIDATES = ['cnn-small-stage4', 'cnn-small-stage5', 'cnn-small-b', 'cnn-small-b2', 'cnn-small-b3', 'cnn-small-c', 'cnn-small-d', 'cnn-small-d2']
ARGS_KEPT = ('seed', 'lr', 'ferplus_mix', 'epochs', 'threads', 'init_from')


def run_args(run: str) -> dict:
    a = json.load(open(os.path.join(HERE, 'runs', run, 'args.json')))
    kept = {k: a.get(k) for k in ARGS_KEPT}
    if kept['init_from']:
        kept['init_from'] = os.path.basename(os.path.dirname(kept['init_from']))
    return kept


def logits(run: str, x: torch.Tensor) -> np.ndarray:
    ck = torch.load(os.path.join(HERE, 'runs', run, 'final.pt'))
    net = build(ck['arch'])
    net.load_state_dict(ck['model'])
    return predict_logits(net, x).numpy()


def main() -> None:
    torch.set_num_threads(2)
    x_u8, y, _, _ = load_arrays('val')
    x = to_tensor(x_u8)
    z = {r: logits(r, x) for r in CANDIDATES}
    rows = []
    for k in (1, 2, 3):
        for c in itertools.combinations(CANDIDATES, k):
            m = metrics(np.mean([z[r] for r in c], axis=0).argmax(1), y)
            rows.append({'runs': list(c), 'accuracy': m['accuracy'], 'macroF1': m['macroF1']})
    out = {'split': 'validation', 'n': int(len(y)), 'onePass': True,
           'runs': {r: run_args(r) for r in CANDIDATES}, 'candidates': rows}
    with open(os.path.join(HERE, 'member_choice.json'), 'w') as f:
        json.dump(out, f, indent=1)
    for r in rows:
        print(' + '.join(r['runs']), r['accuracy'], r['macroF1'])


if __name__ == '__main__':
    main()
