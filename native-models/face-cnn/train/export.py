"""Evaluate a trained run on the validation split, calibrate, export ONNX + manifest.json + metrics.json.

  cd native-models/face-cnn/train && /usr/bin/python3 export.py --run runs/cnn-small --out ..   [--tta auto|on|off]

Everything here is measured on the validation split of split.json only (the FER2013 test split is kept back).
Temperature: NLL-optimal on validation. ECE "after" is reported cross-fitted (T fitted on one half, measured on the
other, both ways) so it is not measured on the data T was fitted on; the shipped T is fitted on all of validation.
"""
from __future__ import annotations

import argparse
import datetime
import itertools
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))  # native-models/: onnx_fp16
from data import CLASSES, load_arrays  # noqa: E402
from models import build  # noqa: E402
from onnx_fp16 import store_weights_fp16  # noqa: E402
from train import MEAN, STD, predict_logits, to_tensor

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT_LABELS = {'angry': 'angry', 'disgust': 'disgust', 'fear': 'fearful', 'happy': 'happy', 'neutral': 'neutral',
                  'sad': 'sad', 'surprise': 'surprised'}


def softmax(z: np.ndarray, t: float = 1.0) -> np.ndarray:
    z = z / t
    z = z - z.max(1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(1, keepdims=True)


def nll(logits: np.ndarray, y: np.ndarray, t: float) -> float:
    p = softmax(logits, t)
    return float(-np.log(np.clip(p[np.arange(len(y)), y], 1e-12, None)).mean())


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    grid = np.exp(np.linspace(np.log(0.3), np.log(5.0), 400))
    return float(grid[int(np.argmin([nll(logits, y, t) for t in grid]))])


def ece(probs: np.ndarray, y: np.ndarray, bins: int = 15) -> float:
    conf, pred = probs.max(1), probs.argmax(1)
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            total += m.mean() * abs((pred[m] == y[m]).mean() - conf[m].mean())
    return float(total)


def metrics(pred: np.ndarray, y: np.ndarray) -> dict:
    k = len(CLASSES)
    cm = np.zeros((k, k), dtype=int)
    for a, b in zip(y, pred):
        cm[a, b] += 1
    per = {}
    f1s, recalls = [], []
    for i, c in enumerate(CLASSES):
        tp = cm[i, i]
        prec = tp / cm[:, i].sum() if cm[:, i].sum() else 0.0
        rec = tp / cm[i].sum() if cm[i].sum() else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per[c] = {'precision': round(float(prec), 4), 'recall': round(float(rec), 4), 'f1': round(float(f1), 4), 'n': int(cm[i].sum())}
        f1s.append(f1)
        recalls.append(rec)
    return {'n': int(len(y)), 'accuracy': round(float((pred == y).mean()), 4), 'macroF1': round(float(np.mean(f1s)), 4),
            'uar': round(float(np.mean(recalls)), 4), 'perClass': per, 'confusion': cm.tolist(), 'classes': CLASSES}


def crop_spec() -> dict:
    """margin and vertical offset from crop_measurement.json (measure-crop.ts: BlazeFace boxes on validation images),
    else margin 0.07 and no offset. The offset's effect was checked on validation: crop_validation.json."""
    p = os.path.join(HERE, 'crop_measurement.json')
    cm = json.load(open(p)) if os.path.exists(p) else {'marginForFerCrop': 0.07, 'yOffsetOfFerCropCentre': 0.0}
    return {'margin': round(float(cm['marginForFerCrop']), 2), 'square': True, 'offsetY': round(float(cm['yOffsetOfFerCropCentre']), 3)}


def io_contract() -> dict:
    """Manifest input, output and labels shared by every face-expression model this code writes (shipped and tiny)."""
    return {'input': {'name': 'input', 'shape': [-1, 1, 48, 48], 'layout': 'NCHW', 'channels': 'gray',
                      'normalization': {'scale': 255, 'mean': [MEAN], 'std': [STD]}},
            'output': {'name': 'logits', 'kind': 'logits'},
            'labels': [PROJECT_LABELS[c] for c in CLASSES]}


ARCH_NAMES = {'resnet50': 'ResNet-50 (3x3 stride-1 stem, no max-pool)',
              'resnet50-s4': 'ResNet-50 (3x3 stride-2 stem + max-pool, blocks at 12/6/3/2 px)',
              'cnn-wide': 'wide compact ResNet (widths 48/96/192/384)',
              'cnn-w64': 'wide compact ResNet (widths 64/128/256/512, 2 blocks per stage)'}


class FlipAverage(nn.Module):
    """logits = (f(x) + f(mirror(x))) / 2 — horizontal-flip test-time augmentation inside the graph."""

    def __init__(self, net: nn.Module, width: int = 48):
        super().__init__()
        self.net = net
        self.register_buffer('rev', torch.arange(width - 1, -1, -1))

    def forward(self, x):
        return (self.net(x) + self.net(torch.index_select(x, 3, self.rev))) / 2


class MeanOf(nn.Module):
    """logits = the mean of several members' logits — an ensemble inside one graph (one ONNX file, one session)."""

    def __init__(self, members: list[nn.Module]):
        super().__init__()
        self.members = nn.ModuleList(members)

    def forward(self, x):
        out = self.members[0](x)
        for m in self.members[1:]:
            out = out + m(x)
        return out / len(self.members)


def load_member(run: str) -> dict:
    """One trained run: its final weights and, following --init-from links, every stage that led to them."""
    ck_path = os.path.join(run, 'final.pt')
    if not os.path.exists(ck_path):
        ck_path = os.path.join(run, 'last.pt')
    ck = torch.load(ck_path)
    net = build(ck['arch'])
    net.load_state_dict(ck['model'])
    net.eval()
    chain = [(ck_path, ck['state'])]
    while 'init_from' in chain[0][1]:
        prev_path = chain[0][1]['init_from']['path']
        prev_path = prev_path if os.path.isabs(prev_path) else os.path.join(HERE, prev_path)
        chain.insert(0, (prev_path, torch.load(prev_path)['state']))
    stages = [{'checkpoint': os.path.relpath(path, HERE), 'epochs': st['epochs'], 'wall_s': st['wall_s'], 'cpu_s': st['cpu_s']}
              for path, st in chain]
    history = [{**h, 'stage': i + 1} for i, (_, st) in enumerate(chain) for h in st['history']]
    return {'ck_path': ck_path, 'ck': ck, 'net': net, 'stages': stages, 'history': history}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--run', required=True, action='append',
                    help='a run folder; give it more than once to export the mean of several runs as one model')
    ap.add_argument('--out', default=os.path.join(HERE, '..'))
    ap.add_argument('--tta', default='auto', choices=['auto', 'on', 'off'])
    ap.add_argument('--id', default='face-cnn')
    ap.add_argument('--version', default='1.0.0')
    ap.add_argument('--fp16', action='store_true', help='store the weights as float16 (computation stays float32)')
    args = ap.parse_args()
    torch.set_num_threads(2)
    members = [load_member(r) for r in args.run]
    xva_u8, yva, _, _ = load_arrays('val')
    xva = to_tensor(xva_u8)
    for m in members:
        m['plain'] = predict_logits(m['net'], xva).numpy()
        m['flip'] = predict_logits(m['net'], xva, flip_tta=True).numpy()
    plain = np.mean([m['plain'] for m in members], axis=0)
    flip = np.mean([m['flip'] for m in members], axis=0)
    acc_plain = float((plain.argmax(1) == yva).mean())
    acc_flip = float((flip.argmax(1) == yva).mean())
    use_tta = args.tta == 'on' or (args.tta == 'auto' and acc_flip > acc_plain)
    logits = flip if use_tta else plain
    t_all = fit_temperature(logits, yva)
    rng = np.random.default_rng(0)
    half = rng.permutation(len(yva)) < len(yva) // 2
    ece_cross = []
    for a, b in ((half, ~half), (~half, half)):
        ece_cross.append(ece(softmax(logits[b], fit_temperature(logits[a], yva[a])), yva[b]) * b.sum())
    probs = softmax(logits, t_all)
    conf, pred = probs.max(1), probs.argmax(1)
    # Abstain when the calibrated top probability says the label is more likely wrong than right.
    abstain = 0.5
    kept = conf >= abstain
    coverage_table = []
    for t in (0.0, 0.3, 0.4, 0.5, 0.6, 0.7):
        k = conf >= t
        coverage_table.append({'abstainBelow': t, 'coverage': round(float(k.mean()), 4),
                               'accuracyOfKept': round(float((pred[k] == yva[k]).mean()), 4) if k.any() else None})
    band = (conf >= 0.45) & (conf < 0.55)
    stages = [{**st, 'member': i + 1} for i, m in enumerate(members) for st in m['stages']]
    history = [{**h, 'member': i + 1} for i, m in enumerate(members) for h in m['history']]
    arch = members[0]['ck']['arch']
    member_reports = [{
        'checkpoint': os.path.relpath(m['ck_path'], HERE), 'arch': m['ck']['arch'],
        'device': m['ck'].get('args', {}).get('device', 'cpu'), 'carriedFp16': bool(m['ck']['state'].get('carried_fp16')),
        'params': int(sum(p.numel() for p in m['net'].parameters())), 'epochs': sum(st['epochs'] for st in m['stages']),
        'valAccuracyPlain': round(float((m['plain'].argmax(1) == yva).mean()), 4),
        'valAccuracyFlipTTA': round(float((m['flip'].argmax(1) == yva).mean()), 4),
        'macroF1Plain': metrics(m['plain'].argmax(1), yva)['macroF1'],
        'macroF1FlipTTA': metrics(m['flip'].argmax(1), yva)['macroF1'],
        'validation': metrics((m['flip'] if use_tta else m['plain']).argmax(1), yva),
    } for m in members]
    # Every smaller mean of the same members (letters A, B, … in --run order), to show what each member adds.
    subsets = [{'members': ''.join('ABCDEFGH'[i] for i in c),
                'valAccuracyPlain': round(float((np.mean([members[i]['plain'] for i in c], axis=0).argmax(1) == yva).mean()), 4),
                'macroF1Plain': metrics(np.mean([members[i]['plain'] for i in c], axis=0).argmax(1), yva)['macroF1']}
               for k in range(2, len(members)) for c in itertools.combinations(range(len(members)), k)]
    report = {
        'checkpoint': member_reports[0]['checkpoint'] if len(members) == 1 else [r['checkpoint'] for r in member_reports],
        'arch': arch,
        'params': sum(r['params'] for r in member_reports),
        'epochs': sum(st['epochs'] for st in stages),
        'stages': stages,
        'trainWallSeconds': round(sum(st['wall_s'] for st in stages)),
        'trainCpuSeconds': round(sum(st['cpu_s'] for st in stages)),
        'history': history,
        'members': member_reports,
        'subsets': subsets,
        'valAccuracyPlain': round(acc_plain, 4),
        'valAccuracyFlipTTA': round(acc_flip, 4),
        'macroF1Plain': metrics(plain.argmax(1), yva)['macroF1'],
        'macroF1FlipTTA': metrics(flip.argmax(1), yva)['macroF1'],
        'flipTTAInGraph': bool(use_tta),
        'validation': metrics(pred, yva),
        'temperature': round(t_all, 4),
        'nllBefore': round(nll(logits, yva, 1.0), 4),
        'nllAfter': round(nll(logits, yva, t_all), 4),
        'eceBefore': round(ece(softmax(logits), yva), 4),
        'eceAfterCrossFitted': round(float(sum(ece_cross) / len(yva)), 4),
        'eceAfterInSample': round(ece(probs, yva), 4),
        'abstainBelow': abstain,
        'abstainCoverage': round(float(kept.mean()), 4),
        'coverageTable': coverage_table,
        'accuracyInConfidenceBand045to055': round(float((pred[band] == yva[band]).mean()), 4) if band.any() else None,
        'accuracyWhenNotAbstaining': round(float((pred[kept] == yva[kept]).mean()), 4) if kept.any() else None,
    }
    os.makedirs(args.out, exist_ok=True)
    onnx_path = os.path.join(args.out, 'model.onnx')
    nets = [FlipAverage(m['net']) if use_tta else m['net'] for m in members]
    export_net = nets[0] if len(nets) == 1 else MeanOf(nets)
    export_net.eval()
    torch.onnx.export(export_net, torch.zeros(1, 1, 48, 48), onnx_path, input_names=['input'], output_names=['logits'],
                      dynamic_axes={'input': {0: 'batch'}, 'logits': {0: 'batch'}}, opset_version=13, do_constant_folding=True)
    import onnx
    onnx.checker.check_model(onnx.load(onnx_path))
    if args.fp16:
        report['weightsFp16'] = store_weights_fp16(onnx_path)
        # What the fp16 file computes: the same network with every stored weight rounded to float16 (BatchNorm is folded
        # into the convolutions before rounding in the file, so this is close to, not bit-identical with, the file).
        half_logits = 0
        for m in members:
            half = build(m['ck']['arch'])
            half.load_state_dict({k: (v.half().float() if v.is_floating_point() else v) for k, v in m['ck']['model'].items()})
            half_logits = half_logits + predict_logits(half, xva, flip_tta=use_tta).numpy() / len(members)
        report['valAccuracyFp16Weights'] = round(float((half_logits.argmax(1) == yva).mean()), 4)
    manifest_path = os.path.join(args.out, 'manifest.json')
    old = json.load(open(manifest_path)) if os.path.exists(manifest_path) else {}
    manifest = {
        'id': args.id,
        'version': args.version,
        'task': 'face-expression',
        'architecture': (f'mean of {len(members)} ' if len(members) > 1 else '')
                        + f'{arch}: {ARCH_NAMES.get(arch, "compact ResNet")}, '
                        f'48x48 gray, {report["params"] / 1e6:.2f} M params'
                        + (' in all, logits averaged in graph' if len(members) > 1 else '')
                        + (', horizontal-flip averaging in graph' if use_tta else '')
                        + (', weights stored as float16' if args.fp16 else ''),
        'file': 'model.onnx',
        'sha256': '0' * 64,
        **io_contract(),
        'crop': crop_spec(),
        'abstainBelow': abstain,
        'temperature': round(t_all, 4),
        'tinyRandomWeights': False,
        'metrics': {'split': 'validation (train/split.json)', 'n': report['validation']['n'],
                    'accuracy': report['validation']['accuracy'], 'macroF1': report['validation']['macroF1'],
                    'uar': report['validation']['uar'], 'ece': report['eceAfterCrossFitted'],
                    'exported': datetime.date.today().isoformat()},
    }
    with open(manifest_path, 'w') as f:
        json.dump(manifest, f, indent=2)
        f.write('\n')
    # The figures live beside the model's own training folder (face-cnn/train/metrics.json, face-resnet50/train/...).
    os.makedirs(os.path.join(args.out, 'train'), exist_ok=True)
    with open(os.path.join(args.out, 'train', 'metrics.json'), 'w') as f:
        json.dump(report, f, indent=1)
    os.system(f'/usr/bin/python3 {os.path.join(HERE, "fill_sha256.py")} {args.out}')
    print(json.dumps({k: v for k, v in report.items() if k not in ('history',)}, indent=1))


if __name__ == '__main__':
    main()
