"""The structure measure: does a stylized picture keep the photo's outlines, at a scale that ignores painted
texture? judge.py reports it per painting beside the style gain.

Both pictures (the same size; the judge uses the held-out photos at long side 320) are reduced to luminance
(Rec. 601), blurred by a Gaussian of sigma 2.5 px (strokes and grain finer than about 5 px average out, a
roof's edge or a window frame stays), and turned into a Sobel gradient magnitude map. Then:

- structure = the Pearson correlation of the two magnitude maps (a 3-sigma border left out): 1 = the same
  outlines, 0 = unrelated (two different photos score about 0);
- edges = the share of the photo's strongest 10 % gradient pixels that are also among the output's
  strongest 10 % (chance: 0.10).

Both ignore global contrast and brightness changes (a painting's palette), not where the outlines are.

  /usr/bin/python3 training/structure.py               # reference points on the held-out photos (identity, blur, shift, another photo)
  /usr/bin/python3 training/structure.py --ablate-skip  # v2 (the export): structure with the 1/4-level skip or the 1/8 path cut
"""
import math
import os
import sys

import torch
import torch.nn.functional as F

SIGMA = 2.5
EDGE_TOP = 0.10
SOBEL_X = ((-1.0, 0.0, 1.0), (-2.0, 0.0, 2.0), (-1.0, 0.0, 1.0))


def luminance(x):
    """[b, 3, H, W] in [0, 1] -> [b, 1, H, W] (Rec. 601 weights)."""
    return (0.299 * x[:, 0:1] + 0.587 * x[:, 1:2] + 0.114 * x[:, 2:3])


def gaussian_blur(x, sigma):
    """Separable Gaussian blur of [b, 1, H, W], radius ceil(3 sigma), reflect padding."""
    r = max(1, math.ceil(3 * sigma))
    t = torch.arange(-r, r + 1, dtype=x.dtype)
    k = torch.exp(-t ** 2 / (2 * sigma ** 2))
    k = k / k.sum()
    x = F.conv2d(F.pad(x, (r, r, 0, 0), mode='reflect'), k.view(1, 1, 1, -1))
    return F.conv2d(F.pad(x, (0, 0, r, r), mode='reflect'), k.view(1, 1, -1, 1))


def gradient_magnitude(x, sigma=SIGMA):
    """Sobel gradient magnitude of the blurred luminance: [b, 3, H, W] -> [b, H, W], border of 3 sigma cut."""
    g = gaussian_blur(luminance(x), sigma)
    kx = g.new_tensor(SOBEL_X).view(1, 1, 3, 3) / 8
    gp = F.pad(g, (1, 1, 1, 1), mode='reflect')
    gx, gy = F.conv2d(gp, kx), F.conv2d(gp, kx.transpose(2, 3))
    m = torch.sqrt(gx ** 2 + gy ** 2 + 1e-12)[:, 0]
    b = max(1, math.ceil(3 * sigma))
    return m[:, b:-b, b:-b]


def structure(photo, out, sigma=SIGMA, top=EDGE_TOP):
    """photo, out: [b, 3, H, W] in [0, 1], the same size -> (pearson [b], edges [b]) as float tensors."""
    if photo.shape != out.shape:
        raise ValueError('structure: shapes differ %s vs %s' % (tuple(photo.shape), tuple(out.shape)))
    mp, mo = gradient_magnitude(photo, sigma).flatten(1), gradient_magnitude(out, sigma).flatten(1)
    a, b = mp - mp.mean(1, keepdim=True), mo - mo.mean(1, keepdim=True)
    pearson = (a * b).sum(1) / torch.sqrt((a ** 2).sum(1) * (b ** 2).sum(1) + 1e-20)
    k = max(1, round(top * mp.shape[1]))
    tp = mp >= mp.topk(k, dim=1).values[:, -1:]
    to = mo >= mo.topk(k, dim=1).values[:, -1:]
    edges = (tp & to).sum(1).float() / tp.sum(1).float()
    return pearson, edges


def ablate_skip(photos, out_json=''):
    """Which path of the v2 network carries the outlines? The exported network as is, without the skip
    from the 1/4 level (its 'add skip' op dropped), and without the 1/8 path (the CIN after 'up0' set to
    0, so only the skip reaches the decoder): structure and edges per painting, means over the photos."""
    import copy
    import json
    from evaluate import load_export
    net, styles, _ = load_export()
    no_skip = copy.deepcopy(net)
    no_skip.spec = [o for o in net.spec if not (o['op'] == 'add' and o['slot'] == 'skip')]
    skip_only = copy.deepcopy(net)
    with torch.no_grad():
        skip_only.gammas['up0_norm'].zero_()
        skip_only.betas['up0_norm'].zero_()
    variants = {'v2': net, 'v2 without the 1/4 skip': no_skip, 'v2 without the 1/8 path': skip_only}
    out = {}
    with torch.no_grad():
        for name, m in variants.items():
            rows = []
            for si, st in enumerate(styles):
                b = F.one_hot(torch.tensor([si]), len(styles)).float()
                v = [structure(p[None], m(p[None], b)) for p in photos]
                rows.append(dict(style=st['id'], structure=sum(float(a) for a, _ in v) / len(v),
                                 edges=sum(float(e) for _, e in v) / len(v)))
            mean = {k: sum(r[k] for r in rows) / len(rows) for k in ('structure', 'edges')}
            out[name] = dict(styles=rows, mean=mean)
            print('%-26s structure %.3f  edges %.3f   (%s)' % (name, mean['structure'], mean['edges'], ' '.join(
                '%.2f' % r['structure'] for r in rows)), flush=True)
    if out_json:
        with open(out_json, 'w') as f:
            json.dump(dict(photos=len(photos), long_side=320, variants=out), f, indent=1)


def main():
    """Reference points on the held-out photos at long side 320: what 1, a blur, a shift and 0 look like."""
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument('--ablate-skip', action='store_true', help='v2 with the 1/4 skip or the 1/8 path cut (see ablate_skip)')
    ap.add_argument('--photos', type=int, default=5)
    ap.add_argument('--json', default='')
    ap.add_argument('--threads', type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from data import DEFAULT_DATA, holdout_list, load_rgb01
    photos = [load_rgb01(os.path.join(DEFAULT_DATA, f), max_side=320) for f in holdout_list(DEFAULT_DATA)[:a.photos]]
    if a.ablate_skip:
        return ablate_skip(photos, a.json)
    rows = {'itself': [], 'blurred sigma 4': [], 'shifted 8 px': [], 'grey + noise 0.1': [], 'another photo': []}
    gen = torch.Generator().manual_seed(0)
    for i, p in enumerate(photos):
        p = p[None]
        q = photos[(i + 1) % len(photos)][None]
        h, w = min(p.shape[2], q.shape[2]), min(p.shape[3], q.shape[3])
        blurred = gaussian_blur(p.reshape(3, 1, *p.shape[2:]), 4.0).reshape(p.shape)
        cases = {'itself': (p, p), 'blurred sigma 4': (p, blurred),
                 'shifted 8 px': (p[..., 8:], p[..., :-8]),
                 'grey + noise 0.1': (p, (0.5 + 0.1 * torch.randn(p.shape, generator=gen)).clamp(0, 1)),
                 'another photo': (p[..., :h, :w], q[..., :h, :w])}
        for name, (x, y) in cases.items():
            s, e = structure(x, y)
            rows[name].append((float(s), float(e)))
    for name, v in rows.items():
        print('%-18s structure %.3f  edges %.3f' % (name, sum(a for a, _ in v) / len(v), sum(b for _, b in v) / len(v)))


if __name__ == '__main__':
    main()
