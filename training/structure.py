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

  /usr/bin/python3 training/structure.py     # reference points on the held-out photos (identity, blur, shift, another photo)
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


def main():
    """Reference points on the held-out photos at long side 320: what 1, a blur, a shift and 0 look like."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from data import DEFAULT_DATA, holdout_list, load_rgb01
    photos = [load_rgb01(os.path.join(DEFAULT_DATA, f), max_side=320) for f in holdout_list(DEFAULT_DATA)[:5]]
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
