#!/usr/bin/env bash
# The ablations of MODEL_CARD.md, on the leave-one-corpus-out figure (3 folds each), all with the same short schedule
# (10 epochs) and seed. The first set compares augmentations, normalisations and the loss on the plain-pooling network
# (pool=plain, short-prob=0: the defaults when it ran); the last two add masked pooling and short crops (today's
# defaults). Two lanes run side by side (1 torch thread each), ~2 h on 2 shared cores. The third set (2026-12-02) starts
# from today's defaults (abl10-base) and tries what might let a longer or wider training keep its cross-corpus figure:
# no gain augmentation, speaker normalisation (an experiment the engine does not implement), a corpus adversary.
#   native-models/voice-spectrogram-cnn/train/ablate.sh            then: /usr/bin/python3 summarize_runs.py ablations
#   native-models/voice-spectrogram-cnn/train/ablate.sh third      only the third set (~20 min)
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
third() {
  run abl10-base
  run abl10-gain0 --gain-db 0
  run abl10-spk --norm spk --gain-db 0
  run abl10-adv1 --adv-weight 1
}
if [ "${1:-}" = third ]; then
  third
else
  lane_a & A=$!
  lane_b & B=$!
  wait $A $B
  third
fi
/usr/bin/python3 summarize_runs.py ablations
