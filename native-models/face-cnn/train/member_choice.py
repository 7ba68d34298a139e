"""How the shipped members were chosen: one-pass validation accuracy and macro-F1 of every candidate run and of every
mean of two or three of them → member_choice.json (with each run's training arguments, for the card).

The rule: ship the best single run or mean of two (three passes cost half as much again per face for +0.5 points at
most, within the noise). Its figure is the best of many on the split it was chosen on, so it is optimistic;
`selectionCorrected` measures the rule itself: pick on a random stratified half of validation, score the pick on the
other half, both ways, 200 halvings.

  /usr/bin/python3 member_choice.py    (needs the candidate runs' final.pt under runs/)
The candidates are the face-cnn 2.x runs of train_gpu.sh (rounds 1–3, on a lent H200; joined with join_half.py).
"""
import itertools
import json
import os

import numpy as np
import torch

from data import load_arrays
from export import load_member, metrics
from train import predict_logits, to_tensor

HERE = os.path.dirname(os.path.abspath(__file__))
CANDIDATES = ['cnn-wide-g1', 'cnn-wide-g2', 'cnn-wide-g3', 'cnn-wide-g4', 'cnn-w64-g1', 'cnn-w64-g2', 'cnn-w64-g3', 'cnn-w64-g4']
ARGS_KEPT = ('arch', 'seed', 'lr', 'ferplus_mix', 'smoothing', 'batch', 'device', 'init_from')
MAX_MEMBERS_SHIPPED = 2


def run_info(ck: dict) -> dict:
    kept = {k: ck['args'].get(k) for k in ARGS_KEPT}
    st = ck['state']
    kept.update(epochsRun=st['epoch'], epochsPlanned=st['epochs'], stoppedAtDeadline=bool(st.get('stopped_at_deadline')),
                wallSeconds=round(st['wall_s']))
    return kept


def selection_corrected(z: dict, y: np.ndarray, rows: list, repeats: int = 200) -> dict:
    correct = {tuple(r['runs']): np.mean([z[x] for x in r['runs']], axis=0).argmax(1) == y for r in rows
               if len(r['runs']) <= MAX_MEMBERS_SHIPPED}
    rng = np.random.default_rng(0)
    scores = []
    for _ in range(repeats):
        half = np.zeros(len(y), bool)
        for c in np.unique(y):
            idx = np.flatnonzero(y == c)
            half[rng.permutation(idx)[:len(idx) // 2]] = True
        for a, b in ((half, ~half), (~half, half)):
            pick = max(correct, key=lambda k: correct[k][a].mean())
            scores.append(float(correct[pick][b].mean()))
    return {'rule': f'best mean of at most {MAX_MEMBERS_SHIPPED} runs', 'halvings': repeats,
            'accuracyMean': round(float(np.mean(scores)), 4), 'accuracySd': round(float(np.std(scores)), 4)}


def main() -> None:
    torch.set_num_threads(2)
    x_u8, y, _, _ = load_arrays('val')
    x = to_tensor(x_u8)
    z, runs = {}, {}
    for r in CANDIDATES:
        m = load_member(os.path.join(HERE, 'runs', r))
        z[r], runs[r] = predict_logits(m['net'], x).numpy(), run_info(m['ck'])
    rows = []
    for k in (1, 2, 3):
        for c in itertools.combinations(CANDIDATES, k):
            m = metrics(np.mean([z[r] for r in c], axis=0).argmax(1), y)
            rows.append({'runs': list(c), 'accuracy': m['accuracy'], 'macroF1': m['macroF1']})
    out = {'split': 'validation', 'n': int(len(y)), 'onePass': True, 'maxMembersShipped': MAX_MEMBERS_SHIPPED,
           'runs': runs, 'candidates': rows, 'selectionCorrected': selection_corrected(z, y, rows)}
    with open(os.path.join(HERE, 'member_choice.json'), 'w') as f:
        json.dump(out, f, indent=1)
    for r in rows:
        print(' + '.join(r['runs']), r['accuracy'], r['macroF1'])
    print(out['selectionCorrected'])


if __name__ == '__main__':
    main()
