"""Train / evaluate the voice emotion CNN on log-mel features exported by the TypeScript front end, from several corpora.

  /usr/bin/python3 train.py loco  --run NAME [options]   leave-one-corpus-out: train on all corpora but one, test on it
  /usr/bin/python3 train.py cv    --run NAME [options]   RAVDESS actor-grouped 5-fold CV (the other corpora always train)
  /usr/bin/python3 train.py final --run NAME [options]   train on everything, export ONNX to runs/NAME/model.onnx
  /usr/bin/python3 write_manifest.py --run NAME ...      ship it: copy to ../model.onnx, write ../manifest.json

Corpora cover different labels (RAVDESS all 8, EMOVO 7 without calm, TurEV-DB angry/calm/happy/sad). With --mask 1
(the default) each example's softmax runs over its own corpus's labels only, so a corpus is never taken to say that
a label it does not use is absent from its audio.

Every test fold is scored on the engine's own windows (file label = vote over voiced windows, as the engine does), on
all the model's labels ("open": what the app shows) and on the four shared ones (angry, happy, neutral+calm, sad), on
clean audio and after the held-out call channel (callwin: telephone band + Speex, never used in training).
Seeded; resumable (per-epoch checkpoints and per-fold results under runs/NAME/). CPU, 1 torch thread by default.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from voicedata import CORPORA, HERE, SHARED_GROUPS, Data, group_name, group_of, group_probs, metrics, vote

sys.path.append(os.path.join(HERE, '..', '..'))  # native-models/: onnx_fp16
from onnx_fp16 import store_weights_fp16  # noqa: E402

RUNS = os.path.join(HERE, 'runs')
FAMILIES = ('noise', 'reverb', 'phone', 'codec', 'mix')


def build_parser():
    p = argparse.ArgumentParser()
    p.add_argument('mode', choices=['loco', 'cv', 'final', 'export', 'epoch-time'])
    p.add_argument('--run', required=True)
    p.add_argument('--seed', type=int, default=7)
    p.add_argument('--epochs', type=int, default=100, help='epochs of one learning-rate cycle')
    p.add_argument('--cycles', type=int, default=1,
                   help='one-cycle learning-rate schedules run one after another (warm restarts: each cycle heats the rate up '
                        'again from the last one\'s weights and optimiser state); the first cycle is the same as a 1-cycle run, '
                        'so a finished run\'s checkpoints can seed a longer one')
    p.add_argument('--batch', type=int, default=32)
    p.add_argument('--lr', type=float, default=3e-3)
    p.add_argument('--width', type=int, default=16, help='channels of the first conv block (x1, x2, x4, x8, x8 over 5 blocks)')
    p.add_argument('--corpora', default=','.join(CORPORA))
    p.add_argument('--aug-prob', type=float, default=0.5, help='probability a crop comes from an augmented copy')
    p.add_argument('--aug-families', default=','.join(FAMILIES), help=f'augmented copies to draw from: any of {",".join(FAMILIES)} ("" = none)')
    p.add_argument('--gain-db', type=float, default=6.0, help='random gain +-dB (feature domain: log-mel + log(g^2))')
    p.add_argument('--specaug', type=int, default=1)
    p.add_argument('--norm', choices=['global', 'cmn', 'cmvn', 'spk'], default='global',
                   help='in-graph input normalisation: global mean/std of the training set; cmn: also remove each mel band\'s '
                        'mean over the window\'s non-padding frames; cmvn: and divide by its standard deviation; spk '
                        '(experiment, not in the engine): remove each speaker\'s mean log-mel in that recording condition '
                        'before the global normalisation (use with --gain-db 0: a speaker mean removes gain)')
    p.add_argument('--spk-ref', choices=['all', 'session'], default='all',
                   help='with --norm spk, the reference a training crop is normalised by: all = its speaker\'s mean over all their '
                        'files (balanced across emotions); session = drawn as a real recording would give it: 60 %% the mean of '
                        '1-12 of the speaker\'s files, the crop\'s own always among them, emotions weighted by Dirichlet(0.5) '
                        '(a lopsided session); 25 %% the speaker\'s mean over all files; 15 %% the training speakers\' average '
                        '(no usable speech). Evaluation always uses the speaker mean; spk_robustness.py tries the others')
    p.add_argument('--mask', type=int, default=1, help='softmax over each corpus\'s own labels (1) or over all labels (0)')
    p.add_argument('--neutral-calm', choices=['either', 'as-labelled'], default='either',
                   help='a corpus with only one of neutral and calm (EMOVO: neutral, TurEV-DB: calm) does not say which of the two '
                        'its class is: "either" trains it as neutral-or-calm (the loss rewards their summed probability; RAVDESS '
                        'alone separates them), "as-labelled" takes its label literally')
    p.add_argument('--pool', choices=['plain', 'masked'], default='masked',
                   help='mean+max pooling over all time positions (plain) or only over those not in zero padding (masked: a short '
                        'utterance padded to a window then looks like its speech, not like silence)')
    p.add_argument('--short-prob', type=float, default=0.3,
                   help='probability a training crop is cut to a random 0.4-2.5 s and zero-padded to a window, as the engine pads short files')
    p.add_argument('--corpus-balance', type=int, default=1, help='weight the loss so each corpus counts equally (classes are balanced within each corpus)')
    p.add_argument('--corpus-weight', default='',
                   help='comma-separated corpus=factor multiplying a corpus\'s share of the loss after --corpus-balance '
                        '(e.g. ravdess=2: RAVDESS counts twice as much as each other corpus); default: every corpus 1')
    p.add_argument('--smoothing', type=float, default=0.05)
    p.add_argument('--folds', default=None, help='comma-separated fold indices (default: all)')
    p.add_argument('--time-pool', type=int, default=3, help='average-pool the 10 ms frames by this factor inside the network '
                   '(3: 30 ms steps; 2.3x cheaper than 2 on the shared CPU, measured)')
    p.add_argument('--adv-weight', type=float, default=0.0,
                   help='experiment: a corpus classifier on the pooled embedding behind a gradient-reversal layer (domain-'
                        'adversarial training), its reversed gradient ramped up to this weight; 0 = none')
    p.add_argument('--threads', type=int, default=1)
    return p


def corpus_factors(spec):
    """--corpus-weight 'ravdess=2,emovo=0.5' -> {'ravdess': 2.0, 'emovo': 0.5}."""
    return {k: float(v) for k, v in (kv.split('=') for kv in spec.split(',') if kv)}


def parse():
    parser = build_parser()
    args = parser.parse_args()
    try:
        unknown = set(corpus_factors(args.corpus_weight)) - set(args.corpora.split(','))
    except ValueError:
        parser.error(f'--corpus-weight {args.corpus_weight!r}: expected corpus=factor[,corpus=factor...]')
    if unknown:
        parser.error(f'--corpus-weight names {",".join(sorted(unknown))}, not among --corpora {args.corpora}')
    torch.set_num_threads(args.threads)
    return args


class VoiceCnn(nn.Module):
    """CPU-cheap CNN: 5x5 stride-2 stem (w), 3x3 stride-2 conv (2w), then conv3x3 + 2x2 max-pool blocks (4w, 8w)
    and a last conv3x3 (8w); every conv is followed by BatchNorm + ReLU. Mean+max pooling, dropout, linear.
    Input normalisation is inside the graph, so the ONNX file is self-contained and the engine passes raw log-mel."""

    def __init__(self, n_classes, width=16, norm='global', mean=0.0, std=1.0, time_pool=1, floor_value=math.log(1e-6), pool='plain'):
        super().__init__()
        self.norm = norm
        self.pool = pool
        self.time_pool = time_pool
        self.register_buffer('mean', torch.tensor(float(mean)))
        self.register_buffer('std', torch.tensor(float(std)))
        self.register_buffer('pad_level', torch.tensor(float(floor_value) + 0.5))

        def cbr(c_in, c_out, k, stride=1):
            return [nn.Conv2d(c_in, c_out, k, stride=stride, padding=k // 2, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True)]

        w = width
        self.features = nn.Sequential(
            *cbr(1, w, 5, 2),
            *cbr(w, 2 * w, 3, 2),
            *cbr(2 * w, 4 * w, 3), nn.MaxPool2d(2),
            *cbr(4 * w, 8 * w, 3), nn.MaxPool2d(2),
            *cbr(8 * w, 8 * w, 3),
        )
        self.dropout = nn.Dropout(0.3)
        self.head = nn.Linear(16 * w, n_classes)

    def forward(self, x):
        return self.head(self.dropout(self.embed(x)))

    def embed(self, x):
        """The pooled features the classifier reads (mean and max over frequency x time of the last conv block):
        exported as the ONNX output `embedding`, which the engine's input check measures (input_check.py)."""
        # x: [B, 1, nMels, frames], raw log-mel.
        real = (x.mean(dim=2, keepdim=True) > self.pad_level).float()  # [B, 1, 1, frames]: 0 in zero padding
        if self.norm in ('cmn', 'cmvn'):
            # Per-window, per-band normalisation over frames that are not zero padding (short files are padded).
            n = real.sum(dim=3, keepdim=True).clamp(min=1.0)
            mu = (x * real).sum(dim=3, keepdim=True) / n
            x = (x - mu) * real
            if self.norm == 'cmvn':
                x = x / torch.sqrt((x * x).sum(dim=3, keepdim=True) / n + 1e-2)
        else:
            x = (x - self.mean) / self.std
        if self.time_pool > 1:  # 20-30 ms steps are plenty for prosody, and much cheaper
            x = F.avg_pool2d(x, (1, self.time_pool))
        h = self.features(x)
        if self.pool == 'masked':
            # the padding mask at the feature map's time resolution; a window that is all padding keeps every position
            m = F.interpolate(real, size=(1, h.shape[3]), mode='nearest')
            m = torch.where(m.sum(dim=3, keepdim=True) > 0, m, torch.ones_like(m))
            n = m.sum(dim=3, keepdim=True) * h.shape[2]
            mean = (h * m).sum(dim=(2, 3)) / n.flatten(1)
            mx = (h + (m - 1.0) * 1e4).amax(dim=(2, 3))
            return torch.cat([mean, mx], dim=1)
        return torch.cat([h.mean(dim=(2, 3)), h.amax(dim=(2, 3))], dim=1)


