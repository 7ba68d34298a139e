"""Carry a run off a lent machine in fp16 parts, and join the parts back into runs/<name>/final.pt (fp32).

  /usr/bin/python3 join_half.py <prefix> <run name>     (reads <prefix>.0.npz, <prefix>.1.npz, ...)

Parts are plain .npz (weights) with the run's state and arguments as JSON, so a newer PyTorch on the lent machine and
the older one here need not read each other's pickles. The fp16 rounding of the weights is the only change;
export.py measures the joined run like any other.
"""
from __future__ import annotations

import glob
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
PART_BYTES = 15_000_000


def save_half(final: dict, prefix: str) -> list[str]:
    """Write final.pt's dict with fp16 weights, split by tensor into parts of at most ~PART_BYTES each."""
    parts, cur, size = [], {}, 0
    for k, v in final['model'].items():
        a = v.detach().cpu().numpy()
        a = a.astype(np.float16) if a.dtype.kind == 'f' else a
        if cur and size + a.nbytes > PART_BYTES:
            parts.append(cur)
            cur, size = {}, 0
        cur[k] = a
        size += a.nbytes
    parts.append(cur)
    meta = json.dumps({k: final[k] for k in final if k != 'model'})
    paths = []
    for i, weights in enumerate(parts):
        path = f'{prefix}.{i}.npz'
        with open(path + '.tmp', 'wb') as f:
            np.savez(f, __meta__=np.array(meta if i == 0 else '{}'), __parts__=np.array(len(parts)), **weights)
        os.replace(path + '.tmp', path)
        paths.append(path)
    return paths


def join(prefix: str, name: str) -> str:
    import torch

    paths = sorted(glob.glob(f'{glob.escape(prefix)}.[0-9]*.npz'), key=lambda p: int(p.rsplit('.', 2)[1]))
    parts = [dict(np.load(p)) for p in paths]
    expected = int(parts[0]['__parts__']) if parts else None
    if not parts or len(parts) != expected:
        raise SystemExit(f'{prefix}: found {len(parts)} parts, expected {expected or "some"}')
    final = json.loads(str(parts[0]['__meta__']))
    final['model'] = {k: torch.from_numpy(v.astype(np.float32) if v.dtype.kind == 'f' else v)
                      for p in parts for k, v in p.items() if not k.startswith('__')}
    final['state']['carried_fp16'] = True
    out_dir = os.path.join(HERE, 'runs', name)
    os.makedirs(out_dir, exist_ok=True)
    out = os.path.join(out_dir, 'final.pt')
    torch.save(final, out)
    return out


if __name__ == '__main__':
    print(join(sys.argv[1], sys.argv[2]))
