"""Pack the training and validation arrays into one file, for training on a machine without ../shared.

  /usr/bin/python3 pack_data.py [out.npz]      then, there:  FER2013_PACKED=<out.npz> python3 train.py ...

The images are stored lzma-compressed (row differences first: ~0.74 of the raw size), labels and FER+ votes as they
are. The file holds data-set images: keep it out of git — the default, train/cache/fer-packed.npz, is git-ignored
(a lent machine's `carry` takes ignored paths).
"""
from __future__ import annotations

import lzma
import os
import sys

import numpy as np

from data import CACHE_DIR, load_arrays


def pack(out: str) -> None:
    arrays = {}
    for part in ('train', 'val'):
        x, y, fp, names = load_arrays(part)
        diff = np.diff(x.astype(np.int16), axis=2, prepend=0).astype(np.uint8)  # wraps mod 256; undone by cumsum
        arrays[f'{part}_x'] = np.frombuffer(lzma.compress(diff.tobytes(), preset=6), dtype=np.uint8)
        arrays[f'{part}_shape'] = np.array(x.shape)
        arrays[f'{part}_y'], arrays[f'{part}_fp'], arrays[f'{part}_names'] = y, fp, np.array(names)
    np.savez(out, **arrays)


def unpack(path: str, part: str):
    """(images uint8 [N,48,48], labels, FER+ votes, names) of one part, as data.load_arrays returns them."""
    z = np.load(path)
    diff = np.frombuffer(lzma.decompress(z[f'{part}_x'].tobytes()), dtype=np.uint8).reshape(z[f'{part}_shape'])
    x = np.cumsum(diff, axis=2, dtype=np.uint8)
    return x, z[f'{part}_y'], z[f'{part}_fp'], list(z[f'{part}_names'])


if __name__ == '__main__':
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(CACHE_DIR, 'fer-packed.npz')
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    pack(out)
    print(out, f'{os.path.getsize(out) / 1e6:.1f} MB')