def copies_allowed(data, i, families):
    return [k for k, a in enumerate(data.files[i]['aug']) if a['family'] in families]


class SessionReferences:
    """--spk-ref session: a speaker reference for each training crop, drawn as one recording would give it."""

    def __init__(self, data, train_ids):
        self.data = data
        self.by_speaker = {}
        for i in train_ids:
            self.by_speaker.setdefault(self.speaker(i), {}).setdefault(data.label(i), []).append(i)
        speakers = set(self.by_speaker)
        self.population = {}
        for (spk, cond, copy), m in data.speaker_means.items():
            if cond == 'full' and spk in speakers:
                self.population.setdefault(copy, []).append(m)
        self.population = {k: np.mean(v, axis=0).astype('f4') for k, v in self.population.items()}

    def speaker(self, i):
        return (self.data.corpus_of[i], self.data.files[i]['speaker'])

    def draw(self, i, copy, rng):
        spk = self.speaker(i)
        u = rng.random()
        if u < 0.15:
            return self.population[copy]
        if u < 0.40:
            return self.data.speaker_means[(spk, 'full', copy)]
        emotions = sorted(self.by_speaker[spk])
        w = rng.dirichlet([0.5] * len(emotions))
        files = [i] + [self._pick(self.by_speaker[spk][emotions[k]], rng) for k in rng.choice(len(emotions), int(rng.integers(0, 12)), p=w)]
        total, n = np.zeros(self.data.n_mels, 'f4'), 0
        for j in files:
            part = self.data.file_sums.get((j, copy)) or self.data.file_sums.get((j, -1))
            if part:
                total += part[0]; n += part[1]
        return total / n if n else self.data.speaker_means[(spk, 'full', copy)]

    @staticmethod
    def _pick(ids, rng):
        return ids[int(rng.integers(len(ids)))]


