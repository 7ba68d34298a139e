"""dlib's face-recognition ResNet (dlib_face_recognition_resnet_model_v1) as face-api.js runs it, in PyTorch.

Re-implemented from @vladmandic/face-api 1.7.15 src/faceRecognitionNet/ (FaceRecognitionNet.ts, convLayer.ts,
residualLayer.ts, scaleLayer.ts), which ports dlib's network to TensorFlow.js:

  input   150x150 RGB, x' = (x - [122.782, 117.001, 104.298]) / 255            (done by the engine, see manifest)
  conv32_down   7x7/2 'valid' conv + bias, per-channel scale (affine, dlib's folded batch norm), ReLU   -> 72x72x32
  max pool 3x3/2 'valid'                                                                                 -> 35x35x32
  3 x residual(32)                   conv3x3 'same' (+bias, scale, ReLU), conv3x3 'same' (+bias, scale), + x, ReLU
  residualDown(64), 3 x residual(64)    residualDown: conv3x3/2 'valid' (+bias, scale, ReLU), conv3x3 'same' (+bias,
  residualDown(128), 2 x residual(128)  scale); shortcut = avg pool 2x2/2 'valid' of x, zero-padded in channels; where
  residualDown(256), 2 x residual(256)  the pooled map is one larger than the conv path (odd sizes), the conv path is
  residualDown(256) ('down_out')        zero-padded on the bottom row and right column; sum, ReLU
  global mean over H, W -> 256; fc 256 -> 128 (no bias): the face descriptor (unnormalised, Euclidean distance)

Weights: face_recognition_model.bin described by face_recognition_model-weights_manifest.json. Most tensors are
uint8-quantised (value = q * scale + min, computed by tfjs in float64 and stored as float32); the conv64 filters are
plain float32. The module keeps them in that form: a uint8 index into a 256-entry float32 table per tensor (the table
is exactly tfjs's de-quantised values, so the weights are bit-identical) — in the exported ONNX graph that is a
Cast + Gather that onnxruntime folds into constants when the session is created, and the file stays ~6 MB.
"""
from __future__ import annotations

import json
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

MEAN_RGB = [122.782, 117.001, 104.298]
STAGES = (
    [('conv32_1', False), ('conv32_2', False), ('conv32_3', False)]
    + [('conv64_down', True), ('conv64_1', False), ('conv64_2', False), ('conv64_3', False)]
    + [('conv128_down', True), ('conv128_1', False), ('conv128_2', False)]
    + [('conv256_down', True), ('conv256_1', False), ('conv256_2', False)]
    + [('conv256_down_out', True)]
)


def read_tfjs_weights(model_dir: str, name: str = 'face_recognition_model') -> dict[str, dict]:
    """name -> {'shape', 'q' (uint8 array) + 'table' (256 float32)} or {'shape', 'value' (float32 array)}."""
    manifest = json.load(open(os.path.join(model_dir, f'{name}-weights_manifest.json')))
    out: dict[str, dict] = {}
    for group in manifest:
        buf = b''.join(open(os.path.join(model_dir, p), 'rb').read() for p in group['paths'])
        off = 0
        for w in group['weights']:
            n = int(np.prod(w['shape']))
            q = w.get('quantization')
            if q:
                assert q['dtype'] == 'uint8' and w['dtype'] == 'float32', w
                raw = np.frombuffer(buf, dtype=np.uint8, count=n, offset=off).copy()
                # tfjs io.decodeWeights: values[i] = v * scale + min in float64, stored in a Float32Array.
                table = (np.arange(256, dtype=np.float64) * q['scale'] + q['min']).astype(np.float32)
                out[w['name']] = {'shape': w['shape'], 'q': raw, 'table': table}
                off += n
            else:
                assert w['dtype'] == 'float32', w
                out[w['name']] = {'shape': w['shape'], 'value': np.frombuffer(buf, dtype='<f4', count=n, offset=off).copy()}
                off += 4 * n
        assert off == len(buf), (off, len(buf))
    return out


class Weight(nn.Module):
    """One tfjs weight tensor, kept as stored (uint8 + table, or float32); `forward()` gives the float32 values."""

    def __init__(self, entry: dict):
        super().__init__()
        self.shape = tuple(entry['shape'])
        if 'q' in entry:
            self.register_buffer('q', torch.from_numpy(entry['q']))
            self.register_buffer('table', torch.from_numpy(entry['table']))
        else:
            self.register_buffer('value', torch.from_numpy(entry['value']))

    def forward(self) -> torch.Tensor:
        if hasattr(self, 'q'):
            return self.table[self.q.long()].reshape(self.shape)
        return self.value.reshape(self.shape)


class ConvLayer(nn.Module):
    def __init__(self, W: dict, prefix: str):
        super().__init__()
        self.filters = Weight(W[f'{prefix}/conv/filters'])  # [kh, kw, in, out]
        self.bias = Weight(W[f'{prefix}/conv/bias'])
        self.scale_w = Weight(W[f'{prefix}/scale/weights'])
        self.scale_b = Weight(W[f'{prefix}/scale/biases'])

    def forward(self, x: torch.Tensor, stride: int, relu: bool, same: bool) -> torch.Tensor:
        f = self.filters().permute(3, 2, 0, 1)
        pad = self.filters.shape[0] // 2 if same else 0  # stride-1 'same' with an odd kernel is symmetric
        out = F.conv2d(x, f, self.bias(), stride=stride, padding=pad)
        out = out * self.scale_w().view(1, -1, 1, 1) + self.scale_b().view(1, -1, 1, 1)
        return F.relu(out) if relu else out


class Residual(nn.Module):
    def __init__(self, W: dict, prefix: str, down: bool):
        super().__init__()
        self.down = down
        self.conv1 = ConvLayer(W, f'{prefix}/conv1')
        self.conv2 = ConvLayer(W, f'{prefix}/conv2')

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.down:
            out = self.conv2(self.conv1(x, 1, True, True), 1, False, True)
            return F.relu(out + x)
        out = self.conv2(self.conv1(x, 2, True, False), 1, False, True)
        pooled = F.avg_pool2d(x, 2, 2)
        dh = pooled.shape[2] - out.shape[2]
        dw = pooled.shape[3] - out.shape[3]
        if dh or dw:
            out = F.pad(out, (0, dw, 0, dh))
        dc = out.shape[1] - pooled.shape[1]
        if dc:
            pooled = F.pad(pooled, (0, 0, 0, 0, 0, dc))
        return F.relu(pooled + out)


class DlibFaceRecognitionNet(nn.Module):
    """Input: [N, 150, 150, 3] float32, already normalised ((x - MEAN_RGB) / 255). Output: [N, 128] descriptors."""

    def __init__(self, W: dict):
        super().__init__()
        self.stem = ConvLayer(W, 'conv32_down')
        self.blocks = nn.ModuleList([Residual(W, name, down) for name, down in STAGES])
        self.fc = Weight(W['fc'])  # [256, 128]

    def forward(self, x_nhwc: torch.Tensor) -> torch.Tensor:
        x = x_nhwc.permute(0, 3, 1, 2)
        x = self.stem(x, 2, True, False)
        x = F.max_pool2d(x, 3, 2)
        for block in self.blocks:
            x = block(x)
        return x.mean(dim=(2, 3)) @ self.fc()


def normalise(rgb_u8: np.ndarray) -> np.ndarray:
    """[N, 150, 150, 3] uint8 RGB -> the network input, as face-api does it (float32 subtract, then divide)."""
    x = rgb_u8.astype(np.float32) - np.array(MEAN_RGB, dtype=np.float32)
    return x / np.float32(255)
