#!/bin/sh
# Speaks synthetic-texts/*.txt with espeak-ng (Debian package espeak-ng, default English voice, 160 words a minute)
# into the given folder as 16 kHz WAV, with the text beside each file, for measure_wer.py --extra.
set -e
out=${1:?usage: make_synthetic.sh OUT_DIR}
here=$(dirname "$0")
mkdir -p "$out"
for t in "$here"/synthetic-texts/*.txt; do
  n=$(basename "$t" .txt)
  espeak-ng -v en-us -s 160 -f "$t" -w "$out/$n.22k.wav"
  ffmpeg -v error -y -i "$out/$n.22k.wav" -ac 1 -ar 16000 "$out/$n.wav"
  rm "$out/$n.22k.wav"
  cp "$t" "$out/$n.txt"
done