def crop_features(data, i, copy, rng, short_prob=0.0, refs=None):
    """A random window-long crop of file i (clean, or augmented copy `copy`); a file shorter than a window sits at the
    start of a zero-padded window, as the engine pads it. With probability short_prob the crop is first cut to a
    random 0.4-2.5 s (a short utterance). `refs` (SessionReferences): normalise by a drawn speaker reference."""
    fpw = data.fpw
    feat = data.full_features(i, copy) if refs is None else data._normalise(data.full_features(i, copy, raw=True), None, refs.draw(i, copy, rng))
    if short_prob > 0 and rng.random() < short_prob:
        n = int(rng.integers(40, 251))
        if feat.shape[1] > n:
            t0 = int(rng.integers(feat.shape[1] - n + 1))
            feat = feat[:, t0:t0 + n]
    T = feat.shape[1]
    if T >= fpw:
        t0 = int(rng.integers(T - fpw + 1))
        return feat[:, t0:t0 + fpw].copy()
    crop = np.full((data.n_mels, fpw), data.floor_value, 'f4')
    crop[:, :T] = feat
    return crop


def make_batches(data, train_ids, args, rng, families, refs=None):
    """Yield (x, y, ids) batches of one random crop per training file for one epoch."""
    order = rng.permutation(len(train_ids))
    for s in range(0, len(order), args.batch):
        xs, ys, ids = [], [], []
        for k in order[s:s + args.batch]:
            i = train_ids[k]
            allowed = copies_allowed(data, i, families)
            copy = int(rng.choice(allowed)) if (allowed and rng.random() < args.aug_prob) else -1
            crop = crop_features(data, i, copy, rng, args.short_prob, refs)
            if args.gain_db > 0:
                real = crop > data.floor_value + 0.5
                crop[real] += 2 * math.log(10 ** (rng.uniform(-args.gain_db, args.gain_db) / 20))
            xs.append(crop)
            ys.append(data.label(i))
            ids.append(i)
        yield torch.from_numpy(np.stack(xs)[:, None]), torch.tensor(ys), ids


