"""Feature cache written by scripts/export-voice-features.ts (the TypeScript engine front end)."""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
CACHE = os.path.join(HERE, 'cache')


class FeatureCache:
    def __init__(self, cache_dir=CACHE):
        with open(os.path.join(cache_dir, 'index.json')) as f:
            self.index = json.load(f)
        self.front_end = self.index['frontEnd']
        self.n_mels = self.front_end['nMels']
        self.fpw = self.index['framesPerWindow']
        self.labels = self.index['labels']
        self.files = self.index['files']
        self.full = np.fromfile(os.path.join(cache_dir, 'full.f32'), dtype='<f4')
        self.aug = np.fromfile(os.path.join(cache_dir, 'aug.f32'), dtype='<f4')
        self.win = np.fromfile(os.path.join(cache_dir, 'windows.f32'), dtype='<f4')
        self.floor_value = float(np.log(self.front_end['logFloor']))

    def full_features(self, i, copy=-1):
        """[nMels, frames] of file i: clean (copy=-1) or augmented copy `copy`."""
        f = self.files[i]
        ref, buf = (f['full'], self.full) if copy < 0 else (f['aug'][copy], self.aug)
        n = self.n_mels * ref['frames']
        return buf[ref['offset']:ref['offset'] + n].reshape(self.n_mels, ref['frames'])

    def windows(self, i):
        """Engine windows of clean file i: (array [n, nMels, fpw], voiced mask [n])."""
        ws = self.files[i]['windows']
        n = self.n_mels * self.fpw
        arr = np.stack([self.win[w['offset']:w['offset'] + n].reshape(self.n_mels, self.fpw) for w in ws]) if ws else np.zeros((0, self.n_mels, self.fpw), 'f4')
        return arr, np.array([w['voiced'] for w in ws], dtype=bool)

    def speakers(self):
        return sorted({f['speaker'] for f in self.files})


def vote(probs, voiced):
    """File label exactly as the engine (voice-model.ts voteWindows): majority of per-window argmax over voiced
    windows, ties broken by summed probability of the tied labels. None when no window is voiced."""
    probs = np.asarray(probs)[np.asarray(voiced, dtype=bool)]
    if len(probs) == 0:
        return None
    counts = np.bincount(probs.argmax(1), minlength=probs.shape[1])
    tied = np.flatnonzero(counts == counts.max())
    sums = probs.sum(0)
    return int(tied[np.argmax(sums[tied])])


def metrics(y_true, y_pred, n_classes):
    """Accuracy, UAR, macro-F1, per-class P/R/F1 and the confusion matrix (rows: true, cols: predicted).
    A None prediction (abstained) counts as wrong for every metric."""
    cm = np.zeros((n_classes, n_classes), dtype=int)
    abstained = np.zeros(n_classes, dtype=int)
    for t, p in zip(y_true, y_pred):
        if p is None:
            abstained[t] += 1
        else:
            cm[t, p] += 1
    support = cm.sum(1) + abstained
    tp = np.diag(cm)
    pred_n = cm.sum(0)
    recall = np.divide(tp, support, out=np.zeros(n_classes), where=support > 0)
    precision = np.divide(tp, pred_n, out=np.zeros(n_classes), where=pred_n > 0)
    f1 = np.divide(2 * precision * recall, precision + recall, out=np.zeros(n_classes), where=(precision + recall) > 0)
    present = support > 0
    return {
        'n': int(support.sum()),
        'accuracy': float(tp.sum() / max(1, support.sum())),
        'uar': float(recall[present].mean()),
        'macroF1': float(f1[present].mean()),
        'precision': precision.tolist(),
        'recall': recall.tolist(),
        'f1': f1.tolist(),
        'support': support.tolist(),
        'abstained': int(abstained.sum()),
        'confusion': cm.tolist(),
    }
