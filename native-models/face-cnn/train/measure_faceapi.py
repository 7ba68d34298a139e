"""Measure the expression net of the npm package @vladmandic/face-api (MIT) on OUR validation split.

  cd /tmp && npm pack @vladmandic/face-api && tar xzf vladmandic-face-api-*.tgz      # nothing is added to the project
  cd native-models/face-cnn/train && /usr/bin/python3 measure_faceapi.py /tmp/package/model

The network (face-api.js FaceExpressionNet = FaceFeatureExtractor + FC) is re-implemented in PyTorch from the package's
src/ (faceFeatureExtractor/denseBlock.ts, common/depthwiseSeparableConv.ts, ops/normalize.ts) and its uint8-quantized
tfjs weights are de-quantized (q * scale + min). Input as in the package: RGB 112x112 (tf.image.resizeBilinear,
alignCorners=false, halfPixelCenters=false), minus mean RGB [122.782, 117.001, 104.298], / 255. FER2013 gray is
replicated to three channels. Labels: neutral, happy, sad, angry, fearful, disgusted, surprised.
Caveat: the package does not say what it was trained on; if FER2013 training images were used, this is optimistic.
"""
from __future__ import annotations

import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

from data import CLASSES, load_arrays
from export import metrics

FACEAPI_LABELS = ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised']
TO_FER = {'neutral': 'neutral', 'happy': 'happy', 'sad': 'sad', 'angry': 'angry', 'fearful': 'fear', 'disgusted': 'disgust',
          'surprised': 'surprise'}


def load_weights(model_dir: str) -> dict[str, torch.Tensor]:
    manifest = json.load(open(os.path.join(model_dir, 'face_expression_model-weights_manifest.json')))
    out = {}
    for group in manifest:
        buf = b''.join(open(os.path.join(model_dir, p), 'rb').read() for p in group['paths'])
        off = 0
        for w in group['weights']:
            n = int(np.prod(w['shape']))
            q = w.get('quantization')
            if q:
                raw = np.frombuffer(buf, dtype=np.uint8, count=n, offset=off).astype(np.float32)
                arr = raw * np.float32(q['scale']) + np.float32(q['min'])
                off += n
            else:
                arr = np.frombuffer(buf, dtype=np.float32, count=n, offset=off).copy()
                off += 4 * n
            out[w['name']] = torch.from_numpy(arr.reshape(w['shape']))
        assert off == len(buf), (off, len(buf))
    return out


def same_pad(x: torch.Tensor, stride: int) -> torch.Tensor:
    """TensorFlow 'same' padding for a 3x3 kernel (asymmetric when stride is 2 on even sizes)."""
    h = x.shape[2]
    out = -(-h // stride)
    total = max((out - 1) * stride + 3 - h, 0)
    a = total // 2
    return F.pad(x, (a, total - a, a, total - a))


def sep_conv(x, W, name, stride):
    dw = W[f'{name}/depthwise_filter'].permute(2, 3, 0, 1)  # [3,3,C,1] -> [C,1,3,3]
    pw = W[f'{name}/pointwise_filter'].permute(3, 2, 0, 1)  # [1,1,C,O] -> [O,C,1,1]
    x = F.conv2d(same_pad(x, stride), dw, stride=stride, groups=dw.shape[0])
    return F.conv2d(x, pw) + W[f'{name}/bias'].view(1, -1, 1, 1)


def dense_block4(x, W, name, first=False):
    if first:
        f = W[f'{name}/conv0/filters'].permute(3, 2, 0, 1)
        out1 = F.relu(F.conv2d(same_pad(x, 2), f, stride=2) + W[f'{name}/conv0/bias'].view(1, -1, 1, 1))
    else:
        out1 = F.relu(sep_conv(x, W, f'{name}/conv0', 2))
    out2 = sep_conv(out1, W, f'{name}/conv1', 1)
    out3 = sep_conv(F.relu(out1 + out2), W, f'{name}/conv2', 1)
    out4 = sep_conv(F.relu(out1 + out2 + out3), W, f'{name}/conv3', 1)
    return F.relu(out1 + out2 + out3 + out4)


def resize_bilinear_legacy(x: torch.Tensor, size: int) -> torch.Tensor:
    """tf.image.resizeBilinear(alignCorners=false, halfPixelCenters=false): src = dst * in/out."""
    h = x.shape[2]
    src = torch.arange(size, dtype=torch.float64) * (h / size)
    i0 = src.floor().long().clamp(max=h - 1)
    i1 = (i0 + 1).clamp(max=h - 1)
    fr = (src - i0).float()
    x = x[:, :, i0, :] * (1 - fr).view(1, 1, -1, 1) + x[:, :, i1, :] * fr.view(1, 1, -1, 1)
    return x[:, :, :, i0] * (1 - fr).view(1, 1, 1, -1) + x[:, :, :, i1] * fr.view(1, 1, 1, -1)


@torch.no_grad()
def forward(W, gray_u8: np.ndarray) -> torch.Tensor:
    x = torch.from_numpy(gray_u8).float().unsqueeze(1).repeat(1, 3, 1, 1)
    x = resize_bilinear_legacy(x, 112)
    x = (x - torch.tensor([122.782, 117.001, 104.298]).view(1, 3, 1, 1)) / 255.0
    x = dense_block4(x, W, 'dense0', first=True)
    for b in ('dense1', 'dense2', 'dense3'):
        x = dense_block4(x, W, b)
    x = F.avg_pool2d(x, 7, 2).flatten(1)  # NCHW flatten == NHWC flatten at 1x1
    return torch.softmax(x @ W['fc/weights'] + W['fc/bias'], 1)


def main() -> None:
    torch.set_num_threads(2)
    W = load_weights(sys.argv[1])
    x, y, _, _ = load_arrays('val')
    probs = torch.cat([forward(W, x[i:i + 256]) for i in range(0, len(x), 256)]).numpy()
    to_ours = np.array([CLASSES.index(TO_FER[l]) for l in FACEAPI_LABELS])
    pred = to_ours[probs.argmax(1)]
    m = metrics(pred, y)
    out = {'model': '@vladmandic/face-api face_expression_model (tfjs, uint8-quantized)', 'split': 'validation (train/split.json)', **m}
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'faceapi_metrics.json'), 'w') as f:
        json.dump(out, f, indent=1)
    print(json.dumps({k: out[k] for k in ('n', 'accuracy', 'macroF1', 'uar')}))
    print(json.dumps(out['perClass']))


if __name__ == '__main__':
    main()