def spec_augment(x, rng, fill):
    """Two frequency masks (<= 8 bands) and two time masks (<= 30 frames) per example."""
    B, _, M, T = x.shape
    for b in range(B):
        for _ in range(2):
            w = int(rng.integers(0, 9)); f0 = int(rng.integers(0, M - w + 1))
            x[b, :, f0:f0 + w, :] = fill
            w = int(rng.integers(0, 31)); t0 = int(rng.integers(0, T - w + 1))
            x[b, :, :, t0:t0 + w] = fill
    return x


def norm_stats(data, ids):
    vals = np.concatenate([data.full_features(i).ravel()[::7] for i in ids])
    return float(vals.mean()), float(vals.std())


def loss_setup(data, train_ids, args):
    """Per-file loss weights (classes balanced within each corpus; corpora equal when --corpus-balance), the
    per-corpus label masks (additive logit bias: 0 for the labels the corpus's softmax runs over, -1e4 for the others)
    and the per-corpus target sets (label index -> the labels that count as right for it)."""
    n_classes = len(data.labels)
    nc = [data.labels.index('neutral'), data.labels.index('calm')]
    corpora = sorted({data.corpus_of[i] for i in train_ids})
    factors = corpus_factors(args.corpus_weight)
    weight = np.zeros(len(data))
    for c in corpora:
        ids = [i for i in train_ids if data.corpus_of[i] == c]
        counts = np.bincount([data.label(i) for i in ids], minlength=n_classes)
        k = (counts > 0).sum()
        cw = (len(train_ids) / (len(corpora) * len(ids))) if args.corpus_balance else 1.0
        cw *= factors.get(c, 1.0)
        for i in ids:
            weight[i] = cw * len(ids) / (k * counts[data.label(i)])
    weight /= weight[train_ids].mean()
    bias, targets = {}, {}
    for c in corpora:
        own = data.corpus_label_set(c)
        either = args.neutral_calm == 'either' and len(set(own) & set(nc)) == 1
        b = np.full(n_classes, -1e4, 'f4')
        b[sorted(set(own) | (set(nc) if either else set())) if args.mask else list(range(n_classes))] = 0
        bias[c] = b
        targets[c] = np.eye(n_classes, dtype='f4')
        if either:
            targets[c][nc[0], nc] = 1
            targets[c][nc[1], nc] = 1
    return torch.tensor(weight, dtype=torch.float32), bias, targets


def masked_loss(logits, y, ids, data, weight, bias, targets, smoothing):
    """Weighted, label-smoothed cross-entropy over each example's corpus labels, where the target may be a set of
    labels (-log of their summed probability); returns it and, per example, whether the top label is in the target."""
    b = torch.from_numpy(np.stack([bias[data.corpus_of[i]] for i in ids]))
    logp = F.log_softmax(logits + b, dim=1)
    allowed = (b == 0).float()
    T = torch.from_numpy(np.stack([targets[data.corpus_of[i]][int(t)] for i, t in zip(ids, y)]))
    nll = -logp.masked_fill(T == 0, -1e9).logsumexp(dim=1)
    smooth = -(allowed * logp).sum(1) / allowed.sum(1)
    per = (1 - smoothing) * nll + smoothing * smooth
    w = weight[torch.tensor(ids)]
    right = T[torch.arange(len(y)), (logits + b).argmax(1)] > 0
    return (w * per).mean(), right


