"""Feature caches written by scripts/export-voice-features.ts (the TypeScript engine front end), one folder per corpus
under train/cache/, plus the file-level vote and the metrics used for every figure in MODEL_CARD.md."""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
CACHE = os.path.join(HERE, 'cache')
CORPORA = ('ravdess', 'emovo', 'turev')
# The four emotions every corpus has. TurEV-DB has no "neutral" but a "calm" class, EMOVO has "neutral" and no
# "calm", RAVDESS has both: in the shared view "neutral" and "calm" are one class, "neutral+calm" (truth and
# prediction), and the model chooses among these four only (each group's probability = the sum of its labels').
SHARED_GROUPS = (('angry',), ('happy',), ('neutral', 'calm'), ('sad',))


def group_name(g):
    return '+'.join(g)


class Corpus:
    def __init__(self, name, cache_dir=CACHE):
        d = os.path.join(cache_dir, name)
        with open(os.path.join(d, 'index.json')) as f:
            self.index = json.load(f)
        self.name = name
        self.front_end = self.index['frontEnd']
        self.n_mels = self.front_end['nMels']
        self.fpw = self.index['framesPerWindow']
        self.labels = self.index['labels']
        self.corpus_labels = self.index['corpusLabels']
        self.aug_families = self.index['augFamilies']
        self.files = self.index['files']
        mm = lambda k: np.memmap(os.path.join(d, f'{k}.f32'), dtype='<f4', mode='r')
        self.full, self.aug, self.win, self.callwin = mm('full'), mm('aug'), mm('windows'), mm('callwin')


