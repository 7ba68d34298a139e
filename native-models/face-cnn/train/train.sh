#!/bin/sh
# Retrain native-models/face-cnn from ../shared/datasets/fer2013 in one command (CPU; ≈6 h on 2 free cores):
#   sh native-models/face-cnn/train/train.sh
# Resumable: run it again after an interruption. Each stage continues from runs/<stage>/last.pt; a finished stage
# (runs/<stage>/final.pt) is skipped. Then: export (model.onnx, manifest.json, metrics.json), the engine check on the
# validation split through `affect eval face` (eval_ts.json) and the model card. FER2013_DIR overrides the data folder.
# THREADS sets torch threads per stage (default 2).
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
cd "$HERE"
export OMP_WAIT_POLICY=PASSIVE
PY=/usr/bin/python3
T=${THREADS:-2}
nice -n 10 $PY data.py   # split check + image cache (fast when cached)
stage() { # name init lr epochs [more train.py flags]
  name=$1; from=$2; lr=$3; epochs=$4; shift 4
  [ -f "runs/$name/final.pt" ] && { echo "stage $name: done before"; return; }
  init=""; [ "$from" != "-" ] && init="--init-from runs/$from/final.pt"
  nice -n 10 $PY train.py --arch cnn-small --name "$name" $init --lr "$lr" --epochs "$epochs" --threads "$T" "$@"
}
# Warm restarts: one full cycle, then cycles from the previous weights at lower peaks (see MODEL_CARD.md).
stage cnn-small - 0.1 10
stage cnn-small-stage2 cnn-small 0.05 5
stage cnn-small-stage3 cnn-small-stage2 0.03 5
stage cnn-small-stage4 cnn-small-stage3 0.04 24
stage cnn-small-stage5 cnn-small-stage4 0.02 8
# Second member: one cycle from scratch, another seed, targets mixed with the FER+ crowd votes (see MODEL_CARD.md).
stage cnn-small-b - 0.1 38 --seed 2 --ferplus-mix 0.3
stage cnn-small-b2 cnn-small-b 0.04 20 --seed 2 --ferplus-mix 0.3
$PY export.py --run runs/cnn-small-stage5 --run runs/cnn-small-b2 --out .. --version 1.4.0
$PY link_split.py "${TMPDIR:-/tmp}/fer-val" val
(cd "$ROOT" && node bin/affect.mjs eval face "${TMPDIR:-/tmp}/fer-val" --cropped --json > "$HERE/eval_ts.json")
(cd "$ROOT" && node bin/affect.mjs eval face "${TMPDIR:-/tmp}/fer-val" --json > "$HERE/eval_ts_detect.json")
(cd "$ROOT" && node --import tsx scripts/face-stability.ts --json "$HERE/stability.json")
$PY make_card.py
