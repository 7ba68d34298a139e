"""Embedding distances of the non-speech probes (input-check-probes.ts) under each run's final model, against the
quantiles of its own training crops' distances (the model card's "Input check" reading).

  /usr/bin/python3 probe_distances.py final-e20 final-e100
"""
import sys

import numpy as np

import input_check as ic
from voicedata import Data


def main(runs):
    data = Data()
    probes = ic.probe_windows()
    for run in runs:
        model = ic.load_model(data, run, 'final')
        E = ic.embeddings(model, ic.training_crops(data, list(range(len(data)))))
        stats = ic.fit(E)
        q = np.quantile(ic.distance(E, stats), [0.9, 0.95, 0.98, 0.99])
        print(run, 'training-crop distance quantiles .90 .95 .98 .99:', q.round(3))
        for name, L in probes.items():
            d = ic.distance(ic.embeddings(model, L), stats)
            print('   %-20s median %.3f  min %.3f  above the .99 quantile %.2f' % (name, np.median(d), d.min(), (d > q[3]).mean()))


if __name__ == '__main__':
    main(sys.argv[1:])