class GradReverse(torch.autograd.Function):
    """Identity forward; the gradient comes back multiplied by -lam (domain-adversarial training)."""

    @staticmethod
    def forward(ctx, x, lam):
        ctx.lam = lam
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad):
        return -ctx.lam * grad, None


def train_model(data, train_ids, args, ckpt_path, log):
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    mean, std = norm_stats(data, train_ids)
    n_classes = len(data.labels)
    model = VoiceCnn(n_classes, args.width, args.norm, mean, std, args.time_pool, data.floor_value, args.pool)
    adv_corpora = sorted({data.corpus_of[i] for i in train_ids}) if args.adv_weight > 0 else []
    adversary = nn.Sequential(nn.Linear(16 * args.width, 64), nn.ReLU(), nn.Linear(64, len(adv_corpora))) if adv_corpora else None
    params = list(model.parameters()) + (list(adversary.parameters()) if adversary else [])
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=1e-3)
    steps_per_epoch = math.ceil(len(train_ids) / args.batch)

    def one_cycle():
        return torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.epochs * steps_per_epoch, pct_start=0.2)

    sched = one_cycle()
    weight, bias, targets = loss_setup(data, train_ids, args)
    families = [f for f in args.aug_families.split(',') if f]
    refs = SessionReferences(data, train_ids) if args.norm == 'spk' and args.spk_ref == 'session' else None
    start = 0
    total = args.epochs * args.cycles
    if os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path)
        model.load_state_dict(ck['model']); opt.load_state_dict(ck['opt'])
        if adversary:
            adversary.load_state_dict(ck['adversary'])
        rng.bit_generator.state = ck['rng']; torch.set_rng_state(ck['torch_rng'])
        start = ck['epoch']
        if start % args.epochs:  # mid-cycle: that cycle's schedule goes on; at a cycle's end the loop starts the next
            sched.load_state_dict(ck['sched'])
        log(f'resumed from {ckpt_path} at epoch {start}')
    fill = mean  # SpecAugment masks are filled with the training mean log-mel (raw domain: the graph normalises after)
    for epoch in range(start, total):
        if epoch and epoch % args.epochs == 0:
            sched = one_cycle()
            log(f'cycle {epoch // args.epochs + 1}/{args.cycles}: learning rate warms up again')
        model.train()
        t0, tot, correct, n = time.time(), 0.0, 0, 0
        for step, (x, y, ids) in enumerate(make_batches(data, train_ids, args, rng, families, refs)):
            if args.specaug:
                x = spec_augment(x, rng, fill)
            emb = model.embed(x)  # model(x) in two steps, so the adversary can read the embedding
            loss, right = masked_loss(model.head(model.dropout(emb)), y, ids, data, weight, bias, targets, args.smoothing)
            if adversary:
                progress = (epoch * steps_per_epoch + step) / (total * steps_per_epoch)
                lam = args.adv_weight * (2 / (1 + math.exp(-10 * progress)) - 1)
                who = torch.tensor([adv_corpora.index(data.corpus_of[i]) for i in ids])
                loss = loss + F.cross_entropy(adversary(GradReverse.apply(emb, lam)), who)
            opt.zero_grad(); loss.backward(); opt.step(); sched.step()
            tot += loss.item() * len(y); correct += right.sum().item(); n += len(y)
        log(f'epoch {epoch + 1}/{total} loss {tot / n:.3f} train-acc {correct / n:.3f} ({time.time() - t0:.1f} s)')
        torch.save({'model': model.state_dict(), 'opt': opt.state_dict(), 'sched': sched.state_dict(), 'epoch': epoch + 1,
                    'rng': rng.bit_generator.state, 'torch_rng': torch.get_rng_state(),
                    **({'adversary': adversary.state_dict()} if adversary else {})}, ckpt_path)
    return model


@torch.no_grad()
def window_probs(model, data, ids, which, reference=None):
    """Softmax probabilities of each file's engine windows (voiced or not) and the voiced masks; `reference`: see Data.windows."""
    model.eval()
    out = []
    for i in ids:
        arr, voiced = data.windows(i, which, reference=reference)
        p = F.softmax(model(torch.from_numpy(arr[:, None].copy())), dim=1).numpy() if len(arr) else np.zeros((0, len(data.labels)), 'f4')
        out.append((p, voiced))
    return out


