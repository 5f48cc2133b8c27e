"""Evaluate a trained style network on the held-out photos (training/holdout.txt).

  OMP_NUM_THREADS=2 /usr/bin/python3 training/evaluate.py            # uses static/models/style-net
  ... --ckpt training/runs/main/final.pt                               # or a training checkpoint

Writes docs/style-net-contact-sheet.png and docs/style-net-eval.json (per style: style loss, content
loss, flicker number on held-out photos). --ablation-ckpt adds the flicker number of a second
network (e.g. trained without the stability term).
Flicker number = mean|f(x+n1) - f(x+n2)| / mean|(x+n1) - (x+n2)|, n1, n2 independent N(0, sigma^2).
"""
import argparse
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data import DEFAULT_DATA, holdout_list, load_rgb01, style_list  # noqa: E402
from stylenet import StyleNet  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
EXPORT_DIR = os.path.join(REPO, 'static', 'models', 'style-net')


def load_ckpt(path):
    st = torch.load(path, map_location='cpu')
    net = StyleNet(len(st['styles']), st['spec'])
    net.load_state_dict(st['model'])
    net.eval()
    return net, st['styles']


def load_export(d=EXPORT_DIR):
    from exported import load_exported  # noqa
    return load_exported(d)


def to_img(t):
    return Image.fromarray((t.clamp(0, 1).permute(1, 2, 0).numpy() * 255 + 0.5).astype(np.uint8))


def font(size):
    try:
        return ImageFont.truetype('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', size)
    except OSError:
        return ImageFont.load_default()


def label(img, text, h=18):
    out = Image.new('RGB', (img.width, img.height + h), 'white')
    out.paste(img, (0, h))
    ImageDraw.Draw(out).text((3, 3), text[:28], fill='black', font=font(11))
    return out


def blend_vec(n, pairs):
    v = torch.zeros(1, n)
    for i, w in pairs:
        v[0, i] = w
    return v / v.sum()


def grid_sheet(cols, photos, out_path, tile, font_size, max_name=26):
    """One row per photo, one column per (name, net, blend); net None shows the photo itself. Each
    tile fits in tile × tile; names head the columns."""
    rows = []
    with torch.no_grad():
        for p in photos:
            x = p[None]
            row = []
            for _, net, b in cols:
                img = to_img((x if net is None else net(x, b))[0])
                img.thumbnail((tile, tile), Image.LANCZOS)
                row.append(img)
            rows.append(row)
    cw = [max(r[c].width for r in rows) for c in range(len(cols))]
    rh = [max(im.height for im in r) for r in rows]
    sheet = Image.new('RGB', (sum(cw) + 2 * len(cols), 18 + sum(rh) + 2 * len(rows)), 'white')
    d = ImageDraw.Draw(sheet)
    x0 = 0
    for c, (name, _, _) in enumerate(cols):
        d.text((x0 + 2, 3), name[:max_name], fill='black', font=font(font_size))
        x0 += cw[c] + 2
    y0 = 18
    for r, row in enumerate(rows):
        x0 = 0
        for c, im in enumerate(row):
            sheet.paste(im, (x0, y0))
            x0 += cw[c] + 2
        y0 += rh[r] + 2
    sheet.save(out_path, optimize=True)
    return sheet.size


def contact_sheet(net, styles, photos, out_path, blends, tile=160):
    cols = [('photo', None, None)] + [(s['id'], net, blend_vec(len(styles), [(i, 1.0)])) for i, s in enumerate(styles)]
    cols += [(name, net, b) for name, b in blends]
    return grid_sheet(cols, photos, out_path, tile, font_size=10)


def before_after(before, after, styles, photos, out_path, ids, tile=256):
    """Rows: photos; columns: the photo, then per style the earlier model and this one, at a size where
    brush texture is visible."""
    idx = {s['id']: i for i, s in enumerate(styles)}
    cols = [('photo', None, None)]
    for sid in ids:
        if sid in idx:
            b = blend_vec(len(styles), [(idx[sid], 1.0)])
            cols += [(sid + ' before', before, b), (sid + ' after', after, b)]
    return grid_sheet(cols, photos, out_path, tile, font_size=11, max_name=40)


def flicker(net, b, x, sigma, seed):
    g = torch.Generator().manual_seed(seed)
    n1 = sigma * torch.randn(x.shape, generator=g)
    n2 = sigma * torch.randn(x.shape, generator=g)
    a, c = (x + n1).clamp(0, 1), (x + n2).clamp(0, 1)
    with torch.no_grad():
        return float((net(a, b) - net(c, b)).abs().mean() / (a - c).abs().mean())


