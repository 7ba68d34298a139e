"""Write ../MODEL_CARD.md from metrics.json (face-cnn/train/export.py --out .. --fp16), eval_ts.json (`affect eval face
--cropped --model face-resnet50 --json` on the validation split) and, for the side-by-side table, face-cnn's figures.
Numbers are never typed by hand.

  /usr/bin/python3 make_card.py
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FACE_CNN = os.path.join(HERE, '..', '..', 'face-cnn')
sys.path.insert(0, os.path.join(FACE_CNN, 'train'))
from card_tables import confusion_table, coverage_table, history_table, pct, per_class_table  # noqa: E402

M = json.load(open(os.path.join(HERE, 'metrics.json')))
TS = json.load(open(os.path.join(HERE, 'eval_ts.json')))
MAN = json.load(open(os.path.join(HERE, '..', 'manifest.json')))
CNN = json.load(open(os.path.join(FACE_CNN, 'train', 'metrics.json')))
CNN_TS = json.load(open(os.path.join(FACE_CNN, 'train', 'eval_ts.json')))
CNN_MAN = json.load(open(os.path.join(FACE_CNN, 'manifest.json')))
ENS = json.load(open(os.path.join(HERE, 'ensemble_check.json')))['byWeight']
V = M['validation']
size_mb = os.path.getsize(os.path.join(HERE, '..', 'model.onnx')) / 1e6
fp16 = M.get('weightsFp16', {})

card = f"""# face-resnet50 — ResNet-50 facial expression classifier (48×48 gray, trained by us on FER2013), selectable

**Outputs are expression estimates, not diagnoses.** Same 7 labels, input and preprocessing as `face-cnn`:
`{', '.join(MAN['labels'])}`. **Not the default**: `face-cnn` is, because it is
{'more accurate on our validation split' if CNN['validation']['accuracy'] >= V['accuracy'] else 'the measured default'}{' and cheaper per frame' if CNN_TS['imagesPerSecond'] > TS['imagesPerSecond'] else ''}
(see the side-by-side table). Choose this one with `affect analyze --face-model face-resnet50`,
`affect eval face --model face-resnet50`, or in the app under Settings → Choose models.

| | |
|---|---|
| file | `model.onnx` (ONNX opset 13, {size_mb:.1f} MB: weights stored as float16 and cast to float32 when the session is created — arithmetic is float32), sha256 in manifest.json |
| input | `input` [N, 1, 48, 48] float32, NCHW, gray; x' = (x/255 − 0.5) / 0.25 |
| output | `logits` [N, 7]; the engine applies softmax(logits / T), T = {M['temperature']} |
| architecture | {MAN['architecture']}; {M['params']:,} parameters |
| abstain | top probability < {M['abstainBelow']} → "uncertain" |
| crop | `{json.dumps(MAN['crop'])}` around a BlazeFace box (as face-cnn) |
| version | {MAN['version']} |

## Why this variant of ResNet-50
The seed project used ResNet-50 at 224×224 with ImageNet transfer learning. Nothing pretrained can be downloaded
here, so it is trained from scratch on FER2013's 48×48 gray faces. torchvision's ResNet-50 (bottleneck blocks 3-4-6-3,
23.5 M parameters) is kept whole; only the stem changes to a 1-channel 3×3 convolution. Two stems were measured
(`face-cnn/train/bench_arch.py`, one training step, 1 thread, on this 2-core machine):

* `resnet50` — stride-1 stem, no max-pool, blocks at 48/24/12/6 px: ≈0.26 CPU-s per training image, ≈1.9 CPU-hours
  per epoch: a GPU job (the training script supports it: `ARCH=resnet50 train/train.sh`).
* `resnet50-s4` (shipped) — stride-2 stem + max-pool, blocks at 12/6/3/2 px: ≈16× cheaper (≈7.5 min per epoch on one
  core), which made {M['epochs']} epochs possible in the session's CPU budget. The price: the first bottleneck stage sees a
  12×12 map, coarser than a face's expression details at 48 px.

