"""Compare logmel.py with the engine's log-mel written by check-parity.ts (see there)."""
import json
import os

import numpy as np

from logmel import LogMel
from train import CACHE, FRONT_END, load_cache

index, pcm = load_cache()
ts = json.load(open(os.path.join(CACHE, 'parity.json')))
fe = LogMel(FRONT_END)
worst = 0.0
for f, t in zip(index['files'], ts):
    x = pcm[f['offset']:f['offset'] + f['length']].astype(np.float64) / 32767
    ours = fe(x)
    theirs = np.array(t['data'], dtype=np.float32).reshape(FRONT_END['nMels'], t['frames'])
    worst = max(worst, float(np.max(np.abs(ours - theirs))))
print(f'max |python - engine| over {len(ts)} files: {worst:.2e}')
assert worst < 1e-3, 'front ends differ'