def score(data, ids, probs_voiced):
    """File-level figures: open (all labels) and shared (four groups), plus window-level UAR."""
    labels = data.labels
    y = [data.label(i) for i in ids]
    open_pred = [vote(p, v) for p, v in probs_voiced]
    shared_ids = [k for k, i in enumerate(ids) if group_of(labels[data.label(i)]) is not None]
    ys = [group_of(labels[data.label(ids[k])]) for k in shared_ids]
    shared_pred = [vote(group_probs(probs_voiced[k][0], labels), probs_voiced[k][1]) for k in shared_ids]
    wt, wp, correct = [], [], []
    for (p, v), t in zip(probs_voiced, y):
        top = p[v].argmax(1) if len(p) else np.zeros(0, int)
        wt += [t] * len(top); wp += top.tolist()
        correct.append([int(k == t) for k in top])
    w = metrics(wt, wp, len(labels))
    return {'open': metrics(y, open_pred, len(labels)), 'shared': metrics(ys, shared_pred, len(SHARED_GROUPS)),
            'windowUar': w['uar'], 'predictions': [None if p is None else labels[p] for p in open_pred],
            'windowCorrect': correct}


def evaluate(model, data, ids):
    res = {}
    for which in ('clean', 'call'):
        pv = window_probs(model, data, ids, which)
        res[which] = score(data, ids, pv)
    return res


def folds_for(mode, data, corpora):
    """[(name, train_ids, test_ids)] for 'loco' (one fold per corpus) or 'cv' (RAVDESS actors 1-4, 5-8, ...)."""
    all_ids = list(range(len(data)))
    if mode == 'loco':
        return [(f'held-out {c}', [i for i in all_ids if data.corpus_of[i] != c], [i for i in all_ids if data.corpus_of[i] == c]) for c in corpora]
    rav = [i for i in all_ids if data.corpus_of[i] == 'ravdess']
    speakers = sorted({data.files[i]['speaker'] for i in rav})
    assert len(speakers) == 20, speakers
    out = []
    for k in range(5):
        test_spk = set(speakers[4 * k:4 * k + 4])  # 2 male + 2 female actors each (odd = male)
        test = [i for i in rav if data.files[i]['speaker'] in test_spk]
        train = [i for i in all_ids if not (data.corpus_of[i] == 'ravdess' and data.files[i]['speaker'] in test_spk)]
        out.append((f'RAVDESS actors {",".join(sorted(test_spk))}', train, test))
    return out


def main():
    args = parse()
    run_dir = os.path.join(RUNS, args.run)
    os.makedirs(run_dir, exist_ok=True)
    logf = open(os.path.join(run_dir, f'{args.mode}.log'), 'a')

    def log(msg):
        line = f'[{time.strftime("%H:%M:%S")}] {msg}'
        print(line, flush=True); logf.write(line + '\n'); logf.flush()

    with open(os.path.join(run_dir, f'{args.mode}-args.json'), 'w') as f:
        json.dump(vars(args), f, indent=1)
    corpora = args.corpora.split(',')
    data = Data(corpora, speaker_norm=args.norm == 'spk')
    all_ids = list(range(len(data)))
    if args.mode == 'epoch-time':
        args.epochs = 1
        ids = [i for i in all_ids if data.corpus_of[i] != corpora[0]]
        t0 = time.time()
        train_model(data, ids, args, os.path.join(run_dir, 'epoch-time.pt'), log)
        log(f'one epoch on {len(ids)} files: {time.time() - t0:.1f} s')
        os.remove(os.path.join(run_dir, 'epoch-time.pt'))
        return
    if args.mode in ('loco', 'cv'):
        folds = folds_for(args.mode, data, corpora)
        chosen = range(len(folds)) if args.folds is None else [int(s) for s in args.folds.split(',')]
        results = []
        for k in chosen:
            name, train_ids, test_ids = folds[k]
            res_path = os.path.join(run_dir, f'{args.mode}{k}.json')
            if os.path.exists(res_path):
                results.append(json.load(open(res_path))); log(f'fold {k} ({name}): done before'); continue
            assert not set(train_ids) & set(test_ids)
            log(f'fold {k} ({name}): {len(train_ids)} train / {len(test_ids)} test files')
            model = train_model(data, train_ids, args, os.path.join(run_dir, f'{args.mode}{k}.pt'), log)
            ev = evaluate(model, data, test_ids)
            res = {'fold': k, 'name': name, 'testCorpus': data.corpus_of[test_ids[0]],
                   'testSpeakers': sorted({data.files[i]['speaker'] for i in test_ids}),
                   'testPaths': [data.files[i]['path'] for i in test_ids], **ev}
            json.dump(res, open(res_path, 'w'), indent=1)
            log(f'fold {k} ({name}): ' + '; '.join(
                f'{w}: open UAR {ev[w]["open"]["uar"]:.3f} shared-4 UAR {ev[w]["shared"]["uar"]:.3f}' for w in ('clean', 'call')))
            results.append(res)
        if len(results) == len(folds):
            summarize(results, data.labels, run_dir, args.mode, log)
    if args.mode in ('final', 'export'):
        model = train_model(data, all_ids, args, os.path.join(run_dir, 'final.pt'), log)
        export_onnx(model, data.n_mels, data.fpw, os.path.join(run_dir, 'model.onnx'))
        json.dump({'args': vars(args), 'frontEnd': data.front_end, 'framesPerWindow': data.fpw, 'labels': data.labels,
                   'corpora': {c: {'files': sum(1 for i in all_ids if data.corpus_of[i] == c), 'labels': data.corpora[c].corpus_labels} for c in corpora}},
                  open(os.path.join(run_dir, 'final.json'), 'w'), indent=1)
        log(f'exported {run_dir}/model.onnx (ship it with write_manifest.py --run {args.run})')


