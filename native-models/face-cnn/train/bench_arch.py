"""Seconds per training batch (forward + backward + SGD step) for an architecture, on this CPU.

  /usr/bin/python3 bench_arch.py --arch resnet50 --batch 64 --batches 3 --threads 2
Prints one JSON line; the first batch is a warm-up and not counted.
"""
import argparse
import json
import time

import torch
import torch.nn.functional as F

from models import build

ap = argparse.ArgumentParser()
ap.add_argument('--arch', default='cnn-small')
ap.add_argument('--batch', type=int, default=128)
ap.add_argument('--batches', type=int, default=3)
ap.add_argument('--threads', type=int, default=2)
a = ap.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)
m = build(a.arch).to(memory_format=torch.channels_last).train()
opt = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9)
x = torch.randn(a.batch, 1, 48, 48).contiguous(memory_format=torch.channels_last)
y = torch.randint(0, 7, (a.batch,))
walls, cpus = [], []
for i in range(a.batches + 1):
    t, c = time.time(), time.process_time()
    opt.zero_grad()
    F.cross_entropy(m(x), y).backward()
    opt.step()
    if i:
        walls.append(time.time() - t)
        cpus.append(time.process_time() - c)
n = sum(p.numel() for p in m.parameters())
spb = sum(walls) / len(walls)
print(json.dumps({'arch': a.arch, 'params': n, 'batch': a.batch, 'threads': a.threads, 'wallSecondsPerBatch': round(spb, 3),
                  'cpuSecondsPerBatch': round(sum(cpus) / len(cpus), 3),
                  'wallMinutesPerEpoch25824': round(spb * 25824 / a.batch / 60, 1)}))