def flicker_table(a, net, styles, photos, hold):
    """The stability ablation alone: mean flicker over the held-out photos, per style, for each model given."""
    models = [('model', net)]
    if a.ablation_ckpt:
        models.append(('without_stability', load_ckpt(a.ablation_ckpt)[0]))
    if a.ablation_ref_ckpt:
        models.append(('with_stability_same_step', load_ckpt(a.ablation_ref_ckpt)[0]))
    n = len(styles)
    res = dict(holdout_photos=hold, photo_long_side=a.size, noise_sigma=a.sigma,
               models=dict(model=a.ckpt or 'export', without_stability=a.ablation_ckpt, with_stability_same_step=a.ablation_ref_ckpt),
               per_style=[])
    for si, s in enumerate(styles):
        b = blend_vec(n, [(si, 1.0)])
        row = dict(id=s['id'])
        for name, m in models:
            row['flicker_' + name] = float(np.mean([flicker(m, b, p[None], a.sigma, 1000 + pi) for pi, p in enumerate(photos)]))
        res['per_style'].append(row)
        print(row, flush=True)
    for name, _ in models:
        res['mean_flicker_' + name] = float(np.mean([r['flicker_' + name] for r in res['per_style']]))
    with open(a.json, 'w') as f:
        json.dump(res, f, indent=1)
    print({k: v for k, v in res.items() if k.startswith('mean_')})
    print('wrote', a.json)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument('--ckpt', default='', help='training checkpoint; default: the exported model')
    ap.add_argument('--ablation-ckpt', default='', help='network trained without the stability term')
    ap.add_argument('--ablation-ref-ckpt', default='',
                    help='snapshot of the main run at the same step as --ablation-ckpt (fair flicker comparison)')
    ap.add_argument('--data', default=DEFAULT_DATA)
    ap.add_argument('--sheet', default=os.path.join(REPO, 'docs', 'style-net-contact-sheet.png'))
    ap.add_argument('--json', default=os.path.join(REPO, 'docs', 'style-net-eval.json'))
    ap.add_argument('--sheet-photos', type=int, default=5)
    ap.add_argument('--tile', type=int, default=144, help='contact sheet tile size (px)')
    ap.add_argument('--size', type=int, default=256, help='long side of evaluated photos')
    ap.add_argument('--sigma', type=float, default=0.02)
    ap.add_argument('--smooth', default='', help='smoothing for the style loss metric (default: from hparams)')
    ap.add_argument('--before-ckpt', default='', help='an earlier model: adds a before/after sheet at larger tiles')
    ap.add_argument('--before-sheet', default=os.path.join(REPO, 'docs', 'style-net-before-after.png'))
    ap.add_argument('--no-metrics', action='store_true')
    ap.add_argument('--flicker-only', action='store_true',
                    help='no sheet, no losses: flicker of the model, --ablation-ckpt and --ablation-ref-ckpt per style (the ablation)')
    ap.add_argument('--max-photos', type=int, default=0, help='metrics on the first N held-out photos only (smoke test)')
    ap.add_argument('--threads', type=int, default=2)
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)

    if a.ckpt:
        net, styles = load_ckpt(a.ckpt)
        hp = torch.load(a.ckpt, map_location='cpu').get('args') or {}
    else:
        net, styles, hp = load_export()
        hp = hp.get('hyperparameters', hp)
    hold = holdout_list(a.data)
    if a.max_photos:
        hold = hold[:a.max_photos]
    photos = [load_rgb01(os.path.join(a.data, f), max_side=a.size) for f in hold]
    n = len(styles)
    idx = {s['id']: i for i, s in enumerate(styles)}

    def pick(*ids):
        return [idx[i] for i in ids if i in idx]

    if a.flicker_only:
        flicker_table(a, net, styles, photos, hold)
        return

    blends = []
    for ids, nm in [(('starry_night', 'great_wave'), 'blend starry+wave'),
                    (('the_scream', 'woman_with_hat', 'composition_vii'), 'blend scream+matisse+kand.')]:
        ii = pick(*ids)
        if len(ii) >= 2:
            blends.append((nm, blend_vec(n, [(i, 1.0) for i in ii])))
    # sheet: pick photos of varied sources, first k
    step = max(1, len(photos) // a.sheet_photos)
    size = contact_sheet(net, styles, photos[::step][:a.sheet_photos], a.sheet, blends, tile=a.tile)
    print('sheet', a.sheet, size)
    if a.before_ckpt:
        size = before_after(load_ckpt(a.before_ckpt)[0], net, styles, photos[::step][:2], a.before_sheet,
                            ['starry_night', 'great_wave', 'composition_vii', 'the_scream'])
        print('before/after', a.before_sheet, size)
    if a.no_metrics:
        return

    from resnet_convert import load_cached
    from train import Losses
    smooth = a.smooth or hp.get('smooth', 'softmax')
    content_layer = hp.get('content_layer', 'res3')
    lossnet = load_cached()
    # Two style metrics, so that models trained with either style loss compare on both:
    #   gram:    mean over conv1/res2/res3 of the relative error of uncentered Gram matrices (the first loss);
    #   covmean: mean over conv1/res2/res3/res4 of relative error of channel covariance + of channel means.
    metrics = {
        'gram': Losses(lossnet, {'conv1': 1.0, 'res2': 1.0, 'res3': 1.0}, content_layer, smooth, 'gram'),
        'covmean': Losses(lossnet, {'conv1': 1.0, 'res2': 1.0, 'res3': 1.0, 'res4': 1.0}, 'res4', smooth, 'covmean'),
    }
    sizes = [int(s) for s in str(hp.get('style_sizes', '224,320')).split(',')]
    style_imgs = [[load_rgb01(os.path.join(a.data, s['file']), short_side=sz) for sz in sizes] for s in styles]
    targets = {m: L.style_targets(style_imgs) for m, L in metrics.items()}
    feats = metrics['covmean'].feats  # up to res4: covers every layer either metric needs
    abl = load_ckpt(a.ablation_ckpt)[0] if a.ablation_ckpt else None
    ref = load_ckpt(a.ablation_ref_ckpt)[0] if a.ablation_ref_ckpt else None

    def style_errors(f, si):
        out = {}
        for m, L in metrics.items():
            g = L.grams(f)
            out[m] = float(np.mean([float(L.layer_error(g[k], targets[m][k][si:si + 1]).mean()) for k in L.style_layers]))
        return out

    res = dict(holdout_photos=hold, photo_long_side=a.size, noise_sigma=a.sigma, style_metric_smoothing=smooth,
               trained_style_loss=dict(stat=hp.get('style_stat', 'gram'), layers=hp.get('style_layers')),
               content_layer=content_layer,
               definitions=dict(
                   style_loss_gram='mean over conv1, res2, res3 of ||G(y) - G_target||^2 / ||G_target||^2, G = uncentered Gram of ResNet50 features',
                   style_loss_covmean='mean over conv1, res2, res3, res4 of ||C(y) - C_t||^2/||C_t||^2 + ||m(y) - m_t||^2/||m_t||^2, C = channel covariance, m = channel means',
                   content_loss='||F(y) - F(x)||^2 / ||F(x)||^2 at the content layer',
                   flicker='mean|f(x+n1)-f(x+n2)| / mean|(x+n1)-(x+n2)|, n ~ N(0, sigma^2) independent'),
               per_style=[])
    with torch.no_grad():
        fx = [feats(p[None]) for p in photos]
        for si, s in enumerate(styles):
            b = blend_vec(n, [(si, 1.0)])
            sl, cl, fl, fla, flr = {m: [] for m in metrics}, [], [], [], []
            for pi, p in enumerate(photos):
                y = net(p[None], b)
                fy = feats(y)
                for m, v in style_errors(fy, si).items():
                    sl[m].append(v)
                c = fx[pi][content_layer]
                cl.append(float(((fy[content_layer] - c) ** 2).sum() / (c ** 2).sum()))
                fl.append(flicker(net, b, p[None], a.sigma, 1000 + pi))
                if abl is not None:
                    fla.append(flicker(abl, b, p[None], a.sigma, 1000 + pi))
                if ref is not None:
                    flr.append(flicker(ref, b, p[None], a.sigma, 1000 + pi))
            row = dict(id=s['id'], content_loss=float(np.mean(cl)), flicker=float(np.mean(fl)))
            for m in metrics:
                row['style_loss_' + m] = float(np.mean(sl[m]))
                # identity baseline: the photo itself as the output
                row['style_loss_' + m + '_photo'] = float(np.mean([style_errors(f, si)[m] for f in fx]))
            if fla:
                row['flicker_without_stability'] = float(np.mean(fla))
            if flr:
                row['flicker_with_stability_same_step'] = float(np.mean(flr))
            res['per_style'].append(row)
            print(row, flush=True)
    if abl is not None:
        res['ablation'] = dict(without_stability=os.path.relpath(a.ablation_ckpt, REPO),
                               without_stability_step=int(torch.load(a.ablation_ckpt, map_location='cpu')['step']),
                               with_stability_same_step=os.path.relpath(a.ablation_ref_ckpt, REPO) if ref is not None else None)
    for k in ('style_loss_gram', 'style_loss_gram_photo', 'style_loss_covmean', 'style_loss_covmean_photo', 'content_loss',
              'flicker', 'flicker_without_stability', 'flicker_with_stability_same_step'):
        vals = [r[k] for r in res['per_style'] if k in r]
        if vals:
            res['mean_' + k] = float(np.mean(vals))
    with open(a.json, 'w') as f:
        json.dump(res, f, indent=1)
    print('wrote', a.json)


if __name__ == '__main__':
    main()
