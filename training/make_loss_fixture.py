"""Write tests/fixtures/optvis/losses.json: seeded inputs and the expected outputs of every function of
training/losses.py, for both style statistics and both smoothings. The TypeScript twin
(src/lib/optvis/objectives.ts) and training/test_losses.py are both checked against it.

  /usr/bin/python3 training/make_loss_fixture.py

Layout: the TypeScript side is NHWC, so every feature map or image is stored as
{"shape": [b, H, W, C], "data": [flat, NHWC row-major]}; this script transposes to NCHW before
calling losses.py. Statistics are stored as {"shape": [b, C, C] or [b, C, C+1], "data": [flat]}
(row-major; no spatial layout involved), per-sample values as {"shape": [b], "data": [...]}, scalars
as plain numbers. Inputs are rounded to 4 decimals and the expected values computed in float64 from
their float32 values.
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import losses as L  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(HERE), 'tests', 'fixtures', 'optvis', 'losses.json')
STATS = ('gram', 'covmean')
SMOOTHS = ('none', 'softmax')
LAYERS = {'a': 1.0, 'b': 0.5}
SEED = 20260301


def make_inputs():
    rng = np.random.default_rng(SEED)

    def feat(shape, scale=2.0):
        # signed and a little peaky, like pre-ReLU features; half of them clipped at 0 like post-ReLU ones
        v = rng.standard_normal(shape) * scale
        v = np.where(rng.random(shape) < 0.3, np.maximum(v, 0), v)
        return np.round(v, 4)

    return {
        'generated': feat((1, 5, 6, 4)),    # layer a of the picture being optimised
        'content': feat((1, 5, 6, 4)),      # layer a of the content photo
        'style': feat((1, 7, 3, 4)),        # layer a of the painting (other H, W: statistics are size-free)
        'generated_b': feat((1, 3, 4, 6)),  # layer b of the picture
        'style_b': feat((1, 4, 2, 6)),      # layer b of the painting
        'image': np.round(rng.random((1, 6, 7, 3)), 4),  # an RGB image in [0, 1]
    }


def nchw(a):
    """NHWC numpy (float32 values) -> NCHW float64 torch."""
    return torch.from_numpy(np.ascontiguousarray(a.astype(np.float32).astype(np.float64).transpose(0, 3, 1, 2)))


def nhwc_entry(t):
    """NCHW torch -> {"shape": NHWC, "data": flat NHWC}."""
    a = t.detach().numpy().transpose(0, 2, 3, 1)
    return {'shape': list(a.shape), 'data': [float(v) for v in a.reshape(-1)]}


def entry(t):
    a = t.detach().numpy()
    return {'shape': list(a.shape), 'data': [float(v) for v in a.reshape(-1)]}


def build():
    raw = make_inputs()
    x = {k: nchw(v) for k, v in raw.items()}
    ex = {'smooth_feats': {}, 'gram': {}, 'cov_mean': {}, 'style_target': {}, 'style_layer_error': {},
          'style_loss': {}}
    for sm in SMOOTHS:
        ex['smooth_feats'][sm] = nhwc_entry(L.smooth_feats(x['generated'], sm))
        ex['gram'][sm] = entry(L.gram(L.smooth_feats(x['generated'], sm)))
        ex['cov_mean'][sm] = entry(L.cov_mean(L.smooth_feats(x['generated'], sm)))
    for st in STATS:
        for key in ('style_target', 'style_layer_error', 'style_loss'):
            ex[key][st] = {}
        for sm in SMOOTHS:
            targets = {'a': L.style_stat(x['style'], st, sm), 'b': L.style_stat(x['style_b'], st, sm)}
            feats = {'a': x['generated'], 'b': x['generated_b']}
            ex['style_target'][st][sm] = {k: entry(v) for k, v in targets.items()}
            ex['style_layer_error'][st][sm] = entry(
                L.style_layer_error(L.style_stat(x['generated'], st, sm), targets['a'], st))
            ex['style_loss'][st][sm] = entry(L.style_loss(feats, targets, LAYERS, st, sm))
    ex['relative_mse'] = entry(L.relative_mse(L.gram(x['generated']), L.gram(x['style']), (1, 2)))
    ex['content_loss'] = entry(L.content_loss(x['generated'], x['content']))
    ex['tv_loss'] = float(L.tv_loss(x['image']))
    ex['activation_power'] = float(L.activation_power(x['generated']))
    ex['activation_power_b'] = float(L.activation_power(x['generated_b']))
    return {
        'doc': ('Parity fixture for training/losses.py (PyTorch, NCHW) and src/lib/optvis/objectives.ts '
                '(tfjs, NHWC). Written by: /usr/bin/python3 training/make_loss_fixture.py ; checked by '
                'training/test_losses.py and the TypeScript unit test. Layout: inputs and the smooth_feats '
                'outputs are {shape: [b, H, W, C], data: flat NHWC row-major}; statistics (gram [b, C, C], '
                'cov_mean and covmean targets [b, C, C+1] = covariance | channel means) are {shape, data: flat '
                'row-major}; per-sample values {shape: [b], data}; tv_loss and activation_power are plain '
                'numbers. Expected values in float64 from the float32 inputs; compare in float32 with a relative '
                'tolerance of ~1e-4 of the largest |value| of each expected tensor (statistics have entries near 0). Cases: smooth_feats/gram/cov_mean[smooth] of inputs.generated; '
                'style_target[stat][smooth][layer] = stat(smooth(inputs.style (a) / inputs.style_b (b))); '
                'style_layer_error[stat][smooth] = error of stat(smooth(generated)) against style_target..a; '
                'style_loss[stat][smooth] with feats {a: generated, b: generated_b}, layers = layer_weights; '
                'relative_mse = relative_mse(gram(generated), gram(style)) over the matrix dims (no smoothing); '
                'content_loss = content_loss(generated, content); tv_loss(image); '
                'activation_power(generated), activation_power_b(generated_b).'),
        'seed': SEED,
        'layer_weights': LAYERS,
        'inputs': {k: {'shape': list(v.shape), 'data': [float(a) for a in v.reshape(-1)]} for k, v in raw.items()},
        'expected': ex,
    }


def main():
    fx = build()
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump(fx, f, separators=(',', ':'))
        f.write('\n')
    print('wrote', OUT, os.path.getsize(OUT), 'bytes')


if __name__ == '__main__':
    main()
