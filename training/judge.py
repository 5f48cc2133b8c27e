"""A judge no network was trained against: style by nearest-neighbour feature matching, content by the
classifier's own top-5. Compares several style networks on the held-out photos.

  OMP_NUM_THREADS=2 /usr/bin/python3 training/judge.py --model shipped=export --model v2a=training/runs/v2a/final.pt ...

Style (per painting): the training losses match channel statistics (Gram or covariance + means) of conv1..res4.
The judge instead asks, for every position of the stylized picture's res3 and res4 feature maps, how close
(cosine) its feature vector is to the NEAREST feature vector of the painting (at short side 448, a scale no
loss used), the mean over positions: "does every part of the picture look like some part of the painting".
Gain = (score(stylized) - score(photo)) / (score(painting itself at another crop) - score(photo)): 0 is the
photo, 1 is as close as another view of the painting is to itself.
Content: top-5 agreement, |top5(photo) ∩ top5(stylized)| / 5, and whether top-1 is kept (ResNet50 logits).
--strengths: the same at the app's strength slider s, (1-s)·photo + s·stylized (means over the styles at each).
Structure (structure.py): Pearson correlation of the Sobel gradient magnitudes of photo and stylized picture,
both luminances blurred by a Gaussian of sigma 2.5 px (texture averaged out, outlines kept): 1 = the same
outlines, ~0 = another photo; edges: share of the photo's top-10 % gradient pixels among the picture's top 10 %.
Flicker (evaluate.py's number, first photo): mean|f(x+n1) - f(x+n2)| / mean|(x+n1) - (x+n2)|, sigma 0.02.
Writes one JSON (--json) and prints a table. --styles picks paintings (several processes can share the work: on a
loaded machine each nice'd process gets its own slice of CPU); --merge joins such JSONs into one.
Each painting's feature bank (a seeded sample per painting) is cached in training/cache/judge/.
"""
import argparse
import json
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data import DEFAULT_DATA, holdout_list, load_rgb01, style_list  # noqa: E402
from evaluate import flicker, load_ckpt, load_export  # noqa: E402
from resnet_convert import caffe_preprocess, load_cached  # noqa: E402
from structure import structure  # noqa: E402

LAYERS = ('res3', 'res4')
CACHE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'cache', 'judge')


def feats(net, x):
    t = net.features(caffe_preprocess(x), 'res5')
    logits = net.fc1000(t['res5'].mean(dim=(2, 3)))
    return {k: t[k] for k in LAYERS}, logits


def vectors(f, n_max=None, gen=None):
    v = F.normalize(f[0].flatten(1).t(), dim=1)  # [positions, C]
    if n_max and v.shape[0] > n_max:
        v = v[torch.randperm(v.shape[0], generator=gen)[:n_max]]
    return v


def nn_score(f, bank):
    return float((vectors(f) @ bank.t()).max(dim=1).values.mean())


def painting_bank(net, data, style, si, side, n_bank):
    """The painting's feature bank ({layer: [n_bank, C]}, a sample seeded by the painting's index) and its
    self score (the painting at 0.75x the side against that bank), cached in training/cache/judge/."""
    path = os.path.join(CACHE, '%s_%d_%d.pt' % (style['id'], side, n_bank))
    if os.path.exists(path):
        st = torch.load(path)
        return st['bank'], st['self_score']
    gen = torch.Generator().manual_seed(1000 + si)
    img = load_rgb01(os.path.join(data, style['file']), short_side=side)
    fs, _ = feats(net, img[None])
    bank = {k: vectors(fs[k], n_bank, gen) for k in LAYERS}
    # the painting against itself at another scale: the top of the scale
    other = load_rgb01(os.path.join(data, style['file']), short_side=round(side * 0.75))
    fo, _ = feats(net, other[None])
    self_score = {k: nn_score(fo[k], bank[k]) for k in LAYERS}
    os.makedirs(CACHE, exist_ok=True)
    torch.save(dict(bank=bank, self_score=self_score), path + '.tmp')
    os.replace(path + '.tmp', path)
    return bank, self_score