def summarize(results, labels, run_dir, mode, log):
    """Mean ± sd over folds and pooled confusion matrices, for each condition (clean/call) and view (open/shared)."""
    summary = {'mode': mode, 'folds': [r['name'] for r in results]}
    for which in ('clean', 'call'):
        summary[which] = {}
        for view in ('open', 'shared'):
            ms = [r[which][view] for r in results]
            s = {kk: {'mean': float(np.mean([m[kk] for m in ms])), 'sd': float(np.std([m[kk] for m in ms], ddof=1)) if len(ms) > 1 else 0.0,
                      'folds': [m[kk] for m in ms]} for kk in ('uar', 'accuracy', 'macroF1')}
            s['chanceUar'] = [m['chanceUar'] for m in ms]
            s['perFold'] = [{'name': r['name'], 'confusion': m['confusion'], 'recall': m['recall'], 'support': m['support']} for r, m in zip(results, ms)]
            cm = np.sum([np.array(m['confusion']) for m in ms], axis=0)
            sup = np.sum([np.array(m['support']) for m in ms], axis=0)
            s['pooled'] = {'labels': labels if view == 'open' else [group_name(g) for g in SHARED_GROUPS], 'confusion': cm.tolist(),
                           'recall': (np.diag(cm) / np.maximum(sup, 1)).tolist(), 'support': sup.tolist()}
            summary[which][view] = s
        summary[which]['windowUar'] = float(np.mean([r[which]['windowUar'] for r in results]))
    json.dump(summary, open(os.path.join(run_dir, f'{mode}-summary.json'), 'w'), indent=1)
    for which in ('clean', 'call'):
        log(f'{mode} {which}: ' + '; '.join(f'{view} UAR {summary[which][view]["uar"]["mean"]:.3f} ± {summary[which][view]["uar"]["sd"]:.3f} '
                                            f'(folds {", ".join(f"{u:.3f}" for u in summary[which][view]["uar"]["folds"])})' for view in ('open', 'shared')))


class WithEmbedding(nn.Module):
    """The exported graph: logits and the embedding they are computed from."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        h = self.model.embed(x)
        return self.model.head(h), h


def export_onnx(model, n_mels, frames, path):
    model.eval()
    dummy = torch.zeros(2, 1, n_mels, frames)
    torch.onnx.export(WithEmbedding(model).eval(), dummy, path, input_names=['logmel'], output_names=['logits', 'embedding'], opset_version=13,
                      dynamic_axes={'logmel': {0: 'batch'}, 'logits': {0: 'batch'}, 'embedding': {0: 'batch'}}, do_constant_folding=True)
    store_weights_fp16(path)  # arithmetic stays float32; the engine's figures (eval_folds.py) are this file's


if __name__ == '__main__':
    main()
