#!/usr/bin/env bash
# Ablations on the leave-one-corpus-out figure (3 folds each), all with the same short schedule (EPOCHS, default 10)
# and seed; each variant changes one thing from train.py's defaults. Two lanes run side by side (1 torch thread each).
#   native-models/voice-spectrogram-cnn/train/ablate.sh            then: /usr/bin/python3 summarize_runs.py ablations
set -euo pipefail
cd "$(dirname "$0")"
E="${EPOCHS:-10}"
run() { nice -n 10 /usr/bin/python3 train.py loco --epochs "$E" --run "$@" > /dev/null; }
lane_a() {
  run "abl$E-all"
  run "abl$E-none" --aug-prob 0 --aug-families ''
  run "abl$E-cmn" --norm cmn
  run "abl$E-nomask" --mask 0
  run "abl$E-gain15" --gain-db 15
}
lane_b() {
  run "abl$E-room" --aug-families noise,reverb
  run "abl$E-channel" --aug-families phone,codec
  run "abl$E-cmvn" --norm cmvn
  run "abl$E-nobalance" --corpus-balance 0
}
lane_a & A=$!
lane_b & B=$!
wait $A $B
/usr/bin/python3 summarize_runs.py ablations
