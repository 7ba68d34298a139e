"""FER2013 training data: load, drop blanks, group byte-duplicates, stratified split, cache.

The split is saved as file names only (split.json, committed) so evaluation reproduces it.
Images are cached as a uint8 array in train/cache/ (git-ignored); nothing from the data set is committed.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
from collections import defaultdict

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.abspath(os.path.join(HERE, '..', '..', '..', '..', 'shared', 'datasets', 'fer2013'))
CLASSES = ['angry', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprise']  # FER2013 folder names = output order
FERPLUS_COLS = ['anger', 'disgust', 'fear', 'happiness', 'neutral', 'sadness', 'surprise']  # same order as CLASSES
SPLIT_FILE = os.path.join(HERE, 'split.json')
CACHE_DIR = os.path.join(HERE, 'cache')
VAL_FRACTION = 0.10
SPLIT_SEED = 20240613


def data_dir() -> str:
    return os.environ.get('FER2013_DIR', DEFAULT_DATA)


def load_gray(path: str) -> np.ndarray:
    """Decode exactly like training and the preprocessing reference: PIL, mode 'L', uint8 HxW."""
    with Image.open(path) as im:
        return np.asarray(im.convert('L'), dtype=np.uint8)


def list_files(root: str) -> list[tuple[str, int]]:
    out = []
    for ci, c in enumerate(CLASSES):
        for name in sorted(os.listdir(os.path.join(root, 'train', c))):
            if name.lower().endswith(('.jpg', '.jpeg', '.png')):
                out.append((f'{c}/{name}', ci))
    return out


def make_split(root: str) -> dict:
    """Stratified ~10% validation split; byte-duplicate groups stay on one side; blank images dropped."""
    files = list_files(root)
    groups: dict[str, list[int]] = defaultdict(list)
    blanks = []
    for i, (rel, _) in enumerate(files):
        p = os.path.join(root, 'train', rel)
        with open(p, 'rb') as f:
            groups[hashlib.sha1(f.read()).hexdigest()].append(i)
        if load_gray(p).std() == 0:
            blanks.append(rel)
    blank_set = set(blanks)
    rng = np.random.default_rng(SPLIT_SEED)
    # Assign whole groups; a group's stratum is the majority class of its members.
    by_class: dict[int, list[list[int]]] = defaultdict(list)
    for members in groups.values():
        members = [m for m in members if files[m][0] not in blank_set]
        if not members:
            continue
        labels = [files[m][1] for m in members]
        by_class[max(set(labels), key=labels.count)].append(members)
    train, val = [], []
    for ci in sorted(by_class):
        gl = by_class[ci]
        order = rng.permutation(len(gl))
        n_items = sum(len(g) for g in gl)
        target = VAL_FRACTION * n_items
        taken = 0
        for k in order:
            g = gl[k]
            if taken < target:
                val.extend(files[m][0] for m in g)
                taken += len(g)
            else:
                train.extend(files[m][0] for m in g)
    conflicting = sum(1 for g in groups.values() if len({files[m][1] for m in g}) > 1)
    return {
        'description': 'FER2013 train/ split for face-cnn: validation ~10% stratified by class; byte-duplicate groups '
        'kept on one side; single-value blank images dropped. Paths are relative to fer2013/train/.',
        'seed': SPLIT_SEED,
        'classes': CLASSES,
        'blank_dropped': sorted(blanks),
        'duplicate_groups': sum(1 for g in groups.values() if len(g) > 1),
        'duplicate_groups_conflicting': conflicting,
        'train': sorted(train),
        'val': sorted(val),
    }


def get_split(root: str | None = None) -> dict:
    """split.json stores the validation list and the dropped blanks; train = every other image file in train/."""
    root = root or data_dir()
    if not os.path.exists(SPLIT_FILE):
        split = make_split(root)
        stored = {k: v for k, v in split.items() if k != 'train'}
        stored['n_train'] = len(split['train'])
        with open(SPLIT_FILE, 'w') as f:
            json.dump(stored, f, indent=0)
    with open(SPLIT_FILE) as f:
        split = json.load(f)
    excluded = set(split['val']) | set(split['blank_dropped'])
    split['train'] = [rel for rel, _ in list_files(root) if rel not in excluded]
    if len(split['train']) != split['n_train']:
        raise RuntimeError(f'{root}: {len(split["train"])} training images, split.json expects {split["n_train"]}')
    return split


def ferplus_votes(root: str) -> dict[str, np.ndarray]:
    out = {}
    with open(os.path.join(root, 'ferplus_labels_train.csv')) as f:
        for row in csv.DictReader(f):
            if row['neutral'] == '':
                continue
            out[row['path']] = np.array([float(row[c]) for c in FERPLUS_COLS], dtype=np.float32)
    return out


def has_votes(votes: np.ndarray) -> np.ndarray:
    """Rows of load_arrays' FER+ votes that can be used: the image has votes (not -1) and some went to the 7 classes."""
    return (votes[:, 0] >= 0) & (votes.clip(0).sum(1) > 0)


def load_arrays(part: str, root: str | None = None):
    """(images uint8 [N,48,48], labels int64 [N], ferplus votes float32 [N,7] (-1 when absent), names).
    With FER2013_PACKED set (a file from pack_data.py) the arrays come from that file instead of the data folder."""
    if os.environ.get('FER2013_PACKED'):
        from pack_data import unpack
        return unpack(os.environ['FER2013_PACKED'], part)
    root = root or data_dir()
    split = get_split(root)
    os.makedirs(CACHE_DIR, exist_ok=True)
    cache = os.path.join(CACHE_DIR, f'{part}.npz')
    names = split[part]
    if os.path.exists(cache):
        z = np.load(cache)
        if list(z['names']) == names:
            return z['x'], z['y'], z['fp'], names
    votes = ferplus_votes(root)
    x = np.stack([load_gray(os.path.join(root, 'train', n)) for n in names])
    y = np.array([CLASSES.index(n.split('/')[0]) for n in names], dtype=np.int64)
    fp = np.stack([votes.get(n, np.full(7, -1, np.float32)) for n in names])
    np.savez(cache, x=x, y=y, fp=fp, names=np.array(names))
    return x, y, fp, names


if __name__ == '__main__':
    s = get_split()
    print('train', len(s['train']), 'val', len(s['val']), 'blank', len(s['blank_dropped']),
          'dup groups', s['duplicate_groups'], 'conflicting', s['duplicate_groups_conflicting'])
    for part in ('train', 'val'):
        x, y, fp, _ = load_arrays(part)
        print(part, x.shape, np.bincount(y, minlength=7), 'mean', x.mean() / 255, 'std', x.std() / 255)
