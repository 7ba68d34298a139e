#!/bin/sh
# Retrain native-models/face-cnn from ../shared/datasets/fer2013 in one command:
#   sh native-models/face-cnn/train/train.sh                 # CPU: ≈ 20 h on 2 cores (resumable)
#   DEVICE=cuda PY=python3 sh native-models/face-cnn/train/train.sh   # one CUDA GPU: ≈ 5 min of training (H200)
# Trains the two shipped members with the arguments train_gpu.sh gave them (each one warm-up + cosine cycle from
# scratch; epoch counts fixed here), then: export (the float model with fp16 weights, manifest.json, metrics.json),
# int8 quantization and the engine checks of both on the validation split (quantize.sh: ../model.onnx, eval_ts*.json,
# quantization.json), the video stability check and the model card. Resumable: a finished run (runs/<name>/final.pt) is skipped, an interrupted one
# continues from runs/<name>/last.pt. FER2013_DIR overrides the data folder; THREADS sets torch threads (default 2).
# The export, checks and card need /usr/bin/python3 (Debian's torch) and node; PY only runs the training.
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
cd "$HERE"
export OMP_WAIT_POLICY=PASSIVE
PY=${PY:-/usr/bin/python3}
DEVICE=${DEVICE:-cpu}
T=${THREADS:-2}
nice -n 10 /usr/bin/python3 data.py   # split check + image cache (fast when cached)
member() { # name, then train.py flags
  name=$1; shift
  [ -f "runs/$name/final.pt" ] && { echo "member $name: done before"; return; }
  nice -n 10 $PY train.py --name "$name" --device "$DEVICE" --threads "$T" "$@"
}
member cnn-wide-g3 --arch cnn-wide --seed 23 --epochs 45
member cnn-wide-g4 --arch cnn-wide --seed 24 --ferplus-mix 0.3 --epochs 100
/usr/bin/python3 export.py --run runs/cnn-wide-g3 --run runs/cnn-wide-g4 --out .. --version 2.0.0 --fp16
mkdir -p cache && mv ../model.onnx cache/float-model.onnx
NEW_FLOAT=1 sh quantize.sh cache/float-model.onnx
(cd "$ROOT" && node --import tsx scripts/face-stability.ts --json "$HERE/stability.json")
/usr/bin/python3 make_card.py
