#!/usr/bin/python3
"""Exports the architecture benchmark set (bench/run_arch_bench.sh) as ONNX, opset 13, with
random weights from a fixed seed, into a cache folder (never into git).

    /usr/bin/python3 bench/make_arch_models.py OUT_DIR [--only KEY,KEY]

Needs Debian's python3-torch (1.13) and python3-torchvision (0.14); run_arch_bench.sh installs
them. Every model has one float input named "x"; OUT_DIR/manifest.json lists key -> file, input
shape, family and what the model stands for. A model already in OUT_DIR with the same recipe
version is not exported again.
"""
import json
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

kRecipe = 1  # bump when a model's recipe changes, so the cache is rebuilt


class SsdLite(nn.Module):
    """SSDLite320 (MobileNetV3-Large backbone + extra layers + SSDLite heads) without the box
    decoding and NMS: the raw class logits and box regressions, as detectors ship to devices."""

    def __init__(self):
        super().__init__()
        m = torchvision.models.detection.ssdlite320_mobilenet_v3_large(
            weights=None, weights_backbone=None, num_classes=91)
        self.backbone = m.backbone
        self.head = m.head

    def forward(self, x):
        features = list(self.backbone(x).values())
        out = self.head(features)
        return out["bbox_regression"], out["cls_logits"]


class DeepLab(nn.Module):
    """DeepLabV3 (MobileNetV3-Large, dilated, ASPP) with the final bilinear upsampling."""

    def __init__(self):
        super().__init__()
        self.m = torchvision.models.segmentation.deeplabv3_mobilenet_v3_large(
            weights=None, weights_backbone=None, num_classes=21, aux_loss=False)

    def forward(self, x):
        return self.m(x)["out"]


class UNet(nn.Module):
    """A small UNet: conv-BN-ReLU pairs, max-pool down, transposed-conv up, skip concats."""

    def __init__(self, ch=(16, 32, 64, 128), classes=2):
        super().__init__()

        def block(i, o):
            return nn.Sequential(nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o),
                                 nn.ReLU(inplace=True), nn.Conv2d(o, o, 3, padding=1, bias=False),
                                 nn.BatchNorm2d(o), nn.ReLU(inplace=True))

        self.downs = nn.ModuleList()
        prev = 3
        for c in ch:
            self.downs.append(block(prev, c))
            prev = c
        self.bottom = block(ch[-1], ch[-1] * 2)
        self.ups = nn.ModuleList()
        self.upblocks = nn.ModuleList()
        prev = ch[-1] * 2
        for c in reversed(ch):
            self.ups.append(nn.ConvTranspose2d(prev, c, 2, stride=2))
            self.upblocks.append(block(2 * c, c))
            prev = c
        self.out = nn.Conv2d(ch[0], classes, 1)

    def forward(self, x):
        skips = []
        for d in self.downs:
            x = d(x)
            skips.append(x)
            x = F.max_pool2d(x, 2)
        x = self.bottom(x)
        for up, blk, s in zip(self.ups, self.upblocks, reversed(skips)):
            x = blk(torch.cat([up(x), s], 1))
        return self.out(x)


