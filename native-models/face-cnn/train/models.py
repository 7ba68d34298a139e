"""Architectures for 48x48 grayscale face expression classification (trained from scratch)."""
from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_bn(cin: int, cout: int, stride: int = 1) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class BasicBlock(nn.Module):
    def __init__(self, cin: int, cout: int, stride: int):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout)
        self.short = None
        if stride != 1 or cin != cout:
            self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.b1(self.c1(x)), inplace=True)
        y = self.b2(self.c2(y))
        return F.relu(y + (x if self.short is None else self.short(x)), inplace=True)


class FaceResNet(nn.Module):
    """Compact ResNet for 48x48 gray: stem at 48, stages at 24/12/6, global average pool."""

    def __init__(self, widths=(32, 64, 128, 256), blocks=(1, 1, 1), n_classes: int = 7, dropout: float = 0.3, aux_classes: int = 0):
        super().__init__()
        w0 = widths[0]
        self.stem = nn.Sequential(conv_bn(1, w0), conv_bn(w0, w0))
        layers = []
        cin = w0
        for w, n in zip(widths[1:], blocks):
            for i in range(n):
                layers.append(BasicBlock(cin, w, 2 if i == 0 else 1))
                cin = w
        self.body = nn.Sequential(*layers)
        self.drop = nn.Dropout(dropout)
        self.fc = nn.Linear(cin, n_classes)
        self.aux = nn.Linear(cin, aux_classes) if aux_classes else None

    def features(self, x):
        return torch.flatten(F.adaptive_avg_pool2d(self.body(self.stem(x)), 1), 1)

    def forward(self, x):
        return self.fc(self.drop(self.features(x)))


def resnet50_gray(n_classes: int = 7) -> nn.Module:
    """torchvision ResNet-50 (the seed paper's choice) adapted to 48x48 gray: 3x3 stride-1 stem, no max-pool."""
    from torchvision.models import resnet50

    m = resnet50(weights=None, num_classes=n_classes)
    m.conv1 = nn.Conv2d(1, 64, 3, 1, 1, bias=False)
    m.maxpool = nn.Identity()
    return m


def resnet50_gray_s4(n_classes: int = 7) -> nn.Module:
    """The same ResNet-50 with a 3x3 stride-2 stem and its 3x3/2 max-pool, so the blocks run at 12/6/3/2 px:
    ~16x cheaper than resnet50_gray, which is what makes it trainable on a laptop CPU."""
    from torchvision.models import resnet50

    m = resnet50(weights=None, num_classes=n_classes)
    m.conv1 = nn.Conv2d(1, 64, 3, 2, 1, bias=False)
    return m


def resnet50_gray_s2(n_classes: int = 7) -> nn.Module:
    """ResNet-50 with a 3x3 stride-2 stem and no max-pool: blocks at 24/12/6/3 px (~4x cheaper than resnet50_gray)."""
    from torchvision.models import resnet50

    m = resnet50(weights=None, num_classes=n_classes)
    m.conv1 = nn.Conv2d(1, 64, 3, 2, 1, bias=False)
    m.maxpool = nn.Identity()
    return m


ARCHS = {
    'cnn': lambda: FaceResNet(widths=(32, 64, 128, 256), blocks=(2, 2, 2)),
    'cnn-small': lambda: FaceResNet(widths=(32, 64, 128, 256), blocks=(1, 1, 1)),
    'cnn-wide': lambda: FaceResNet(widths=(48, 96, 192, 384), blocks=(1, 2, 2)),
    'cnn-w64': lambda: FaceResNet(widths=(64, 128, 256, 512), blocks=(2, 2, 2)),
    'tiny': lambda: FaceResNet(widths=(4, 8, 8, 8), blocks=(1, 1, 1), dropout=0.0),
    'resnet50': resnet50_gray,
    'resnet50-s2': resnet50_gray_s2,
    'resnet50-s4': resnet50_gray_s4,
}


def build(arch: str) -> nn.Module:
    return ARCHS[arch]()
