"""Reference values for the TypeScript preprocessing parity test (tests/face-model-preprocess.test.ts).

Writes train/preprocess-reference.json:
  * real FER2013 validation images: NOT their pixels (the images may not be redistributed), only the file's sha256,
    the sha256 of the 48x48 uint8 gray array after the pipeline, its mean, and 32 sampled input-tensor values;
  * synthetic RGB images (integer formula, any size) with their full 48x48 gray output: these exercise the
    grayscale conversion and the resize (BOX when shrinking, BILINEAR when enlarging, per axis).
The pipeline is the one the engine reproduces: PIL decode -> RGB -> 'L' -> resize per axis -> (x/255 - mean)/std.

  /usr/bin/python3 preprocess_reference.py            # writes the fixture
  /usr/bin/python3 preprocess_reference.py --dump 500 /tmp/x.json   # full gray arrays of 500 val images (not for the repo)
"""
from __future__ import annotations

import hashlib
import json
import os
import sys

import numpy as np
from PIL import Image

from data import data_dir, get_split
from train import MEAN, STD

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'preprocess-reference.json')
SIZE = 48
SAMPLE_POSITIONS = [(i * 7919) % (SIZE * SIZE) for i in range(32)]


def pipeline_gray(rgb: Image.Image) -> np.ndarray:
    g = rgb.convert('L')
    w, h = g.size
    if w != SIZE:
        g = g.resize((SIZE, h), Image.BOX if SIZE < w else Image.BILINEAR)
    if h != SIZE:
        g = g.resize((SIZE, SIZE), Image.BOX if SIZE < h else Image.BILINEAR)
    return np.asarray(g, dtype=np.uint8)


def to_tensor(gray: np.ndarray) -> np.ndarray:
    return ((gray.astype(np.float32) / np.float32(255.0)) - np.float32(MEAN)) / np.float32(STD)


def synthetic(w: int, h: int) -> np.ndarray:
    y, x = np.mgrid[0:h, 0:w]
    r = (x * 13 + y * 7) & 255
    g = ((x * y) >> 2) & 255
    b = ((x ^ y) * 3) & 255
    return np.stack([r, g, b], -1).astype(np.uint8)


def main() -> None:
    root = data_dir()
    val = get_split(root)['val']
    if len(sys.argv) >= 4 and sys.argv[1] == '--dump':
        n = int(sys.argv[2])
        rows = []
        for rel in val[:: max(1, len(val) // n)][:n]:
            with Image.open(os.path.join(root, 'train', rel)) as im:
                rows.append({'path': rel, 'gray': pipeline_gray(im.convert('RGB')).ravel().tolist()})
        with open(sys.argv[3], 'w') as f:
            json.dump({'mean': MEAN, 'std': STD, 'images': rows}, f)
        return
    picks = []
    for c in ['angry', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprise']:
        picks += [p for p in val if p.startswith(c + '/')][:2]
    real = []
    for rel in picks:
        p = os.path.join(root, 'train', rel)
        with open(p, 'rb') as f:
            file_sha = hashlib.sha256(f.read()).hexdigest()
        with Image.open(p) as im:
            gray = pipeline_gray(im.convert('RGB'))
        t = to_tensor(gray).ravel()
        real.append({'path': rel, 'fileSha256': file_sha, 'graySha256': hashlib.sha256(gray.tobytes()).hexdigest(),
                     'grayMean': float(gray.mean()), 'samples': [float(t[i]) for i in SAMPLE_POSITIONS]})
    synth = []
    for w, h in [(48, 48), (96, 96), (131, 97), (30, 20), (200, 60), (37, 150)]:
        gray = pipeline_gray(Image.fromarray(synthetic(w, h), 'RGB'))
        synth.append({'width': w, 'height': h, 'gray': gray.ravel().tolist()})
    ref = {
        'generatedBy': 'native-models/face-cnn/train/preprocess_reference.py (Pillow %s)' % Image.__version__,
        'input': {'size': SIZE, 'scale': 255, 'mean': MEAN, 'std': STD},
        'samplePositions': SAMPLE_POSITIONS,
        'synthetic': {'formula': 'r=(x*13+y*7)&255, g=((x*y)>>2)&255, b=((x^y)*3)&255', 'images': synth},
        'fer2013Val': real,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump(ref, f, separators=(',', ':'))
    print('wrote', OUT, len(real), 'real', len(synth), 'synthetic')


if __name__ == '__main__':
    main()
