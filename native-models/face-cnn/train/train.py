"""Train a face expression classifier on FER2013 (48x48 gray) from scratch, on CPU or one CUDA GPU (--device cuda).

One command (resumable: re-run the same command and it continues from runs/<name>/last.pt):
  cd native-models/face-cnn/train && nice -n 10 /usr/bin/python3 train.py --arch cnn-wide --name cnn-wide-g3 --seed 23 --epochs 45

Schedule: 1 warm-up epoch (linear), then cosine to 0. Without --epochs, the number of epochs is fixed after the first
epoch from its measured pace (its second half, plus validation) and what is left of --budget-min (capped by
--max-epochs); it is stored in the checkpoint so a resumed run keeps the same schedule. Tuning uses only the
validation split from split.json.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import random
import time

import numpy as np
import torch
import torch.nn.functional as F

from data import CLASSES, has_votes, load_arrays
from models import build

HERE = os.path.dirname(os.path.abspath(__file__))
MEAN, STD = 0.5, 0.25  # normalization: x' = (x/255 - MEAN) / STD  (stored in manifest.json)


def to_tensor(x_uint8: np.ndarray) -> torch.Tensor:
    return (torch.from_numpy(x_uint8).float().div_(255.0).sub_(MEAN).div_(STD)).unsqueeze(1)


def augment(x: torch.Tensor, g: torch.Generator) -> torch.Tensor:
    """Batched augmentation: flip, rotation +-10 deg, scale 0.9-1.1, shift +-4 px (= crop with padding 4),
    brightness/contrast +-20%, random erasing (p=0.5, 2-20% of the area)."""
    n, dev = x.shape[0], x.device
    u = lambda *s: torch.rand(*s, generator=g, device=dev)
    ang = (u(n) * 2 - 1) * math.radians(10)
    scale = 0.9 + u(n) * 0.2
    flip = torch.where(u(n) < 0.5, -1.0, 1.0)
    tx, ty = (u(n) * 2 - 1) * (4 / 24), (u(n) * 2 - 1) * (4 / 24)
    cos, sin = torch.cos(ang) / scale, torch.sin(ang) / scale
    theta = torch.stack([torch.stack([cos * flip, -sin, tx], 1), torch.stack([sin * flip, cos, ty], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    x = F.grid_sample(x, grid, mode='bilinear', padding_mode='border', align_corners=False)
    contrast = (0.8 + u(n) * 0.4).view(n, 1, 1, 1)
    bright = ((u(n) * 2 - 1) * 0.2 / STD).view(n, 1, 1, 1)
    x = x * contrast + bright
    # random erasing
    area = 0.02 + u(n) * 0.18
    ratio = torch.exp((u(n) * 2 - 1) * math.log(3))
    h = (torch.sqrt(area * ratio) * 48).clamp(1, 47)
    w = (torch.sqrt(area / ratio) * 48).clamp(1, 47)
    y0 = u(n) * (48 - h)
    x0 = u(n) * (48 - w)
    ys = torch.arange(48, device=dev).view(1, 48, 1).float()
    xs = torch.arange(48, device=dev).view(1, 1, 48).float()
    m = (ys >= y0.view(n, 1, 1)) & (ys < (y0 + h).view(n, 1, 1)) & (xs >= x0.view(n, 1, 1)) & (xs < (x0 + w).view(n, 1, 1))
    m = m & (u(n) < 0.5).view(n, 1, 1)
    noise = torch.randn(x.shape, generator=g, device=dev)
    return torch.where(m.unsqueeze(1), noise, x)


def soft_targets(y: np.ndarray, votes: np.ndarray, smoothing: float, mix: float) -> torch.Tensor:
    """Per-image target distributions: the FER2013 label (label-smoothed) mixed with the FER+ crowd votes over the
    same 7 classes. Images without votes (or whose votes all went to contempt/unknown/not-a-face) keep the label only.
    With mix < (1 - smoothing) / (2 - smoothing) (0.47 at smoothing 0.1) the FER2013 label stays the target's largest class."""
    k = votes.shape[1]
    t = np.full((len(y), k), smoothing / k, dtype=np.float32)
    t[np.arange(len(y)), y] += 1.0 - smoothing
    has = has_votes(votes)
    v = votes[has]
    t[has] = (1.0 - mix) * t[has] + mix * v / v.sum(1, keepdims=True)
    return torch.from_numpy(t)


