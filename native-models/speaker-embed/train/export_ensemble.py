"""Join trained runs into one ONNX: the embedding is the concatenation of each member's L2-normalised embedding,
divided by sqrt(members) (still unit length), so a dot product averages the members' cosine similarities.

    /usr/bin/python3 native-models/speaker-embed/train/export_ensemble.py --runs stats,cnn-w8 --run ens-stats-cnn
"""
import argparse
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

from train import FRONT_END, CnnEmbedder, StatsEmbedder

HERE = os.path.dirname(os.path.abspath(__file__))


def load_member(run):
    run_dir = os.path.join(HERE, 'runs', run)
    with open(os.path.join(run_dir, 'args.json')) as f:
        a = json.load(f)
    n_mels = FRONT_END['nMels']
    net = CnnEmbedder(n_mels, a['width'], a['dim'], a.get('hidden', 256)) if a['arch'] == 'cnn' else StatsEmbedder(n_mels, a['dim'])
    net.load_state_dict(torch.load(os.path.join(run_dir, 'best.pt')))
    net.eval()
    return net, a


class Ensemble(nn.Module):
    def __init__(self, nets):
        super().__init__()
        self.nets = nn.ModuleList(nets)

    def forward(self, logmel):
        parts = [F.normalize(n(logmel), dim=1) for n in self.nets]
        return torch.cat(parts, dim=1) / math.sqrt(len(parts))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--runs', required=True)
    ap.add_argument('--run', required=True)
    args = ap.parse_args()
    members = [load_member(r) for r in args.runs.split(',')]
    out_dir = os.path.join(HERE, 'runs', args.run)
    os.makedirs(out_dir, exist_ok=True)
    model = Ensemble([m for m, _ in members]).eval()
    torch.onnx.export(model, torch.randn(1, 1, FRONT_END['nMels'], 150), os.path.join(out_dir, 'model.onnx'), input_names=['logmel'],
                      output_names=['embedding'], dynamic_axes={'logmel': {0: 'batch', 3: 'frames'}, 'embedding': {0: 'batch'}}, opset_version=13)
    logs = [json.load(open(os.path.join(HERE, 'runs', r, 'log.json'))) for r in args.runs.split(',')]
    with open(os.path.join(out_dir, 'args.json'), 'w') as f:
        json.dump({'arch': 'ensemble', 'members': [dict(a, run=r) for (_, a), r in zip(members, args.runs.split(','))],
                   'dim': sum(a['dim'] for _, a in members), 'width': 0}, f, indent=1)
    with open(os.path.join(out_dir, 'log.json'), 'w') as f:
        json.dump({'best': {'devEer': None, 'step': None, 'members': [l['best'] for l in logs]}}, f, indent=1)
    print('wrote', out_dir)


if __name__ == '__main__':
    main()