class VitTiny(nn.Module):
    """ViT-Tiny/16 (dim 192, 12 layers, 3 heads, MLP 768, GELU, pre-norm) written out with
    Linear / MatMul / Softmax / LayerNorm as Hugging Face-style exports have it."""

    def __init__(self, image=224, patch=16, dim=192, depth=12, heads=3, mlp=768, classes=1000):
        super().__init__()
        self.heads = heads
        self.patch = nn.Conv2d(3, dim, patch, stride=patch)
        n = (image // patch) ** 2
        self.cls = nn.Parameter(torch.randn(1, 1, dim) * 0.02)
        self.pos = nn.Parameter(torch.randn(1, n + 1, dim) * 0.02)
        self.layers = nn.ModuleList()
        for _ in range(depth):
            self.layers.append(nn.ModuleDict(dict(
                ln1=nn.LayerNorm(dim), qkv=nn.Linear(dim, 3 * dim), proj=nn.Linear(dim, dim),
                ln2=nn.LayerNorm(dim), fc1=nn.Linear(dim, mlp), fc2=nn.Linear(mlp, dim))))
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, classes)

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2)
        b, n, d = x.shape
        x = torch.cat([self.cls.expand(b, -1, -1), x], 1) + self.pos
        h = self.heads
        for l in self.layers:
            y = l["ln1"](x)
            qkv = l["qkv"](y).reshape(b, n + 1, 3, h, d // h).permute(2, 0, 3, 1, 4)
            q, k, v = qkv[0], qkv[1], qkv[2]
            a = torch.softmax(q @ k.transpose(-2, -1) * (d // h) ** -0.5, dim=-1)
            y = (a @ v).transpose(1, 2).reshape(b, n + 1, d)
            x = x + l["proj"](y)
            x = x + l["fc2"](F.gelu(l["fc1"](l["ln2"](x))))
        return self.head(self.norm(x)[:, 0])


class LstmTagger(nn.Module):
    """A 2-layer LSTM (hidden 256) over a [T, 1, 64] feature sequence with a per-step linear
    classifier, as speech / OCR sequence heads have it."""

    def __init__(self):
        super().__init__()
        self.rnn = nn.LSTM(64, 256, num_layers=2)
        self.fc = nn.Linear(256, 40)

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.fc(y)


class GruBidi(nn.Module):
    """A bidirectional GRU (hidden 128) over [T, 1, 64], then a linear classifier."""

    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(64, 128, bidirectional=True)
        self.fc = nn.Linear(256, 40)

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.fc(y)


def tv(name, **kw):
    return lambda: getattr(torchvision.models, name)(weights=None, **kw)


# key: (factory, input shape, family, what it is)
kModels = {
    "resnet18": (tv("resnet18"), (1, 3, 224, 224), "classification", "ResNet-18"),
    "resnet50": (tv("resnet50"), (1, 3, 224, 224), "classification", "ResNet-50 (bottlenecks)"),
    "mobilenet_v2": (tv("mobilenet_v2"), (1, 3, 224, 224), "classification",
                     "MobileNetV2 (depthwise, ReLU6)"),
    "mobilenet_v3_small": (tv("mobilenet_v3_small"), (1, 3, 224, 224), "classification",
                           "MobileNetV3-Small (hard-swish, squeeze-excitation)"),
    "shufflenet_v2": (tv("shufflenet_v2_x1_0"), (1, 3, 224, 224), "classification",
                      "ShuffleNetV2 1.0x (channel shuffle: Reshape-Transpose-Reshape)"),
    "efficientnet_b0": (tv("efficientnet_b0"), (1, 3, 224, 224), "classification",
                        "EfficientNet-B0 (SiLU, squeeze-excitation)"),
    "squeezenet": (tv("squeezenet1_1"), (1, 3, 224, 224), "classification",
                   "SqueezeNet 1.1 (fire modules, concat)"),
    "regnet_y_400mf": (tv("regnet_y_400mf"), (1, 3, 224, 224), "classification",
                       "RegNetY-400MF (group conv, squeeze-excitation)"),
    "densenet121": (tv("densenet121"), (1, 3, 224, 224), "classification",
                    "DenseNet-121 (dense concats, BN-ReLU before conv)"),
    "ssdlite": (SsdLite, (1, 3, 320, 320), "detection",
                "SSDLite320 MobileNetV3-Large backbone + heads (no NMS)"),
    "deeplabv3": (DeepLab, (1, 3, 256, 256), "segmentation",
                  "DeepLabV3 MobileNetV3-Large (dilated, ASPP, bilinear upsampling)"),
    "unet": (UNet, (1, 3, 256, 256), "segmentation",
             "UNet 16-128 (max-pool down, ConvTranspose up, skip concats)"),
    "vit_tiny": (VitTiny, (1, 3, 224, 224), "transformer", "ViT-Tiny/16 encoder (GELU, LayerNorm)"),
    "lstm": (LstmTagger, (100, 1, 64), "recurrent", "2-layer LSTM 256 over 100 steps"),
    "gru": (GruBidi, (100, 1, 64), "recurrent", "bidirectional GRU 128 over 100 steps"),
}


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    only = None
    if len(sys.argv) > 3 and sys.argv[2] == "--only":
        only = sys.argv[3].split(",")
    os.makedirs(out, exist_ok=True)
    manifest_path = os.path.join(out, "manifest.json")
    manifest = {}
    if os.path.exists(manifest_path):
        with open(manifest_path) as f:
            manifest = json.load(f)
    for key, (make, shape, family, what) in kModels.items():
        if only and key not in only:
            continue
        file = os.path.join(out, key + ".onnx")
        entry = manifest.get(key, {})
        if os.path.exists(file) and entry.get("recipe") == kRecipe:
            continue
        torch.manual_seed(13)
        model = make().eval()
        x = torch.rand(*shape)
        with torch.no_grad():
            torch.onnx.export(model, x, file, opset_version=13, input_names=["x"],
                              do_constant_folding=True)
        manifest[key] = dict(file=key + ".onnx", shape="x".join(map(str, shape)), family=family,
                             what=what, recipe=kRecipe)
        with open(manifest_path, "w") as f:
            json.dump(manifest, f, indent=1)
        print(f"exported {key} {shape} -> {file}", file=sys.stderr)


if __name__ == "__main__":
    main()
