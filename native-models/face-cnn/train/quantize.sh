#!/bin/sh
# The shipped int8 face-cnn from the float one in one command (from anywhere):
#   sh native-models/face-cnn/train/quantize.sh [float model.onnx]
# The float model is export.py's output (train.sh moves it to train/cache/float-model.onnx); when it is absent, the
# float face-cnn 2.0.0 is taken from git history and must match manifest.json's quantization.floatModelSha256.
# Steps: calibration ranges over 1,024 training images through the engine's own preprocessing (int8-ranges.json) →
# QDQ graph (../model.onnx, ../manifest.json) → float and int8 evaluated through the engine on the validation split
# (eval_ts_float.json, eval_ts.json, eval_ts_detect.json, quantization.json). Nothing is copied into the repository
# from ../shared; the split is linked in a temporary folder.
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
VERSION=${VERSION:-2.1.0}
FLOAT_REV=4565ef4   # last commit whose native-models/face-cnn/model.onnx is the float face-cnn 2.0.0
cd "$HERE"
FLOAT=${1:-$HERE/cache/float-model.onnx}
if [ ! -f "$FLOAT" ]; then
  mkdir -p "$(dirname "$FLOAT")"
  git -C "$ROOT" show "$FLOAT_REV:native-models/face-cnn/model.onnx" > "$FLOAT.partial" && mv "$FLOAT.partial" "$FLOAT"
fi
want=$(/usr/bin/python3 -c "import json; print(json.load(open('../manifest.json')).get('quantization', {}).get('floatModelSha256', ''))")
have=$(sha256sum "$FLOAT" | cut -d' ' -f1)
if [ -n "$want" ] && [ "$want" != "$have" ] && [ -z "$NEW_FLOAT" ]; then
  echo "quantize.sh: $FLOAT is not the float model the shipped one was made from (sha256 $have, manifest says $want); set NEW_FLOAT=1 after a retrain" >&2
  exit 1
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/face-cnn-int8.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
/usr/bin/python3 link_split.py "$TMP/fer-train" train
/usr/bin/python3 link_split.py "$TMP/fer-val" val
/usr/bin/python3 quantize_int8.py instrument "$FLOAT" "$TMP/instrumented.onnx"
(cd "$ROOT" && node --import tsx "$HERE/calibrate-int8.ts" "$TMP/instrumented.onnx" "$TMP/fer-train" 1024 "$HERE/int8-ranges.json")
# The float model beside the manifest it was exported with, to evaluate it through the engine too.
mkdir -p "$TMP/float-model" "$TMP/float" "$TMP/int8"
cp "$FLOAT" "$TMP/float-model/model.onnx"
/usr/bin/python3 -c "
import json, sys
m = json.load(open('../manifest.json')); m.pop('quantization', None); m['sha256'] = '$have'
json.dump(m, open('$TMP/float-model/manifest.json', 'w'), indent=2)"
/usr/bin/python3 quantize_int8.py build "$FLOAT" int8-ranges.json ../model.onnx
/usr/bin/python3 fill_sha256.py ..
cd "$ROOT"
for k in float int8; do
  model=native-models/face-cnn; [ $k = float ] && model="$TMP/float-model"
  node bin/affect.mjs eval face "$TMP/fer-val" --cropped --json --threads 1 --model "$model" --predictions "$TMP/$k/predictions.csv" > "$TMP/$k/eval.json"
done
cd "$HERE"
/usr/bin/python3 quantize_int8.py report "$FLOAT" int8-ranges.json "$TMP/float" "$TMP/int8" "$VERSION"
cp "$TMP/float/eval.json" eval_ts_float.json
cp "$TMP/int8/eval.json" eval_ts.json
(cd "$ROOT" && node bin/affect.mjs eval face "$TMP/fer-val" --json > "$HERE/eval_ts_detect.json")
echo "done: ../model.onnx (int8), ../manifest.json, quantization.json; then make_card.py"
