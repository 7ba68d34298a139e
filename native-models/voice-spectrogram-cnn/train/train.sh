#!/usr/bin/env bash
# Reproduce native-models/voice-spectrogram-cnn end to end (CPU, ~1 h on 2 shared cores):
#   features (TypeScript front end) → actor-grouped 5-fold CV → final model on all 20 actors → ONNX + manifest → tiny fixture
#   → the CV figures again through the engine (`affect eval voice` on each fold's held-out actors).
# Resumable: features are skipped when the cache exists; CV folds and epochs resume from runs/<run>/.
# Usage (from the repo root): native-models/voice-spectrogram-cnn/train/train.sh [extra train.py options]
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
CV_RUN="${CV_RUN:-cv-e100}"
FINAL_RUN="${FINAL_RUN:-final-e100}"
cd "$ROOT"
if [ ! -f "$HERE/cache/index.json" ]; then
  nice -n 10 node --import tsx scripts/export-voice-features.ts --data "${RAVDESS_DIR:-$ROOT/../shared/datasets/ravdess-speech}" --out "$HERE/cache"
fi
cd "$HERE"
nice -n 10 /usr/bin/python3 train.py cv --run "$CV_RUN" "$@"
nice -n 10 /usr/bin/python3 train.py final --run "$FINAL_RUN" "$@"
/usr/bin/python3 write_manifest.py --run "$FINAL_RUN" --cv-run "$CV_RUN"
/usr/bin/python3 make_tiny.py
/usr/bin/python3 eval_folds.py --run "$CV_RUN"