def merge(paths, out_path):
    """Join judge JSONs of models on different paintings (--styles shards; a model may come from separate runs
    with the same photos and banks): rows in painting order, means over all rows of each model."""
    parts = [json.load(open(p)) for p in paths]
    out = dict(parts[0])
    order = [s['id'] for s in style_list()]
    out['models'] = {}
    names = list(dict.fromkeys(n for p in parts for n in p['models']))
    for name in names:
        rows = sorted((r for p in parts if name in p['models'] for r in p['models'][name]['styles']),
                      key=lambda r: order.index(r['style']))
        keys = [k for k in rows[0] if k != 'style']
        mean = {k: sum(r[k] for r in rows) / len(rows) for k in keys}
        out['models'][name] = dict(styles=rows, mean=mean)
    with open(out_path, 'w') as f:
        json.dump(out, f, indent=1)
    for name, m in out['models'].items():
        print('%-8s %d paintings: %s' % (name, len(m['styles']), '  '.join('%s %.3f' % kv for kv in m['mean'].items())))


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument('--model', action='append', required=True, help='name=export | name=path/to/ckpt.pt')
    ap.add_argument('--data', default=DEFAULT_DATA)
    ap.add_argument('--size', type=int, default=320, help='long side of the held-out photos')
    ap.add_argument('--photos', type=int, default=10)
    ap.add_argument('--style-side', type=int, default=448)
    ap.add_argument('--bank', type=int, default=3000, help='painting feature vectors kept per layer')
    ap.add_argument('--strengths', default='1', help='comma-separated strengths s (the app\'s slider: (1-s)·photo + s·stylized); '
                    'the per-style table is at the last one, the means at each')
    ap.add_argument('--json', default='')
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--styles', default='', help='comma-separated painting ids (default: all 12)')
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    net = load_cached()
    styles = style_list()
    sel = [i for i, s in enumerate(styles) if not a.styles or s['id'] in a.styles.split(',')]
    photos = [load_rgb01(os.path.join(a.data, f), max_side=a.size) for f in holdout_list(a.data)[:a.photos]]
    models = {}
    for spec in a.model:
        name, src = spec.split('=', 1)
        models[name] = load_export()[0] if src == 'export' else load_ckpt(src)[0]
    with torch.no_grad():
        banks, self_score = {}, {}
        for si in sel:
            banks[si], self_score[si] = painting_bank(net, a.data, styles[si], si, a.style_side, a.bank)
        base = []
        for p in photos:
            fp, lp = feats(net, p[None])
            base.append((fp, lp[0].topk(5).indices.tolist()))
        # each photo's own score against each painting: the same for every model, so computed once
        photo_score = {si: [{k: nn_score(fp[k], banks[si][k]) for k in LAYERS} for fp, _ in base] for si in sel}
        out = dict(layers=LAYERS, photo_long_side=a.size, photos=holdout_list(a.data)[:a.photos],
                   style_side=a.style_side, models={})
        strengths = [float(v) for v in a.strengths.split(',')]
        out['strengths'] = strengths
        for name, m in models.items():
            rows_at = {st: [] for st in strengths}
            for si in sel:
                s = styles[si]
                b = F.one_hot(torch.tensor([si]), len(styles)).float()
                acc = {st: dict(gains={k: [] for k in LAYERS}, top5=[], top1=[], structure=[], edges=[]) for st in strengths}
                for pi, (p, (_, t5)) in enumerate(zip(photos, base)):
                    y1 = m(p[None], b)
                    for st in strengths:
                        ys = (1 - st) * p[None] + st * y1
                        fy, ly = feats(net, ys)
                        a_ = acc[st]
                        sc, ed = structure(p[None], ys)
                        a_['structure'].append(float(sc))
                        a_['edges'].append(float(ed))
                        for k in LAYERS:
                            sp, sy = photo_score[si][pi][k], nn_score(fy[k], banks[si][k])
                            a_['gains'][k].append((sy - sp) / max(1e-6, self_score[si][k] - sp))
                        y5 = ly[0].topk(5).indices.tolist()
                        a_['top5'].append(len(set(t5) & set(y5)) / 5)
                        a_['top1'].append(float(y5[0] == t5[0]))
                fl = flicker(m, b, photos[0][None], 0.02, si)
                for st in strengths:
                    a_ = acc[st]
                    row = dict(style=s['id'], **{'gain_' + k: sum(v) / len(v) for k, v in a_['gains'].items()},
                               top5=sum(a_['top5']) / len(a_['top5']), top1=sum(a_['top1']) / len(a_['top1']), flicker=fl,
                               **{k: sum(a_[k]) / len(a_[k]) for k in ('structure', 'edges')})
                    row['gain'] = sum(row['gain_' + k] for k in LAYERS) / len(LAYERS)
                    rows_at[st].append(row)
                row = rows_at[strengths[-1]][-1]
                print('%-6s %-20s gain %.3f (res3 %.3f res4 %.3f)  structure %.3f edges %.3f  top5 %.2f top1 %.2f flicker %.2f' % (
                    name, s['id'], row['gain'], row['gain_res3'], row['gain_res4'], row['structure'], row['edges'],
                    row['top5'], row['top1'], fl), flush=True)
            keys = ('gain', 'gain_res3', 'gain_res4', 'structure', 'edges', 'top5', 'top1', 'flicker')
            by_strength = {str(st): {k: sum(r[k] for r in rows) / len(rows) for k in keys} for st, rows in rows_at.items()}
            mean = by_strength[str(strengths[-1])]
            out['models'][name] = dict(styles=rows_at[strengths[-1]], mean=mean, by_strength=by_strength)
            for st in strengths:
                m_ = by_strength[str(st)]
                print('%-6s MEAN at strength %.2f: gain %.3f structure %.3f edges %.3f top5 %.2f top1 %.2f flicker %.2f' % (
                    name, st, m_['gain'], m_['structure'], m_['edges'], m_['top5'], m_['top1'], m_['flicker']), flush=True)
    if a.json:
        with open(a.json, 'w') as f:
            json.dump(out, f, indent=1)


if __name__ == '__main__':
    if len(sys.argv) > 1 and sys.argv[1] == '--merge':  # judge.py --merge OUT.json IN1.json IN2.json ...
        merge(sys.argv[3:], sys.argv[2])
    else:
        main()
