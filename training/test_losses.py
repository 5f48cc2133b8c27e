"""Check training/losses.py against the parity fixture tests/fixtures/optvis/losses.json (the same file
the TypeScript twin src/lib/optvis/objectives.ts is tested against). Plain python, no pytest:

  /usr/bin/python3 training/test_losses.py

1. every expected value is reproduced from the stored NHWC inputs, in float64 (to 1e-9) and in float32
   (to 1e-4 of each tensor's largest value, the tolerance the TypeScript test uses), the latter also with
   the channel products computed as 1x1 convolutions (losses.PRODUCT = 'conv');
2. the fixture is current: make_loss_fixture.build() writes the same numbers;
3. the style statistics do not depend on the spatial size (a feature map tiled 2×3 has the same ones).
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import losses as L  # noqa: E402
from make_loss_fixture import LAYERS, OUT, SMOOTHS, STATS, build  # noqa: E402


def tensor(e, dtype):
    return torch.tensor(e['data'], dtype=dtype).reshape(e['shape'])


def nchw(e, dtype):
    # inputs are taken as float32 values (what the TypeScript side holds), as make_loss_fixture.py does
    return torch.tensor(e['data'], dtype=torch.float32).to(dtype).reshape(e['shape']).permute(0, 3, 1, 2).contiguous()


def close(got, e, tol, what):
    want = np.asarray(e['data'] if isinstance(e, dict) else [e], dtype=np.float64)
    got = np.asarray(got.detach().to(torch.float64).numpy() if torch.is_tensor(got) else got, dtype=np.float64).reshape(-1)
    if isinstance(e, dict):
        assert list(got.shape) == [int(np.prod(e['shape']))], (what, got.shape, e['shape'])
    err = np.abs(got - want).max() / max(np.abs(want).max(), 1e-30)
    assert err < tol, '%s: relative error %.3g >= %.3g' % (what, err, tol)
    return err


def check(fx, dtype, tol):
    inp = {k: nchw(v, dtype) for k, v in fx['inputs'].items()}
    ex = fx['expected']
    worst = 0.0
    for sm in SMOOTHS:
        s = L.smooth_feats(inp['generated'], sm)
        worst = max(worst, close(s.permute(0, 2, 3, 1), ex['smooth_feats'][sm], tol, 'smooth_feats ' + sm))
        worst = max(worst, close(L.gram(s), ex['gram'][sm], tol, 'gram ' + sm))
        worst = max(worst, close(L.cov_mean(s), ex['cov_mean'][sm], tol, 'cov_mean ' + sm))
    layers = {k: float(v) for k, v in fx['layer_weights'].items()}
    assert layers == LAYERS
    for st in STATS:
        for sm in SMOOTHS:
            t = {'a': L.style_stat(inp['style'], st, sm), 'b': L.style_stat(inp['style_b'], st, sm)}
            for k in t:
                worst = max(worst, close(t[k], ex['style_target'][st][sm][k], tol, 'target %s %s %s' % (st, sm, k)))
            # the losses from the stored targets, as the TypeScript side reads them
            tt = {k: tensor(ex['style_target'][st][sm][k], dtype) for k in t}
            worst = max(worst, close(L.style_layer_error(L.style_stat(inp['generated'], st, sm), tt['a'], st),
                                     ex['style_layer_error'][st][sm], tol, 'style_layer_error %s %s' % (st, sm)))
            worst = max(worst, close(L.style_loss({'a': inp['generated'], 'b': inp['generated_b']}, tt, layers, st, sm),
                                     ex['style_loss'][st][sm], tol, 'style_loss %s %s' % (st, sm)))
    worst = max(worst, close(L.relative_mse(L.gram(inp['generated']), L.gram(inp['style']), (1, 2)),
                             ex['relative_mse'], tol, 'relative_mse'))
    worst = max(worst, close(L.content_loss(inp['generated'], inp['content']), ex['content_loss'], tol, 'content_loss'))
    worst = max(worst, close(L.tv_loss(inp['image']), ex['tv_loss'], tol, 'tv_loss'))
    worst = max(worst, close(L.activation_power(inp['generated']), ex['activation_power'], tol, 'activation_power'))
    worst = max(worst, close(L.activation_power(inp['generated_b']), ex['activation_power_b'], tol, 'activation_power_b'))
    return worst


def main():
    fx = json.load(open(OUT))
    size = os.path.getsize(OUT)
    assert size < 200_000, size
    print('float64: worst relative error %.2g' % check(fx, torch.float64, 1e-9))
    print('float32: worst relative error %.2g' % check(fx, torch.float32, 1e-4))
    L.PRODUCT = 'conv'  # the oneDNN route optvis.py uses: the same numbers
    try:
        print('float32, products as 1x1 convolutions: worst relative error %.2g' % check(fx, torch.float32, 1e-4))
    finally:
        L.PRODUCT = 'matmul'
    assert json.loads(json.dumps(build())) == fx, 'fixture is stale: run training/make_loss_fixture.py'
    print('fixture current (%d bytes)' % size)
    # statistics are spatial-size free: a map tiled 2x3 has the same Gram / covariance / means
    f = torch.randn(1, 4, 5, 6, dtype=torch.float64)
    big = f.repeat(1, 1, 2, 3)
    for st in STATS:
        for sm in SMOOTHS:
            a, b = L.style_stat(f, st, sm), L.style_stat(big, st, sm)
            assert torch.allclose(a, b, rtol=1e-10, atol=1e-12), (st, sm)
    print('statistics independent of H, W: ok')
    print('all ok')


if __name__ == '__main__':
    main()
