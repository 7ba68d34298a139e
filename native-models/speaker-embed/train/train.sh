#!/usr/bin/env bash
# One command, seeded, CPU: everything that made native-models/speaker-embed, from the repository root:
#   bash native-models/speaker-embed/train/train.sh
# (about 75 minutes of CPU on a free core; ../shared/datasets beside the checkout)
set -euo pipefail
cd "$(dirname "$0")/../../.."
PY=/usr/bin/python3
T=native-models/speaker-embed/train
# 1. speech of every corpus file, cut by the engine's VAD (train/cache, git-ignored)
node --import tsx $T/export-speech.ts
# 2. the Python front end equals the engine's
node --import tsx $T/check-parity.ts && (cd $T && $PY check_parity.py)
# 3. two embedding networks on the training speakers, each kept at its best dev-speaker EER; joined into one ONNX
(cd $T && nice -n 10 $PY train.py --run stats --arch stats --steps 1500 --batch 64 --eval-every 100)
(cd $T && nice -n 10 $PY train.py --run cnn-w8 --arch cnn --steps 1000 --batch 32 --eval-every 100)
(cd $T && $PY export_ensemble.py --runs stats,cnn-w8 --run ens && $PY write_manifest.py --run ens --out-dir runs/ens/pkg)
# 4. clustering settings chosen on dev-speaker mixtures (never the test speakers)
node --import tsx scripts/eval-diarization.ts --split dev --tune --model $T/runs/ens/pkg
# 5. ship it, the tiny test copy, and the held-out figures
(cd $T && $PY write_manifest.py --run ens && $PY make_tiny.py)
node --import tsx scripts/eval-diarization.ts --split test