@torch.no_grad()
def predict_logits(model, x: torch.Tensor, flip_tta: bool = False, bs: int = 512) -> torch.Tensor:
    model.eval()
    out = []
    for i in range(0, len(x), bs):
        b = x[i:i + bs].contiguous(memory_format=torch.channels_last)
        lo = model(b)
        if flip_tta:
            lo = (lo + model(torch.flip(b, dims=[3]))) / 2
        out.append(lo)
    return torch.cat(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--arch', default='cnn-small')
    ap.add_argument('--name', default=None)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--batch', type=int, default=128)
    ap.add_argument('--lr', type=float, default=0.1)
    ap.add_argument('--wd', type=float, default=5e-4)
    ap.add_argument('--smoothing', type=float, default=0.1)
    ap.add_argument('--ferplus-mix', type=float, default=0.0,
                    help='target = (1-a) * smoothed FER2013 label + a * FER+ crowd-vote distribution (where votes exist)')
    ap.add_argument('--class-weight-power', type=float, default=0.5, help='loss weight ~ (1/n_class)^power')
    ap.add_argument('--budget-min', type=float, default=75.0, help='wall-clock training budget, sets the epoch count')
    ap.add_argument('--max-epochs', type=int, default=60)
    ap.add_argument('--epochs', type=int, default=0, help='fixed epoch count (overrides the budget)')
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--device', default='cpu', help="'cpu' or 'cuda' (bf16 autocast, augmentation on the GPU)")
    ap.add_argument('--deadline-min', type=float, default=0.0,
                    help='hard wall-clock stop after this many minutes since start (0: none); the budget normally ends first')
    ap.add_argument('--half-out', default=None,
                    help='also write fp16 weights to <half-out>.<k>.npz parts of <= 15 MB each (for carrying a run off a '
                         'lent machine); rejoin with join_half.py')
    ap.add_argument('--max-batches', type=int, default=0, help='stop each epoch after this many batches (timing only)')
    ap.add_argument('--init-from', default=None, help='start from these weights (e.g. runs/x/final.pt) with a fresh schedule')
    ap.add_argument('--runs-dir', default=os.path.join(HERE, 'runs'), help='checkpoints go to <runs-dir>/<name>/')
    args = ap.parse_args()
    name = args.name or args.arch
    run_dir = os.path.join(args.runs_dir, name)
    os.makedirs(run_dir, exist_ok=True)
    torch.set_num_threads(args.threads)
    started = time.time()
    dev = torch.device(args.device)
    cuda = dev.type == 'cuda'
    if cuda:
        torch.backends.cudnn.benchmark = True
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    np.random.seed(args.seed)

    xtr_u8, ytr_np, fp_np, _ = load_arrays('train')
    xva_u8, yva_np, _, _ = load_arrays('val')
    xtr, ytr = to_tensor(xtr_u8).to(dev), torch.from_numpy(ytr_np).to(dev)
    xva, yva = to_tensor(xva_u8).to(dev), torch.from_numpy(yva_np).to(dev)
    counts = np.bincount(ytr_np, minlength=len(CLASSES)).astype(np.float64)
    w = (1.0 / counts) ** args.class_weight_power
    w = w / (w * counts).sum() * counts.sum()  # average weight per training sample = 1
    class_w = torch.tensor(w, dtype=torch.float32, device=dev)
    soft = soft_targets(ytr_np, fp_np, args.smoothing, args.ferplus_mix).to(dev) if args.ferplus_mix > 0 else None

    model = build(args.arch).to(dev, memory_format=torch.channels_last)
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, nesterov=True, weight_decay=args.wd)
    steps_per_epoch = math.ceil(len(xtr) / args.batch)
    if args.max_batches:
        steps_per_epoch = min(steps_per_epoch, args.max_batches)
    state = {'epoch': 0, 'epochs': args.epochs or None, 'history': [], 'best_acc': 0.0, 'cpu_s': 0.0, 'wall_s': 0.0}
    last = os.path.join(run_dir, 'last.pt')
    if args.init_from and not os.path.exists(last):
        init = torch.load(args.init_from)
        assert init['arch'] == args.arch, f'{args.init_from} is a {init["arch"]}, not {args.arch}'
        model.load_state_dict(init['model'])
        prev = init['state']
        state['init_from'] = {'path': args.init_from, 'epochs': prev['epochs'], 'wall_s': prev['wall_s'], 'cpu_s': prev['cpu_s']}
        print(f'initialised from {args.init_from} ({prev["epochs"]} epochs)', flush=True)
    if os.path.exists(last):
        ck = torch.load(last)
        model.load_state_dict(ck['model'])
        opt.load_state_dict(ck['opt'])
        state = ck['state']
        print(f'resumed {last} at epoch {state["epoch"]}/{state["epochs"]}', flush=True)
    with open(os.path.join(run_dir, 'args.json'), 'w') as f:
        json.dump(vars(args), f, indent=1)

    def lr_at(step: int) -> float:
        if step < steps_per_epoch:
            return args.lr * (step + 1) / steps_per_epoch
        total = max(1, (state['epochs'] - 1) * steps_per_epoch)
        p = min(1.0, (step - steps_per_epoch) / total)
        return args.lr * 0.5 * (1 + math.cos(math.pi * p))

    while state['epochs'] is None or state['epoch'] < state['epochs']:
        ep = state['epoch']
        g = torch.Generator().manual_seed(args.seed * 1000 + ep)
        perm = torch.randperm(len(xtr), generator=g).to(dev)
        g_aug = torch.Generator(device=dev).manual_seed(args.seed * 1000 + ep) if cuda else g  # CPU: as before
        model.train()
        t0, c0 = time.time(), time.process_time()
        tot, correct, seen = torch.zeros((), device=dev), torch.zeros((), device=dev), 0
        half = steps_per_epoch // 2
        for b in range(steps_per_epoch):
            if b == half:
                if cuda:
                    torch.cuda.synchronize()
                t_half = time.time()
            idx = perm[b * args.batch:(b + 1) * args.batch]
            xb = augment(xtr[idx], g_aug).contiguous(memory_format=torch.channels_last)
            yb = ytr[idx]
            for pg in opt.param_groups:
                pg['lr'] = lr_at(ep * steps_per_epoch + b)
            with torch.autocast('cuda', dtype=torch.bfloat16) if cuda else contextlib.nullcontext():
                logits = model(xb)
            logits = logits.float()
            if soft is None:
                loss = F.cross_entropy(logits, yb, weight=class_w, label_smoothing=args.smoothing)
            else:
                sw = class_w[yb]
                loss = (sw * -(soft[idx] * F.log_softmax(logits, 1)).sum(1)).sum() / sw.sum()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            tot += loss.detach() * len(idx)
            correct += (logits.argmax(1) == yb).sum()
            seen += len(idx)
            if b % 50 == 0:
                print(f'  ep {ep} batch {b}/{steps_per_epoch} loss {loss.item():.3f} {time.time() - t0:.0f}s', flush=True)
        tot, correct = tot.item(), correct.item()
        ep_wall, ep_cpu = time.time() - t0, time.process_time() - c0
        steady = (time.time() - t_half) * steps_per_epoch / (steps_per_epoch - half)  # epoch time without warm-up
        va_logits = predict_logits(model, xva)
        va_acc = (va_logits.argmax(1) == yva).float().mean().item()
        state['epoch'] = ep + 1
        state['wall_s'] += ep_wall
        state['cpu_s'] += ep_cpu
        if state['epochs'] is None:
            # the epochs that fit in what is left of the budget, at the steady (second-half) pace plus validation
            per_epoch = steady + (time.time() - t0 - ep_wall)
            est = 1 + int((args.budget_min * 60 - (time.time() - started)) / per_epoch)
            state['epochs'] = max(2, min(args.max_epochs, est))
            print(f'first epoch {ep_wall:.1f}s wall ({steady:.1f}s steady), {ep_cpu:.0f}s CPU -> {state["epochs"]} epochs '
                  f'for {args.budget_min} min', flush=True)
        state['history'].append({'epoch': ep + 1, 'train_loss': tot / seen, 'train_acc': correct / seen, 'val_acc': va_acc,
                                 'lr': lr_at(ep * steps_per_epoch + steps_per_epoch - 1), 'wall_s': ep_wall, 'cpu_s': ep_cpu})
        print(f'epoch {ep + 1}/{state["epochs"]} loss {tot / seen:.3f} train_acc {correct / seen:.4f} val_acc {va_acc:.4f} '
              f'wall {ep_wall:.0f}s cpu {ep_cpu:.0f}s', flush=True)
        ck = {'model': model.state_dict(), 'opt': opt.state_dict(), 'state': state, 'arch': args.arch}
        torch.save(ck, last + '.tmp')
        os.replace(last + '.tmp', last)
        if args.deadline_min and time.time() - started > args.deadline_min * 60 and state['epoch'] < state['epochs']:
            state['stopped_at_deadline'] = True
            print(f'deadline: stopped after epoch {state["epoch"]} of {state["epochs"]}', flush=True)
            break
    final = {'model': model.state_dict(), 'arch': args.arch, 'state': state, 'args': vars(args)}
    torch.save(final, os.path.join(run_dir, 'final.pt'))
    if args.half_out:
        from join_half import save_half
        save_half(final, args.half_out)
    print('done', json.dumps({k: state[k] for k in ('epochs', 'wall_s', 'cpu_s')}), flush=True)


if __name__ == '__main__':
    main()