class Data:
    """All corpora as one list of files; a file is addressed by its global id."""

    def __init__(self, corpora=CORPORA, cache_dir=CACHE, speaker_norm=False):
        self.corpora = {c: Corpus(c, cache_dir) for c in corpora}
        self.speaker_norm = False
        first = next(iter(self.corpora.values()))
        self.front_end, self.n_mels, self.fpw, self.labels = first.front_end, first.n_mels, first.fpw, first.labels
        self.floor_value = float(np.log(self.front_end['logFloor']))
        for c in self.corpora.values():
            assert c.front_end == self.front_end and c.labels == self.labels and c.fpw == self.fpw, f'{c.name}: cache made with another front end'
        self.ref = [(c, k) for c in self.corpora.values() for k in range(len(c.files))]
        self.files = [c.files[k] for c, k in self.ref]
        self.corpus_of = [c.name for c, _ in self.ref]
        if speaker_norm:
            self.speaker_means = self._speaker_means()
            self.speaker_norm = True

    def _active(self, feat):
        """Frames of [nMels, frames] that carry sound: not zero padding, and above the file's 20th-percentile level."""
        level = feat.mean(axis=0)
        real = level > self.floor_value + 0.5
        if not real.any():
            return real
        return real & (level >= np.percentile(level[real], 20))

    def _speaker_means(self):
        """Mean log-mel per band of each speaker's active frames, per recording condition: clean, each augmented copy
        index (the same family for every file; its parameters vary by file), the held-out call channel. What the
        engine would take from one person's speech in one recording (experiment: --norm spk)."""
        sums = {}
        self.file_sums = {}  # (file, copy) -> (sum over its active frames, their count): session references (--spk-ref)
        self.window_sums = {}  # (file, 'clean' | 'call') -> the same over its voiced windows: reference()
        def add(key, feat, file_key=None):
            a = self._active(feat)
            if a.any():
                s = sums.setdefault(key, [np.zeros(self.n_mels), 0])
                part = feat[:, a].sum(axis=1)
                s[0] += part; s[1] += int(a.sum())
                if file_key is not None:
                    self.file_sums[file_key] = (part.astype('f4'), int(a.sum()))
        for i, f in enumerate(self.files):
            spk = (self.corpus_of[i], f['speaker'])
            add((spk, 'full', -1), self.full_features(i, -1, raw=True), (i, -1))
            for k in range(len(f['aug'])):
                add((spk, 'full', k), self.full_features(i, k, raw=True), (i, k))
            for which in ('clean', 'call'):
                arr, voiced = self.windows(i, which, raw=True)
                total, n = np.zeros(self.n_mels), 0
                for w in arr[voiced]:
                    a = self._active(w)
                    add((spk, which, 0), w)
                    total += w[:, a].sum(axis=1); n += int(a.sum())
                if n:
                    self.window_sums[(i, which)] = (total, n)
        return {k: (v[0] / max(v[1], 1)).astype('f4') for k, v in sums.items()}

    def reference(self, ids, which):
        """Mean log-mel per band over the active frames of the voiced `which` windows ('clean' or 'call') of files
        `ids`: a speaker reference taken from any subset of their speech (spk_robustness.py); None without any."""
        total, n = np.zeros(self.n_mels), 0
        for j in ids:
            if (j, which) in self.window_sums:
                total += self.window_sums[(j, which)][0]; n += self.window_sums[(j, which)][1]
        return (total / n).astype('f4') if n else None

    def _normalise(self, feat, key, reference=None):
        """Subtract the speaker's mean (or `reference`) from every frame that is not zero padding (padding stays at the floor)."""
        out = np.array(feat, dtype='f4', copy=True)
        real = out.mean(axis=0) > self.floor_value + 0.5
        out[:, real] -= (self.speaker_means[key] if reference is None else reference)[:, None]
        return out

    def __len__(self):
        return len(self.ref)

    def label(self, i):
        return self.files[i]['label']

    def corpus_label_set(self, name):
        return [self.labels.index(l) for l in self.corpora[name].corpus_labels]

    def full_features(self, i, copy=-1, raw=False):
        """[nMels, frames] of file i: clean (copy=-1) or augmented copy `copy` (index into file['aug'])."""
        c, k = self.ref[i]
        f = c.files[k]
        ref, buf = (f['full'], c.full) if copy < 0 else (f['aug'][copy], c.aug)
        n = self.n_mels * ref['frames']
        feat = np.asarray(buf[ref['offset']:ref['offset'] + n]).reshape(self.n_mels, ref['frames'])
        if self.speaker_norm and not raw:
            return self._normalise(feat, ((self.corpus_of[i], f['speaker']), 'full', copy))
        return feat

    def windows(self, i, which='clean', raw=False, reference=None):
        """Engine windows of file i, clean or after the held-out call channel: (array [n, nMels, fpw], voiced [n]).
        With speaker normalisation, `reference` replaces the speaker's mean."""
        c, k = self.ref[i]
        ws = c.files[k]['windows' if which == 'clean' else 'callWindows']
        buf = c.win if which == 'clean' else c.callwin
        n = self.n_mels * self.fpw
        arr = np.stack([np.asarray(buf[w['offset']:w['offset'] + n]).reshape(self.n_mels, self.fpw) for w in ws]) if ws else np.zeros((0, self.n_mels, self.fpw), 'f4')
        voiced = np.array([w['voiced'] for w in ws], dtype=bool)
        if self.speaker_norm and not raw and len(arr):
            key = ((self.corpus_of[i], c.files[k]['speaker']), which, 0)
            arr = np.stack([self._normalise(w, key, reference) for w in arr])
        return arr, voiced


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


def group_probs(probs, labels, groups=SHARED_GROUPS):
    """Per-window probabilities summed over each group of labels (the CLI's `eval voice --labels a,b,c+d`)."""
    probs = np.asarray(probs)
    return np.stack([probs[:, [labels.index(l) for l in g]].sum(1) for g in groups], axis=1) if len(probs) else np.zeros((0, len(groups)))


def group_of(label, groups=SHARED_GROUPS):
    for k, g in enumerate(groups):
        if label in g:
            return k
    return None


def metrics(y_true, y_pred, n_classes):
    """Accuracy, UAR, macro-F1, per-class P/R/F1 and the confusion matrix (rows: true, cols: predicted).
    A None prediction (abstained) counts as wrong for every metric. UAR and macro-F1 average over the classes
    present in y_true (a corpus without "calm" is not scored on it)."""
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
        'chanceUar': float(1 / present.sum()),
        'precision': precision.tolist(),
        'recall': recall.tolist(),
        'f1': f1.tolist(),
        'support': support.tolist(),
        'abstained': int(abstained.sum()),
        'confusion': cm.tolist(),
    }