## Data, split, training
Exactly face-cnn's: FER2013 training folders only, `face-cnn/train/split.json` ({V['n']} validation images never
trained on; FER2013 test never used), same augmentation, class-weighted label-smoothed loss and warm-up + cosine
schedule (`face-cnn/train/train.py --arch resnet50-s4`), batch 128, peak lr 0.1, seed 1, **{M['epochs']} epochs**,
{M['trainWallSeconds'] / 60:.0f} min wall, {M['trainCpuSeconds'] / 60:.0f} CPU-minutes (1 torch thread, sharing the 2 cores with other training).

{history_table(M)}

## Validation results ({V['n']} images)
Horizontal-flip averaging: {pct(M['valAccuracyPlain'])} without, {pct(M['valAccuracyFlipTTA'])} with;
{'built into the graph' if M['flipTTAInGraph'] else 'not used'}. With float16-rounded weights (what the file stores):
{pct(M.get('valAccuracyFp16Weights', float('nan')))} in PyTorch.

**Accuracy {pct(V['accuracy'])} · macro-F1 {pct(V['macroF1'])} · UAR {pct(V['uar'])}**; ECE {M['eceBefore']} before,
{M['eceAfterCrossFitted']} after temperature scaling (cross-fitted).

{per_class_table(V)}

Confusion matrix (rows true, columns predicted):

{confusion_table(V)}

Abstaining (calibrated top probability below the threshold):

{coverage_table(M)}

## Side by side (our validation split, {V['n']} images; the engine figures run the shipped ONNX files)
| model | params | accuracy | macro-F1 | UAR | images/s in `affect eval face --cropped` (2 shared cores, incl. JPEG decode) |
|---|---:|---:|---:|---:|---:|
| face-cnn {CNN_MAN['version']} (default), engine | {CNN['params'] / 1e6:.2f} M | {pct(CNN_TS['accuracy'])} | {pct(CNN_TS['macroF1'])} | {pct(CNN_TS['uar'])} | {CNN_TS['imagesPerSecond']:.0f} |
| **face-resnet50 {MAN['version']}**, engine | {M['params'] / 1e6:.1f} M | {pct(TS['accuracy'])} | {pct(TS['macroF1'])} | {pct(TS['uar'])} | {TS['imagesPerSecond']:.0f} |
| best published single network (VGG variant; Khaireddin & Chen 2021), on FER2013 test | | 73.28% | – | – | – |
| mini-Xception (Arriaga et al. 2017), on FER2013 test | | ≈66% | – | – | – |
| the seed project's ResNet-50, on a random split of 1,818 images: not comparable | | 99.45% | – | – | – |

Averaging the two models does not pay: the best mix (w = 0.2 on this model's log-probabilities) scores
{pct(ENS['0.2'])} against {pct(ENS['0'])} for face-cnn 1.2.0 alone (`runs/cnn-small-stage4`, member A of face-cnn 1.3.0;
`train/ensemble_check.py` → `train/ensemble_check.json`), within noise, for several times the work per frame.

## Limits
* Everything in face-cnn's card applies (FER2013's noisy labels, web photos, not measured on clinical video).
* {M['epochs']} epochs from scratch is a short schedule for 23.5 M parameters: this is what a CPU could train, not what
  ResNet-50 can do. The one GPU lease so far (15 minutes on an H200) went to face-cnn 2.0.0's wider compact nets,
  several of which fitted in the lease and in what a lent machine can send back (64 MB); a ResNet-50 run on a GPU
  (`train.py --arch resnet50 --device cuda`, or `ARCH=resnet50 EPOCHS=60 train/train.sh` on CPU) is the one to make next.
* T, flip averaging and the abstain threshold were chosen on the validation split the figures are reported on.

## Reproduce
```
sh native-models/face-resnet50/train/train.sh     # train (resumable), export with --fp16, engine check → eval_ts.json
/usr/bin/python3 native-models/face-resnet50/train/make_card.py
```
"""
with open(os.path.join(HERE, '..', 'MODEL_CARD.md'), 'w') as f:
    f.write(card)
print('wrote MODEL_CARD.md')
