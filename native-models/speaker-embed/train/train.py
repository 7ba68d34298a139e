"""Train the speaker embedding (native-models/speaker-embed) on the training speakers of splits.json.

One command, seeded, CPU (1 thread by default):
    nice -n 10 /usr/bin/python3 native-models/speaker-embed/train/train.py --run r1 [--arch cnn|stats] [--steps 1500]
after `node --import tsx native-models/speaker-embed/train/export-speech.ts` has written train/cache/.

Data: the VAD speech of every file of the training speakers (RAVDESS actors 1-10, EMOVO f1 m1, TurEV-DB 1157 1234).
Each speaker is also played at 0.9x and 1.1x speed (pitch and formants move with it) and those copies count as new
speakers (as in WeSpeaker's recipes), so the network sees 3 x 14 = 42 voices. Every copy exists clean and degraded
(telephone band 300-3400 Hz through 8 kHz mu-law, or white/pink noise at 5-25 dB SNR); crops get random gain,
frequency and time masks. Loss: additive angular margin softmax (margin 0.2, scale 30).

Model choice: after every `--eval-every` steps the embedding is scored on the DEV speakers (never trained on):
equal error rate of same/different-speaker trials between 1.5 s speech crops. The best checkpoint by dev EER is kept
(the test speakers are never looked at here). Writes train/runs/<run>/{model.onnx, log.json, args.json}.
"""
import argparse
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from scipy.signal import butter, resample_poly, sosfilt

from logmel import LogMel

HERE = os.path.dirname(os.path.abspath(__file__))
CACHE = os.path.join(HERE, 'cache')

# The front end shipped in manifest.json (write_manifest.py copies it): 25 ms would be more usual, but the engine's
# log-mel code is THE front end and 32 ms (n_fft 512) frames at a 10 ms hop serve speaker features well.
FRONT_END = {
    'sampleRate': 16000, 'nFft': 512, 'hopLength': 160, 'nMels': 40, 'fMin': 40, 'fMax': 8000, 'logFloor': 1e-6,
    'windowSeconds': 1.5, 'hopSeconds': 0.75,
}
SPEEDS = (1.0, 0.9, 1.1)


def load_cache(cache=CACHE):
    with open(os.path.join(cache, 'index.json')) as f:
        index = json.load(f)
    pcm = np.memmap(os.path.join(cache, 'speech.i16'), dtype='<i2', mode='r')
    return index, pcm


def telephone(x, rng):
    sos = butter(4, [300, 3400], btype='bandpass', fs=16000, output='sos')
    y = resample_poly(sosfilt(sos, x), 1, 2)
    mu = 255.0
    peak = max(1e-4, np.max(np.abs(y)))
    z = np.sign(y / peak) * np.log1p(mu * np.abs(y / peak)) / np.log1p(mu)
    z = np.round(z * 127) / 127
    y = np.sign(z) * ((1 + mu) ** np.abs(z) - 1) / mu * peak
    return resample_poly(y, 2, 1)[: len(x)]


def add_noise(x, rng):
    n = rng.standard_normal(len(x))
    if rng.random() < 0.5:  # pink: 1/f via cumulative filtering in the frequency domain
        spec = np.fft.rfft(n)
        spec /= np.sqrt(np.maximum(1, np.arange(len(spec))))
        n = np.fft.irfft(spec, len(x))
    snr = rng.uniform(5, 25)
    ps = np.mean(x ** 2) + 1e-12
    return x + n * math.sqrt(ps / (np.mean(n ** 2) + 1e-12) / 10 ** (snr / 10))


def speech_frames(feat, segments, scale, hop):
    """Columns of `feat` whose frame lies inside a speech segment (sample indices scaled by `scale`)."""
    keep = np.zeros(feat.shape[1], bool)
    for s, e in segments:
        a = int(math.floor(s * scale / hop))
        b = int(math.ceil((e * scale) / hop))
        keep[max(0, a):max(0, b)] = True
    return feat[:, keep]


