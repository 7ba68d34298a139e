#!/bin/sh
# ResNet-50 (the seed paper's architecture) on FER2013 48x48 gray, from scratch, with the face-cnn training code:
# same split (face-cnn/train/split.json), augmentation, loss and schedule; checkpoints in face-resnet50/train/runs/.
#   nice -n 10 sh native-models/face-resnet50/train/train.sh            (resumable: run it again to continue)
#   then: cd native-models/face-cnn/train && /usr/bin/python3 export.py --run ../../face-resnet50/train/runs/resnet50 --out ../../face-resnet50 --id face-resnet50
# See ../MODEL_CARD.md for what this costs on a CPU before starting it.
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE/../../face-cnn/train"
OMP_WAIT_POLICY=PASSIVE exec /usr/bin/python3 train.py --arch resnet50 --name resnet50 --runs-dir "$HERE/runs" \
  --batch 64 --lr 0.05 --epochs "${EPOCHS:-40}" "$@"
