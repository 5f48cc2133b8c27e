"""Which part of the style statistics a model matches: per ResNet layer, the relative error of the
uncentered Gram matrix, of the channel covariance and of the channel means, for the photo as-is and
for the stylized photo (held-out photos, short side 256, one painting scale).

  OMP_NUM_THREADS=2 /usr/bin/python3 training/style_stats.py --ckpt training/runs/main/final.pt

This is what showed that the Gram loss was met mostly through the means (palette) while the
covariance (texture) stayed far off: docs/style-net.md, "Stage 2".
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data import DEFAULT_DATA, holdout_list, load_rgb01  # noqa: E402
from evaluate import blend_vec, load_ckpt  # noqa: E402
from resnet_convert import caffe_preprocess, load_cached  # noqa: E402
from losses import cov_mean, gram, relative_mse  # noqa: E402

LAYERS = ['conv1', 'res2', 'res3', 'res4']


def stats(f):
    """The statistics the training losses match (losses.py), the covariance | mean pair split apart."""
    cm = cov_mean(f)
    c = f.shape[1]
    return dict(gram=gram(f), cov=cm[..., :c], mean=cm[..., c:])


def rel(a, b):
    return float(relative_mse(a, b, (1, 2)).mean())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--ckpt', required=True)
    ap.add_argument('--styles', default='composition_vii,great_wave,starry_night,udnie')
    ap.add_argument('--photos', type=int, default=4)
    ap.add_argument('--data', default=DEFAULT_DATA)
    a = ap.parse_args()
    net, styles = load_ckpt(a.ckpt)
    lossnet = load_cached()
    feats = lambda x: lossnet.features(caffe_preprocess(x), 'res4')  # noqa: E731
    photos = [load_rgb01(os.path.join(a.data, f), short_side=256) for f in holdout_list(a.data)[:a.photos]]
    ids = [s['id'] for s in styles]
    total = {}
    with torch.no_grad():
        for sid in a.styles.split(','):
            i = ids.index(sid)
            t = {k: stats(v) for k, v in feats(load_rgb01(os.path.join(a.data, styles[i]['file']), short_side=256)[None]).items()}
            for p in photos:
                for tag, img in (('photo', p[None]), ('stylized', net(p[None], blend_vec(len(ids), [(i, 1.0)])))):
                    f = feats(img)
                    for k in LAYERS:
                        s = stats(f[k])
                        for q in ('gram', 'cov', 'mean'):
                            total.setdefault((tag, k, q), []).append(rel(s[q], t[k][q]))
    print('| layer | Gram: photo → stylized | covariance | means |')
    print('| --- | --- | --- | --- |')
    for k in LAYERS:
        cells = []
        for q in ('gram', 'cov', 'mean'):
            ph, st = (sum(total[(t_, k, q)]) / len(total[(t_, k, q)]) for t_ in ('photo', 'stylized'))
            cells.append('%.3f → %.3f (%+.0f %%)' % (ph, st, 100 * (st / ph - 1)))
        print('| %s | %s |' % (k, ' | '.join(cells)))


if __name__ == '__main__':
    main()