def cached_features(index, pcm, splits, seed, degrade=True, speeds=SPEEDS, cache=CACHE):
    """build_features, stored in cache/features-*.npz after the first run (the CPU is shared: compute once)."""
    key = f"{'-'.join(sorted(splits))}-{'deg' if degrade else 'clean'}-{'_'.join(str(r) for r in speeds)}-seed{seed}"
    path = os.path.join(cache, f'features-{key}.npz')
    if os.path.exists(path):
        z = np.load(path, allow_pickle=False)
        meta = json.loads(str(z['meta']))
        clean, deg = z['clean'], z['deg']
        items = []
        for cls, a, b, da, db, speaker in meta['items']:
            items.append((cls, clean[:, a:b], deg[:, da:db] if db > da else None, speaker))
        return items, {tuple(k): v for k, v in meta['classes']}
    items, classes = build_features(index, pcm, splits, np.random.default_rng(seed), degrade, speeds)
    offsets, c_parts, d_parts, ca, da = [], [], [], 0, 0
    for cls, c, d, speaker in items:
        dl = 0 if d is None else d.shape[1]
        offsets.append([cls, ca, ca + c.shape[1], da, da + dl, speaker])
        c_parts.append(c)
        if d is not None:
            d_parts.append(d)
        ca += c.shape[1]
        da += dl
    meta = {'items': offsets, 'classes': [[list(k), v] for k, v in classes.items()]}
    np.savez(path, clean=np.concatenate(c_parts, 1), deg=np.concatenate(d_parts, 1) if d_parts else np.zeros((FRONT_END['nMels'], 0), np.float16), meta=json.dumps(meta))
    return cached_features(index, pcm, splits, seed, degrade, speeds, cache)


def build_features(index, pcm, splits, rng, degrade=True, speeds=SPEEDS):
    """[(class_id, clean [nMels, T], degraded or None)] for every file of the given splits and speeds."""
    fe = LogMel(FRONT_END)
    files = [f for f in index['files'] if f['split'] in splits]
    speakers = sorted({f['speaker'] for f in files})
    classes = {(s, r): i for i, (s, r) in enumerate((s, r) for r in speeds for s in speakers)}
    out = []
    for f in files:
        x = pcm[f['offset']:f['offset'] + f['length']].astype(np.float64) / 32767
        for r in speeds:
            y = x if r == 1.0 else resample_poly(x, 10, int(round(10 * r)))
            scale = len(y) / max(1, len(x))
            clean = speech_frames(fe(y), f['segments'], scale, FRONT_END['hopLength'])
            deg = None
            if degrade:
                z = telephone(y, rng) if rng.random() < 0.5 else add_noise(y, rng)
                deg = speech_frames(fe(z), f['segments'], scale, FRONT_END['hopLength'])
            if clean.shape[1] >= 30:
                out.append((classes[(f['speaker'], r)], clean.astype(np.float16), None if deg is None else deg.astype(np.float16), f['speaker']))
    return out, classes


# ---------------------------------------------------------------------------------------------------------------- model

class InstanceCmn(nn.Module):
    """Subtract each mel band's mean over the crop (cepstral mean normalisation: removes the channel's colouring)."""

    def forward(self, x):
        return x - x.mean(dim=-1, keepdim=True)


class StatsPool(nn.Module):
    def forward(self, x):  # [B, C, T] -> [B, 2C]
        mean = x.mean(dim=-1)
        std = torch.sqrt(torch.clamp(x.var(dim=-1, unbiased=False), min=1e-5))
        return torch.cat([mean, std], dim=1)


def conv_bn(cin, cout, stride):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU())


class CnnEmbedder(nn.Module):
    """log-mel [B, 1, 40, T] -> 2-D conv stack -> 1-D conv over time -> mean+std pooling -> linear -> embedding."""

    def __init__(self, n_mels=40, width=16, dim=128, hidden=256):
        super().__init__()
        w = width
        self.cmn = InstanceCmn()
        self.conv = nn.Sequential(conv_bn(1, w, 1), conv_bn(w, 2 * w, (2, 1)), conv_bn(2 * w, 2 * w, 1),
                                  conv_bn(2 * w, 4 * w, (2, 2)), conv_bn(4 * w, 4 * w, 1), conv_bn(4 * w, 8 * w, (2, 1)))
        f = (n_mels + 7) // 8
        self.tdnn = nn.Sequential(nn.Conv1d(8 * w * f, hidden, 3, padding=1, bias=False), nn.BatchNorm1d(hidden), nn.ReLU(),
                                  nn.Conv1d(hidden, hidden, 1, bias=False), nn.BatchNorm1d(hidden), nn.ReLU())
        self.pool = StatsPool()
        self.fc = nn.Linear(2 * hidden, dim)
        self.bn = nn.BatchNorm1d(dim)

    def forward(self, x):
        x = self.conv(self.cmn(x))
        b, c, f, t = x.shape
        x = self.tdnn(x.reshape(b, c * f, t))
        return self.bn(self.fc(self.pool(x)))


