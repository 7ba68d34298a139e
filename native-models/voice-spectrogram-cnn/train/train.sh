#!/usr/bin/env bash
# Reproduce native-models/voice-spectrogram-cnn end to end from the shared corpora (CPU, 1 torch thread, nice):
#   features of RAVDESS, EMOVO and TurEV-DB with the TypeScript front end (+ augmented copies, + the held-out call channel)
#   → for each member network: leave-one-corpus-out folds (the figure to expect on a new corpus), RAVDESS actor-grouped
#   folds, final model on everything → their probability average scored on the same folds → ONNX + manifest (cross-corpus metrics, input-check statistics) → tiny fixture
#   → input-check validation → every fold again through the engine (`affect eval voice`, all labels and the shared four).
# Resumable: a corpus whose cache exists is skipped; folds and epochs resume from runs/<run>/.
# Usage (from anywhere): native-models/voice-spectrogram-cnn/train/train.sh [extra train.py options]
# Data: ../shared/datasets/{ravdess-speech,emovo,turev-db} beside the checkout (AFFECT_SHARED_DATASETS overrides).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
SHARED="${AFFECT_SHARED_DATASETS:-$ROOT/../shared/datasets}"
# The shipped model averages the probabilities of two networks (ensemble.py). MEMBERS: "name:train.py options" per
# network, separated by ";"; each trains runs loco-<name>, cv-<name> and final-<name>. One member ships that network
# alone (2.1.0: MEMBERS="e100:" VERSION=2.1.0; 2.0.0: MEMBERS="e20:--epochs 20" VERSION=2.0.0).
MEMBERS="${MEMBERS:-rw2-e100:--corpus-weight ravdess=2;rw2w20-e100:--corpus-weight ravdess=2 --width 20}"
ENSEMBLE="${ENSEMBLE:-ens-rw2}"
VERSION="${VERSION:-2.2.0}"
PY="nice -n 10 /usr/bin/python3"
cd "$ROOT"
nice -n 10 node --import tsx scripts/export-voice-features.ts --out "$HERE/cache" \
  --corpus "ravdess=$SHARED/ravdess-speech" --corpus "emovo=$SHARED/emovo" --corpus "turev=$SHARED/turev-db"
[ -f "$HERE/cache/probes/index.json" ] || nice -n 10 node --import tsx "$HERE/input-check-probes.ts"
cd "$HERE"
IFS=';' read -ra MEMBER_SPECS <<< "$MEMBERS"
NAMES=()
for spec in "${MEMBER_SPECS[@]}"; do
  name="${spec%%:*}"
  read -ra opts <<< "${spec#*:}"
  NAMES+=("$name")
  for mode in loco cv final; do $PY train.py "$mode" --run "$mode-$name" "${opts[@]}" "$@"; done
done
if [ "${#NAMES[@]}" -eq 1 ]; then
  NAME="${NAMES[0]}"
else
  NAME="$ENSEMBLE"
  for mode in loco cv final; do
    $PY ensemble.py "$mode" --run "$mode-$NAME" --members "$(printf "$mode-%s," "${NAMES[@]}" | sed 's/,$//')"
  done
fi
LOCO_RUN="loco-$NAME"; CV_RUN="cv-$NAME"; FINAL_RUN="final-$NAME"
$PY write_manifest.py --run "$FINAL_RUN" --loco-run "$LOCO_RUN" --cv-run "$CV_RUN" --version "$VERSION"
$PY make_tiny.py
$PY input_check.py validate --loco-run "$LOCO_RUN" --cv-run "$CV_RUN" --final-run "$FINAL_RUN"
$PY eval_folds.py --run "$LOCO_RUN" --mode loco
$PY eval_folds.py --run "$CV_RUN" --mode cv
$PY summarize_runs.py folds "$LOCO_RUN" loco > "runs/$LOCO_RUN/tables.md"
$PY summarize_runs.py folds "$CV_RUN" cv > "runs/$CV_RUN/tables.md"
echo "done: ../model.onnx, ../manifest.json; tables in runs/$LOCO_RUN/tables.md and runs/$CV_RUN/tables.md"
