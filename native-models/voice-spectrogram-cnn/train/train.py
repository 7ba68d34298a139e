"""Train / cross-validate the voice emotion CNN on log-mel features exported by the TypeScript front end.

  /usr/bin/python3 train.py cv    --run NAME [options]   actor-grouped 5-fold CV (4 actors per test fold)
  /usr/bin/python3 train.py final --run NAME [options]   train on all actors, export ONNX to runs/NAME/model.onnx
  /usr/bin/python3 write_manifest.py --run NAME --cv-run CVNAME   ship it: copy to ../model.onnx, write ../manifest.json
Seeded; resumable (per-epoch checkpoints and per-fold results under runs/NAME/). CPU only, 1 torch thread per process by default.
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

from voicedata import HERE, FeatureCache, metrics, vote

RUNS = os.path.join(HERE, 'runs')


def parse():
    p = argparse.ArgumentParser()
    p.add_argument('mode', choices=['cv', 'final', 'export', 'epoch-time'])
    p.add_argument('--run', required=True)
    p.add_argument('--seed', type=int, default=7)
    p.add_argument('--epochs', type=int, default=100)
    p.add_argument('--batch', type=int, default=32)
    p.add_argument('--lr', type=float, default=3e-3)
    p.add_argument('--width', type=int, default=16, help='channels of the first conv block (x1, x2, x4, x8, x8 over 5 blocks)')
    p.add_argument('--crops', type=int, default=1, help='random crops per file per epoch')
    p.add_argument('--aug-prob', type=float, default=0.5, help='probability a crop comes from a noisy copy')
    p.add_argument('--gain-db', type=float, default=6.0, help='random gain +-dB (feature domain: log-mel + log(g^2))')
    p.add_argument('--specaug', type=int, default=1)
    p.add_argument('--balance', type=int, default=1, help='class-weighted loss (neutral has half the files)')
    p.add_argument('--inorm', type=int, default=0, help='subtract the per-window mean of each mel band inside the model')
    p.add_argument('--folds', type=str, default='0,1,2,3,4')
    p.add_argument('--time-pool', type=int, default=2, help='average-pool the 10 ms frames by this factor inside the network')
    p.add_argument('--threads', type=int, default=1, help='torch threads (1 per process is fastest on the shared 2 cores)')
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    return args


class VoiceCnn(nn.Module):
    """CPU-cheap CNN: 5x5 stride-2 stem (w), 3x3 stride-2 conv (2w), then conv3x3 + 2x2 max-pool blocks (4w, 8w)
    and a last conv3x3 (8w); every conv is followed by BatchNorm + ReLU. Mean+max pooling, dropout, linear.
    Strides instead of pools at full resolution: those layers dominate CPU time."""

    def __init__(self, n_classes, width=16, inorm=False, mean=0.0, std=1.0, time_pool=1):
        super().__init__()
        self.inorm = inorm
        self.time_pool = time_pool
        self.register_buffer('mean', torch.tensor(float(mean)))
        self.register_buffer('std', torch.tensor(float(std)))

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
        # x: [B, 1, nMels, frames], raw log-mel. Normalisation is inside the graph so the ONNX file is self-contained;
        # the manifest's normalization is therefore the identity.
        x = (x - self.mean) / self.std
        if self.inorm:
            x = x - x.mean(dim=3, keepdim=True)
        if self.time_pool > 1:  # average neighbouring 10 ms frames: 20 ms resolution is plenty for prosody, and 2x cheaper
            x = F.avg_pool2d(x, (1, self.time_pool))
        h = self.features(x)
        h = torch.cat([h.mean(dim=(2, 3)), h.amax(dim=(2, 3))], dim=1)
        return self.head(self.dropout(h))


def make_batch_sampler(cache, train_ids, args, rng):
    """Yield (x, y) batches of random crops for one epoch."""
    fpw = cache.fpw
    items = [(i, c) for i in train_ids for c in range(args.crops)]
    order = rng.permutation(len(items))
    n_aug = len(cache.files[0]['aug'])
    for s in range(0, len(order), args.batch):
        xs, ys = [], []
        for k in order[s:s + args.batch]:
            i, _ = items[k]
            copy = int(rng.integers(n_aug)) if (n_aug and rng.random() < args.aug_prob) else -1
            feat = cache.full_features(i, copy)
            T = feat.shape[1]
            if T >= fpw:
                t0 = int(rng.integers(T - fpw + 1))
                crop = feat[:, t0:t0 + fpw].copy()
            else:
                crop = np.full((cache.n_mels, fpw), cache.floor_value, 'f4')
                crop[:, :T] = feat
            if args.gain_db > 0:
                crop += 2 * math.log(10 ** (rng.uniform(-args.gain_db, args.gain_db) / 20))
            xs.append(crop)
            ys.append(cache.files[i]['label'])
        yield torch.from_numpy(np.stack(xs)[:, None]), torch.tensor(ys)


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


def norm_stats(cache, ids):
    vals = np.concatenate([cache.full_features(i).ravel() for i in ids])
    return float(vals.mean()), float(vals.std())


def train_model(cache, train_ids, args, ckpt_path, log):
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    mean, std = norm_stats(cache, train_ids)
    n_classes = len(cache.labels)
    model = VoiceCnn(n_classes, args.width, bool(args.inorm), mean, std, args.time_pool)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-3)
    steps_per_epoch = math.ceil(len(train_ids) * args.crops / args.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.epochs * steps_per_epoch, pct_start=0.2)
    counts = np.bincount([cache.files[i]['label'] for i in train_ids], minlength=n_classes).astype(float)
    weights = torch.tensor(counts.sum() / np.maximum(counts, 1) / n_classes if args.balance else np.ones(n_classes), dtype=torch.float32)
    weights[torch.tensor(counts == 0)] = 0
    start = 0
    if os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path)
        model.load_state_dict(ck['model']); opt.load_state_dict(ck['opt']); sched.load_state_dict(ck['sched'])
        rng.bit_generator.state = ck['rng']; torch.set_rng_state(ck['torch_rng'])
        start = ck['epoch']
        log(f'resumed from {ckpt_path} at epoch {start}')
    fill = mean  # masks are filled with the mean log-mel (0 after the in-graph normalisation)
    for epoch in range(start, args.epochs):
        model.train()
        t0, tot, correct, n = time.time(), 0.0, 0, 0
        for x, y in make_batch_sampler(cache, train_ids, args, rng):
            if args.specaug:
                x = spec_augment(x, rng, fill)
            logits = model(x)
            loss = F.cross_entropy(logits, y, weight=weights, label_smoothing=0.05)
            opt.zero_grad(); loss.backward(); opt.step(); sched.step()
            tot += loss.item() * len(y); correct += (logits.argmax(1) == y).sum().item(); n += len(y)
        log(f'epoch {epoch + 1}/{args.epochs} loss {tot / n:.3f} train-acc {correct / n:.3f} ({time.time() - t0:.1f} s)')
        torch.save({'model': model.state_dict(), 'opt': opt.state_dict(), 'sched': sched.state_dict(), 'epoch': epoch + 1,
                    'rng': rng.bit_generator.state, 'torch_rng': torch.get_rng_state()}, ckpt_path)
    return model


@torch.no_grad()
def predict_files(model, cache, ids):
    """Per file: engine windows -> softmax probabilities -> vote (exactly as the engine)."""
    model.eval()
    preds, win_true, win_pred = [], [], []
    for i in ids:
        arr, voiced = cache.windows(i)
        probs = F.softmax(model(torch.from_numpy(arr[:, None].copy())), dim=1).numpy() if len(arr) else np.zeros((0, len(cache.labels)))
        preds.append(vote(probs, voiced))
        for p in probs[voiced]:
            win_true.append(cache.files[i]['label']); win_pred.append(int(p.argmax()))
    return preds, win_true, win_pred


def fold_split(cache):
    speakers = cache.speakers()
    assert len(speakers) == 20, speakers
    # Fixed, documented folds: actors 1-4, 5-8, ... (each fold 2 male + 2 female actors: odd = male).
    return [speakers[4 * k:4 * k + 4] for k in range(5)]


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
    cache = FeatureCache()
    n_classes = len(cache.labels)
    all_ids = list(range(len(cache.files)))
    if args.mode == 'epoch-time':
        args.epochs = 1
        t0 = time.time()
        train_model(cache, all_ids[:960], args, os.path.join(run_dir, 'epoch-time.pt'), log)
        log(f'one epoch on 960 files: {time.time() - t0:.1f} s')
        os.remove(os.path.join(run_dir, 'epoch-time.pt'))
        return
    if args.mode == 'cv':
        folds = fold_split(cache)
        results = []
        for k in [int(s) for s in args.folds.split(',')]:
            res_path = os.path.join(run_dir, f'fold{k}.json')
            if os.path.exists(res_path):
                results.append(json.load(open(res_path))); log(f'fold {k}: done before'); continue
            test_spk = set(folds[k])
            train_ids = [i for i in all_ids if cache.files[i]['speaker'] not in test_spk]
            test_ids = [i for i in all_ids if cache.files[i]['speaker'] in test_spk]
            assert not ({cache.files[i]['speaker'] for i in train_ids} & test_spk)
            log(f'fold {k}: test actors {sorted(test_spk)}, {len(train_ids)} train / {len(test_ids)} test files')
            model = train_model(cache, train_ids, args, os.path.join(run_dir, f'fold{k}.pt'), log)
            preds, wt, wp = predict_files(model, cache, test_ids)
            y = [cache.files[i]['label'] for i in test_ids]
            m = metrics(y, preds, n_classes)
            wm = metrics(wt, wp, n_classes)
            res = {'fold': k, 'testActors': sorted(test_spk), 'file': m, 'window': {kk: wm[kk] for kk in ('n', 'accuracy', 'uar', 'macroF1')},
                   'predictions': [{'path': cache.files[i]['path'], 'true': cache.labels[t], 'pred': None if p is None else cache.labels[p]}
                                   for i, t, p in zip(test_ids, y, preds)]}
            json.dump(res, open(res_path, 'w'), indent=1)
            log(f'fold {k}: UAR {m["uar"]:.3f} acc {m["accuracy"]:.3f} macro-F1 {m["macroF1"]:.3f} (windows: acc {wm["accuracy"]:.3f})')
            results.append(res)
        summarize(results, cache.labels, run_dir, log)
    if args.mode in ('final', 'export'):
        # 'export' re-exports a finished final run from its checkpoint (train_model resumes at the last epoch).
        model = train_model(cache, all_ids, args, os.path.join(run_dir, 'final.pt'), log)
        export_onnx(model, cache, os.path.join(run_dir, 'model.onnx'))
        json.dump({'args': vars(args), 'frontEnd': cache.front_end, 'framesPerWindow': cache.fpw, 'labels': cache.labels},
                  open(os.path.join(run_dir, 'final.json'), 'w'), indent=1)
        log(f'exported {run_dir}/model.onnx (ship it with write_manifest.py --run {args.run})')


def summarize(results, labels, run_dir, log):
    keys = ('uar', 'accuracy', 'macroF1')
    summary = {kk: {'mean': float(np.mean([r['file'][kk] for r in results])), 'sd': float(np.std([r['file'][kk] for r in results], ddof=1)) if len(results) > 1 else 0.0,
                    'folds': [r['file'][kk] for r in results]} for kk in keys}
    summary['windowUar'] = float(np.mean([r['window']['uar'] for r in results]))
    cm = np.sum([np.array(r['file']['confusion']) for r in results], axis=0)
    support = cm.sum(1)
    summary['pooled'] = {'labels': labels, 'confusion': cm.tolist(), 'recall': (np.diag(cm) / np.maximum(support, 1)).tolist(),
                         'abstained': int(sum(r['file']['abstained'] for r in results))}
    summary['folds'] = len(results)
    json.dump(summary, open(os.path.join(run_dir, 'cv-summary.json'), 'w'), indent=1)
    log('CV: ' + ', '.join(f'{kk} {summary[kk]["mean"]:.3f} ± {summary[kk]["sd"]:.3f}' for kk in keys) + f' (window UAR {summary["windowUar"]:.3f})')
    log('per-class recall: ' + ', '.join(f'{l} {r:.2f}' for l, r in zip(labels, summary['pooled']['recall'])))


def export_onnx(model, cache, path):
    model.eval()
    dummy = torch.zeros(2, 1, cache.n_mels, cache.fpw)
    torch.onnx.export(model, dummy, path, input_names=['logmel'], output_names=['logits'], opset_version=13,
                      dynamic_axes={'logmel': {0: 'batch'}, 'logits': {0: 'batch'}}, do_constant_folding=True)


if __name__ == '__main__':
    main()