class StatsEmbedder(nn.Module):
    """Baseline: mean and standard deviation of each mel band and of its time difference -> 2-layer MLP."""

    def __init__(self, n_mels=40, dim=128):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(4 * n_mels, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Linear(256, dim), nn.BatchNorm1d(dim))
        self.pool = StatsPool()

    def forward(self, x):
        x = x[:, 0]
        d = x[:, :, 1:] - x[:, :, :-1]
        return self.net(torch.cat([self.pool(x), self.pool(d)], dim=1))


class AamSoftmax(nn.Module):
    def __init__(self, dim, n_classes, margin=0.2, scale=30.0):
        super().__init__()
        self.w = nn.Parameter(torch.randn(n_classes, dim) * 0.01)
        self.m, self.s = margin, scale

    def forward(self, emb, y, margin):
        cos = F.linear(F.normalize(emb), F.normalize(self.w)).clamp(-1 + 1e-7, 1 - 1e-7)
        theta = torch.acos(cos)
        target = torch.cos(theta + margin)
        onehot = F.one_hot(y, cos.shape[1]).bool()
        logits = torch.where(onehot, target, cos) * self.s
        return F.cross_entropy(logits, y), (cos.argmax(1) == y).float().mean()


class Export(nn.Module):
    """What ships: embedding L2-normalised, so the engine compares by dot product."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, logmel):
        return F.normalize(self.net(logmel), dim=1)


# ---------------------------------------------------------------------------------------------------------------- eval

def dev_trials(dev, rng, crops_per_file=1, frames=150):
    embs_in, spk = [], []
    for cls, clean, _, speaker in dev:
        if clean.shape[1] < frames:
            continue
        for _ in range(crops_per_file):
            a = rng.integers(0, clean.shape[1] - frames + 1)
            embs_in.append(clean[:, a:a + frames].astype(np.float32))
            spk.append(speaker)
    return np.stack(embs_in)[:, None], np.array(spk)


def eer(scores, same):
    order = np.argsort(-scores)
    same = same[order]
    tp = np.cumsum(same) / max(1, same.sum())
    fp = np.cumsum(~same) / max(1, (~same).sum())
    fnr = 1 - tp
    i = np.argmin(np.abs(fnr - fp))
    return float((fnr[i] + fp[i]) / 2)


@torch.no_grad()
def score_dev(net, x, spk):
    net.eval()
    e = torch.cat([F.normalize(net(torch.from_numpy(x[i:i + 128]))) for i in range(0, len(x), 128)]).numpy()
    net.train()
    s = e @ e.T
    iu = np.triu_indices(len(e), 1)
    same = spk[iu[0]] == spk[iu[1]]
    return eer(s[iu], same)


# ---------------------------------------------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--run', required=True)
    ap.add_argument('--arch', default='cnn', choices=['cnn', 'stats'])
    ap.add_argument('--width', type=int, default=8)
    ap.add_argument('--hidden', type=int, default=128)
    ap.add_argument('--min-frames', type=int, default=100)
    ap.add_argument('--max-frames', type=int, default=150)
    ap.add_argument('--dim', type=int, default=128)
    ap.add_argument('--steps', type=int, default=1000)
    ap.add_argument('--batch', type=int, default=32)
    ap.add_argument('--lr', type=float, default=2e-3)
    ap.add_argument('--margin', type=float, default=0.2)
    ap.add_argument('--eval-every', type=int, default=100)
    ap.add_argument('--seed', type=int, default=17)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--no-speed', action='store_true', help='no 0.9x/1.1x pseudo-speakers')
    ap.add_argument('--cache', default=CACHE)
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)
    run_dir = os.path.join(HERE, 'runs', args.run)
    os.makedirs(run_dir, exist_ok=True)
    with open(os.path.join(run_dir, 'args.json'), 'w') as f:
        json.dump(vars(args), f, indent=1)

    t0 = time.time()
    index, pcm = load_cache(args.cache)
    train, classes = cached_features(index, pcm, {'train'}, 1, degrade=True, speeds=(1.0,) if args.no_speed else SPEEDS, cache=args.cache)
    dev, _ = cached_features(index, pcm, {'dev'}, 2, degrade=False, speeds=(1.0,), cache=args.cache)
    dev_x, dev_spk = dev_trials(dev, np.random.default_rng(1))
    print(f'features: {len(train)} train items, {len(classes)} classes, {len(dev_x)} dev crops, {time.time() - t0:.0f} s', flush=True)

    n_mels = FRONT_END['nMels']
    net = CnnEmbedder(n_mels, args.width, args.dim, args.hidden) if args.arch == 'cnn' else StatsEmbedder(n_mels, args.dim)
    head = AamSoftmax(args.dim, len(classes), args.margin)
    params = list(net.parameters()) + list(head.parameters())
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.steps, pct_start=0.1)
    labels = np.array([t[0] for t in train])
    by_class = [np.flatnonzero(labels == c) for c in range(len(classes))]
    log = []
    best = (1.0, -1)
    for step in range(1, args.steps + 1):
        frames = int(rng.integers(args.min_frames, args.max_frames + 1))
        xb, yb = [], []
        for _ in range(args.batch):
            c = int(rng.integers(len(classes)))
            if len(by_class[c]) == 0:
                continue
            item = train[by_class[c][rng.integers(len(by_class[c]))]]
            feat = item[2] if item[2] is not None and rng.random() < 0.5 else item[1]
            feat = feat.astype(np.float32)
            if feat.shape[1] < frames:
                feat = np.tile(feat, (1, math.ceil(frames / feat.shape[1])))
            a = rng.integers(0, feat.shape[1] - frames + 1)
            x = feat[:, a:a + frames] + rng.uniform(-1.5, 1.5)
            if rng.random() < 0.5:
                f0 = rng.integers(0, n_mels - 5)
                x[f0:f0 + rng.integers(1, 6)] = x.mean()
            if rng.random() < 0.5:
                t0_ = rng.integers(0, frames - 20)
                x[:, t0_:t0_ + rng.integers(1, 21)] = x.mean()
            xb.append(x)
            yb.append(c)
        margin = args.margin * min(1.0, step / (0.3 * args.steps))
        loss, acc = head(net(torch.from_numpy(np.stack(xb)[:, None])), torch.tensor(yb), margin)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % args.eval_every == 0 or step == args.steps:
            e = score_dev(net, dev_x, dev_spk)
            log.append({'step': step, 'loss': float(loss), 'acc': float(acc), 'devEer': e, 'seconds': time.time() - t0})
            print(json.dumps(log[-1]), flush=True)
            if e < best[0]:
                best = (e, step)
                torch.save(net.state_dict(), os.path.join(run_dir, 'best.pt'))
            with open(os.path.join(run_dir, 'log.json'), 'w') as f:
                json.dump({'best': {'devEer': best[0], 'step': best[1]}, 'log': log}, f, indent=1)
    net.load_state_dict(torch.load(os.path.join(run_dir, 'best.pt')))
    export_onnx(net, os.path.join(run_dir, 'model.onnx'))
    print(f'best dev EER {best[0]:.4f} at step {best[1]}; wrote {run_dir}/model.onnx', flush=True)


def export_onnx(net, path, n_mels=FRONT_END['nMels']):
    net.eval()
    model = Export(net)
    dummy = torch.randn(1, 1, n_mels, 150)
    torch.onnx.export(model, dummy, path, input_names=['logmel'], output_names=['embedding'],
                      dynamic_axes={'logmel': {0: 'batch', 3: 'frames'}, 'embedding': {0: 'batch'}}, opset_version=13)


if __name__ == '__main__':
    main()
