#!/usr/bin/env bash
# The ablations of MODEL_CARD.md, on the leave-one-corpus-out figure (3 folds each), all with the same short schedule
# (10 epochs) and seed. The first set compares augmentations, normalisations and the loss on the plain-pooling network
# (pool=plain, short-prob=0: the defaults when it ran); the last two add masked pooling and short crops (today's
# defaults). Two lanes run side by side (1 torch thread each), ~2 h on 2 shared cores.
#   native-models/voice-spectrogram-cnn/train/ablate.sh            then: /usr/bin/python3 summarize_runs.py ablations
set -euo pipefail
cd "$(dirname "$0")"
run() { nice -n 10 /usr/bin/python3 train.py loco --epochs 10 --run "$@" > /dev/null; }
BASE=(--pool plain --short-prob 0)
lane_a() {
  run abl10-all "${BASE[@]}"
  run abl10-none "${BASE[@]}" --aug-prob 0 --aug-families ''
  run abl10-cmn "${BASE[@]}" --norm cmn
  run abl10-nomask "${BASE[@]}" --mask 0
  run abl10-masked --short-prob 0
}
lane_b() {
  run abl10-room "${BASE[@]}" --aug-families noise,reverb
  run abl10-channel "${BASE[@]}" --aug-families phone,codec
  run abl10-cmvn "${BASE[@]}" --norm cmvn
  run abl10-nobalance "${BASE[@]}" --corpus-balance 0
  run abl10-masked-short
}
lane_a & A=$!
lane_b & B=$!
wait $A $B
/usr/bin/python3 summarize_runs.py ablations
