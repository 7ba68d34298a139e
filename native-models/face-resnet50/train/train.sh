#!/bin/sh
# Retrain native-models/face-resnet50 from ../shared/datasets/fer2013 in one command (CPU; ≈1.7 h on one free core):
#   sh native-models/face-resnet50/train/train.sh
# ResNet-50 (the seed paper's architecture, 23.5 M parameters) with the face-cnn training code: same split
# (face-cnn/train/split.json), augmentation, class-weighted label-smoothed loss, warm-up + cosine schedule.
# ARCH=resnet50-s4 (default): 3x3 stride-2 stem + max-pool, blocks at 12/6/3/2 px — the variant a CPU can train.
# ARCH=resnet50: stride-1 stem, no max-pool, blocks at 48/24/12/6 px — 16x the cost, for a GPU (see MODEL_CARD.md).
# Resumable (runs/<name>/last.pt); then export with float16 weights (fp32 is 94 MB) and the engine check.
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
ARCH=${ARCH:-resnet50-s4}
EPOCHS=${EPOCHS:-10}
cd "$ROOT/native-models/face-cnn/train"
export OMP_WAIT_POLICY=PASSIVE
/usr/bin/python3 data.py
nice -n 10 /usr/bin/python3 train.py --arch "$ARCH" --name "$ARCH" --runs-dir "$HERE/runs" \
  --batch 128 --lr 0.1 --epochs "$EPOCHS" --threads "${THREADS:-1}" "$@"
/usr/bin/python3 export.py --run "$HERE/runs/$ARCH" --out "$HERE/.." --id face-resnet50 --version 1.0.0 --fp16
/usr/bin/python3 link_split.py "${TMPDIR:-/tmp}/fer-val" val
(cd "$ROOT" && node bin/affect.mjs eval face "${TMPDIR:-/tmp}/fer-val" --cropped --model face-resnet50 --json > "$HERE/eval_ts.json")
/usr/bin/python3 "$HERE/make_card.py"
