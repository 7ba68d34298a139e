#!/bin/sh
# Train face-cnn 2.x members on one CUDA GPU, all at once (this is what ran on a lent H200, see MODEL_CARD.md):
#   /usr/bin/python3 pack_data.py                  # here, where ../shared is → cache/fer-packed.npz (53 MB, git-ignored)
#   FER2013_PACKED=cache/fer-packed.npz OUT=<dir> sh train_gpu.sh  # there; PY=python3 with CUDA PyTorch
#   /usr/bin/python3 join_half.py <dir>/<run> <run>              # here, for each run: runs/<run>/final.pt
# Each run gets BUDGET_MIN minutes of wall clock (default 7.5, start-up included): after its first epoch it fixes
# its epoch count (<= 300) from its measured pace, so the cosine schedule ends inside the budget; a hard stop follows
# half a minute later. Weights come back as fp16 parts (<OUT>/<run>.<k>.npz); train.log holds every epoch line.
# DEVICE=cpu EXTRA='--max-batches 2 --max-epochs 2' runs the same script as a quick check without a GPU.
# What ran (2026-11-26, one H200, 15 minutes of lease in all): ROUND=1 BUDGET_MIN=7.3, ROUND=2 BUDGET_MIN=7.0,
# ROUND=3 BUDGET_MIN=3.6. Round 1's runs fixed their epoch counts from a first epoch that was ~2.5x slower than the
# later ones (four processes starting at once, cuDNN autotuning), so they ended after 2-3 of their 7.3 minutes;
# rounds 2 and 3 fix the counts. Round 3's single run was slower per epoch than hoped and hit its hard stop at
# epoch 122 of 140 (lr not annealed): it is a candidate like the others, see member_choice.json.
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE"
PY=${PY:-python3}
B=${BUDGET_MIN:-7.5}
OUT=${OUT:-$HERE/runs-gpu}
DEVICE=${DEVICE:-cuda}
RUNS_DIR=${RUNS_DIR:-${TMPDIR:-/tmp}/face-runs-gpu}
mkdir -p "$OUT" "$RUNS_DIR"
DEADLINE=$($PY -c "print($B + 0.5)")
run() { # name, then train.py flags
  name=$1; shift
  $PY train.py --device "$DEVICE" --threads 3 --name "$name" --runs-dir "$RUNS_DIR" --budget-min "$B" \
    --deadline-min "$DEADLINE" --max-epochs 300 --half-out "$OUT/$name" $EXTRA "$@" > "$RUNS_DIR/$name.log" 2>&1 &
  pids="$pids $!"
}
pids=""
case ${ROUND:-1} in
1) # round 1: which width? (epoch counts set from the pace, see above)
  run cnn-wide-g1 --arch cnn-wide --seed 21 --ferplus-mix 0.3
  run cnn-wide-g2 --arch cnn-wide --seed 22 --ferplus-mix 0.3
  run cnn-wide-g3 --arch cnn-wide --seed 23
  run cnn-w64-g1 --arch cnn-w64 --seed 31 --ferplus-mix 0.3 ;;
2) # round 2: the widest net won round 1; more of it, longer (fixed epoch counts)
  run cnn-w64-g2 --arch cnn-w64 --seed 32 --ferplus-mix 0.3 --epochs 85
  run cnn-w64-g3 --arch cnn-w64 --seed 33 --ferplus-mix 0.3 --epochs 85
  run cnn-wide-g4 --arch cnn-wide --seed 24 --ferplus-mix 0.3 --epochs 100 ;;
3) # round 3: one run of the widest net alone (faster per epoch), for longer
  run cnn-w64-g4 --arch cnn-w64 --seed 34 --ferplus-mix 0.3 --epochs 140 ;;
esac
status=0
for pid in $pids; do wait "$pid" || status=1; done
for f in "$RUNS_DIR"/*.log; do
  echo "== $(basename "$f" .log)"; grep -v '^  ep ' "$f" || true
done > "$OUT/train.log"
grep -E '^(==|first|done|deadline|Traceback|[A-Za-z]*Error)|epoch [0-9]+/[0-9]+ .*val_acc' "$OUT/train.log" | awk '/^==|first|done|deadline|Error|Traceback/ || NR % 10 == 0'
exit $status
