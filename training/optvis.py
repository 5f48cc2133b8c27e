"""Optimisation in pixel space on the converted Keras ResNet50: Gatys style transfer and DeepDream.
The PyTorch twin of the browser's snapshot lab (src/lib/optvis/), using the loss math of losses.py
only (twin: src/lib/optvis/objectives.ts).

  # one stylization / one dream (writes PNGs)
  OMP_NUM_THREADS=2 /usr/bin/python3 training/optvis.py gatys --content content/debian/darknet__dog.jpg \
      --style styles/great_wave.jpg --out /tmp/gatys.png
  OMP_NUM_THREADS=2 /usr/bin/python3 training/optvis.py dream --content content/debian/palapeli-data__castle-maintenon.jpg \
      --out docs/lab-deepdream-python.png
  # the comparison behind docs/lab-gatys.md (plain Gram vs covariance+means vs SWAG, ...)
  nice -n 10 env OMP_NUM_THREADS=2 /usr/bin/python3 training/optvis.py compare --size 192 --steps 60 \
      --out docs/lab-gatys-comparison.png

Network: Keras ResNet50, caffe preprocessing (RGB in [0,1] -> BGR x255 minus the ImageNet mean),
frozen. Taps (Python name = TypeScript name): conv1 = conv1 (the relu after bn_conv1), res2 = conv2,
res3 = conv3, res4 = conv4, res5 = conv5 (the relu output of each stage's last block).

Gatys (the algorithm, exactly; the TypeScript twin follows it step for step):
  - variable x: the pixel image, RGB in [0,1], [1,3,H,W]; initialised from the content photo
    (init='content') or uniform noise in [0,1] (init='noise', seeded);
  - style targets: the painting resized so its SHORT side = style_scale x the content's short side
    (a smooth image resize, not part of the parity), target_l = stat(smooth(feats(painting)[l])) for
    every style layer l, computed once, no gradient;
  - content target: feats(content)[content_layer], once, no gradient;
  - loss(x) = content_weight * content_loss(feats(x)[content_layer], content target)
            + style_weight * style_loss(feats(x), targets, style_layers, stat, smooth)
            + tv_weight * tv_loss(x)                   (losses.py; batch of 1, so per-sample = scalar)
  - optimiser: Adam(lr, beta1 0.9, beta2 0.999, eps 1e-8) over x; after each step x = clamp(x, 0, 1);
  - `steps` steps. Loss and gradients in float32.

DeepDream (exactly):
  - layer L, octaves n (3), octave_scale 1.4, steps_per_octave, step size lr, jitter J pixels, seed;
  - octave sizes: size_k = (round(H / 1.4^k), round(W / 1.4^k)) for k = n-1 ... 0 (smallest first);
  - resize = bilinear, align_corners=False (= tf.image.resizeBilinear(alignCorners=false,
    halfPixelCenters=true)), no antialiasing;
  - img = resize(photo, size_{n-1}); at each octave k (from the smallest): if not the first octave,
    img = resize(img, size_k) + (resize(photo, size_k) - resize(resize(photo, size_{k+1}), size_k))
    (the detail the previous, smaller octave lacked; size_{k+1} = the previous octave's size);
    then steps_per_octave times:
      (ox, oy) = two integers uniform in [-J, J] (torch.Generator seeded with `seed`, drawn as
                 torch.randint(-J, J+1, (2,)), ox for W, oy for H), shifted = torch.roll(img, (oy, ox), (H, W));
      g = d activation_power(feats(shifted)[L]) / d shifted, rolled back by (-oy, -ox);
      img = clamp(img + lr * g / (mean(|g|) + 1e-8), 0, 1).
  - the result is img at the full size (octave 0).
"""
import argparse
import copy
import hashlib
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import losses as L  # noqa: E402
from data import DEFAULT_DATA, load_rgb01  # noqa: E402
from resnet_convert import caffe_preprocess, load_cached  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
ORDER = ['conv1', 'res2', 'res3', 'res4', 'res5']
TS_NAME = {'conv1': 'conv1', 'res2': 'conv2', 'res3': 'conv3', 'res4': 'conv4', 'res5': 'conv5'}

# The chosen recipes (docs/lab-gatys.md says how they were chosen).
GATYS_DEFAULTS = dict(
    style_layers={'conv1': 1.0, 'res2': 1.0, 'res3': 1.0, 'res4': 1.0},
    content_layer='res4', stat='covmean', smooth='none',
    content_weight=1.0, style_weight=2.5, tv_weight=1.0,
    lr=0.02, steps=150, style_scale=1.0, init='content', seed=0)
DREAM_DEFAULTS = dict(layer='res4', octaves=3, octave_scale=1.4, steps_per_octave=12, lr=0.015, jitter=16, seed=0)


def parse_layers(s):
    """'conv1:1,res2:0.5' -> {'conv1': 1.0, 'res2': 0.5}"""
    return {k: float(v) for k, v in (p.split(':') for p in s.split(',') if p)}


def fold_bn(net):
    """The same network with every frozen BatchNorm folded into the conv before it (w * scale,
    b * scale + shift): the same function up to float rounding, ~25 % faster on the CPU."""
    net = copy.deepcopy(net)
    pairs = [(net, 'conv1', 'bn_conv1')]
    for blocks in net.stages.values():
        for blk in blocks:
            pairs += [(blk, c, 'bn_' + c) for c in ('a', 'b', 'c', 'short') if getattr(blk, c) is not None]
    with torch.no_grad():
        for mod, cname, bname in pairs:
            conv, bn = getattr(mod, cname), getattr(mod, bname)
            scale = bn.gamma / torch.sqrt(bn.moving_variance + bn.eps)
            shift = bn.beta - bn.moving_mean * scale
            conv.weight.mul_(scale.view(-1, 1, 1, 1))
            conv.bias.copy_(conv.bias * scale + shift)
            setattr(mod, bname, torch.nn.Identity())
    return net


class Net:
    """The frozen ResNet50 taking RGB [0,1] NCHW pictures (BatchNorm folded into the convs unless fold=False)."""

    def __init__(self, net=None, fold=True):
        net = net if net is not None else load_cached()
        self.net = fold_bn(net) if fold else net

    def feats(self, x01, upto):
        return self.net.features(caffe_preprocess(x01), upto)


def resize(img, hw):
    return F.interpolate(img, size=tuple(int(v) for v in hw), mode='bilinear', align_corners=False)


def load_style(path, content_hw, style_scale):
    """The painting with its short side = style_scale x the content's short side (PIL bicubic)."""
    return load_rgb01(path, short_side=max(16, round(style_scale * min(content_hw))))[None]


def style_targets(net, style_img, layers, stat, smooth):
    upto = max(layers, key=ORDER.index)
    with torch.no_grad():
        f = net.feats(style_img, upto)
        return {k: L.style_stat(f[k], stat, smooth) for k in layers}


def gatys(net, content, targets, style_layers, content_layer, stat, smooth, content_weight, style_weight,
          tv_weight, lr, steps, init='content', seed=0, callback=None, **_):
    """content: [1,3,H,W] in [0,1]; targets: from style_targets(). Returns x [1,3,H,W] in [0,1]."""
    upto = max(list(style_layers) + [content_layer], key=ORDER.index)
    with torch.no_grad():
        fc = net.feats(content, upto)[content_layer]
    if init == 'noise':
        g = torch.Generator().manual_seed(seed)
        x = torch.rand(content.shape, generator=g)
    else:
        x = content.clone()
    x.requires_grad_(True)
    opt = torch.optim.Adam([x], lr=lr, betas=(0.9, 0.999), eps=1e-8)
    for i in range(steps):
        f = net.feats(x, upto)
        c = L.content_loss(f[content_layer], fc).mean()
        s = L.style_loss(f, targets, style_layers, stat, smooth).mean()
        tv = L.tv_loss(x)
        loss = content_weight * c + style_weight * s + tv_weight * tv
        opt.zero_grad()
        loss.backward()
        opt.step()
        with torch.no_grad():
            x.clamp_(0, 1)
        if callback:
            callback(i, dict(total=float(loss), content=float(c), style=float(s), tv=float(tv)))
    return x.detach()


def octave_sizes(hw, octaves, octave_scale):
    """Smallest first: (round(H / s^k), round(W / s^k)) for k = octaves-1 ... 0."""
    return [tuple(int(round(v / octave_scale ** k)) for v in hw) for k in range(octaves - 1, -1, -1)]


def deepdream(net, photo, layer, octaves=3, octave_scale=1.4, steps_per_octave=12, lr=0.015, jitter=16, seed=0,
              callback=None, **_):
    """photo: [1,3,H,W] in [0,1]. Returns the dreamt image, same size."""
    gen = torch.Generator().manual_seed(seed)
    sizes = octave_sizes(photo.shape[2:], octaves, octave_scale)
    img = resize(photo, sizes[0])
    for o, hw in enumerate(sizes):
        if o > 0:
            detail = resize(photo, hw) - resize(resize(photo, sizes[o - 1]), hw)
            img = resize(img, hw) + detail
        for i in range(steps_per_octave):
            ox, oy = (int(v) for v in torch.randint(-jitter, jitter + 1, (2,), generator=gen))
            shifted = torch.roll(img, (oy, ox), (2, 3)).requires_grad_(True)
            obj = L.activation_power(net.feats(shifted, layer)[layer])
            g, = torch.autograd.grad(obj, shifted)
            g = torch.roll(g, (-oy, -ox), (2, 3))
            img = (img + lr * g / (g.abs().mean() + 1e-8)).clamp(0, 1)
            if callback:
                callback(o, i, float(obj))
    return img.detach()


# ---------------------------------------------------------------------------------------------------
# images


def to_pil(x):
    a = (x[0].permute(1, 2, 0).clamp(0, 1).numpy() * 255 + 0.5).astype(np.uint8)
    return Image.fromarray(a)


def load_content(path, long_side):
    im = Image.open(path).convert('RGB')
    s = long_side / max(im.size)
    im = im.resize((max(1, round(im.size[0] * s)), max(1, round(im.size[1] * s))), Image.BICUBIC)
    return torch.from_numpy(np.asarray(im, dtype=np.float32) / 255.0).permute(2, 0, 1)[None].contiguous()


def load_square(path, size):
    """Center crop to a square, then resize to size x size (PIL bicubic)."""
    im = Image.open(path).convert('RGB')
    s = min(im.size)
    l, t = (im.size[0] - s) // 2, (im.size[1] - s) // 2
    im = im.crop((l, t, l + s, t + s)).resize((size, size), Image.BICUBIC)
    return torch.from_numpy(np.asarray(im, dtype=np.float32) / 255.0).permute(2, 0, 1)[None].contiguous()


def fit_cell(im, cell):
    """Letterbox a PIL image into a cell x cell square (white background)."""
    im = im.copy()
    im.thumbnail((cell, cell), Image.LANCZOS)
    out = Image.new('RGB', (cell, cell), (255, 255, 255))
    out.paste(im, ((cell - im.size[0]) // 2, (cell - im.size[1]) // 2))
    return out


def font(size):
    for p in ('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',):
        if os.path.exists(p):
            return ImageFont.truetype(p, size)
    return ImageFont.load_default()


def grid(rows, col_labels, row_labels, cell, out, quantize=True):
    """rows: list of lists of PIL images. Labels above the columns and left of the rows."""
    top, left, pad = 20, 18, 2
    W = left + len(col_labels) * (cell + pad)
    H = top + len(rows) * (cell + pad)
    sheet = Image.new('RGB', (W, H), (255, 255, 255))
    d = ImageDraw.Draw(sheet)
    fnt = font(12)
    for j, lab in enumerate(col_labels):
        d.text((left + j * (cell + pad) + 3, 3), lab, fill=(0, 0, 0), font=fnt)
    for i, row in enumerate(rows):
        y = top + i * (cell + pad)
        lab = Image.new('RGB', (cell, left), (255, 255, 255))
        ImageDraw.Draw(lab).text((3, 2), row_labels[i], fill=(0, 0, 0), font=fnt)
        sheet.paste(lab.rotate(90, expand=True), (0, y))
        for j, im in enumerate(row):
            sheet.paste(fit_cell(im, cell), (left + j * (cell + pad), y))
    if quantize:  # 256 colours: a third of the bytes, no visible change at this cell size
        sheet = sheet.quantize(colors=256, method=Image.MEDIANCUT, dither=Image.NONE)
    sheet.save(out, optimize=True)
    return os.path.getsize(out)


# ---------------------------------------------------------------------------------------------------
# measuring a stylization with statistics other than the one optimised


METRIC_LAYERS = ['conv1', 'res2', 'res3', 'res4']


def measure(net, x, style_img, content):
    """Per layer, plain (unsmoothed) Gram error and covariance / means errors against the painting,
    the SWAG Gram error, and the content error at res3 and res4."""
    with torch.no_grad():
        fx = net.feats(x, 'res4')
        fs = net.feats(style_img, 'res4')
        fc = net.feats(content, 'res4')
        out = {}
        for k in METRIC_LAYERS:
            c = fx[k].shape[1]
            cx, cs = L.cov_mean(fx[k]), L.cov_mean(fs[k])
            out['gram_' + k] = float(L.style_layer_error(L.gram(fx[k]), L.gram(fs[k]), 'gram'))
            out['cov_' + k] = float(L.relative_mse(cx[..., :c], cs[..., :c], (1, 2)))
            out['mean_' + k] = float(L.relative_mse(cx[..., c:], cs[..., c:], (1, 2)))
            out['swag_' + k] = float(L.style_layer_error(L.style_stat(fx[k], 'gram', 'softmax'),
                                                         L.style_stat(fs[k], 'gram', 'softmax'), 'gram'))
        for k in ('res3', 'res4'):
            out['content_' + k] = float(L.content_loss(fx[k], fc[k]))
    return out


VARIANTS = {
    # name: overrides of the base recipe (GATYS_DEFAULTS + flags)
    'gram': dict(stat='gram', smooth='none', style_weight=5.0),
    'covmean5': dict(stat='covmean', smooth='none', style_weight=5.0),
    'covmean': dict(stat='covmean', smooth='none', style_weight=2.5),  # the chosen recipe
    # channel-softmax Gram matrices are nearly constant (1/C per channel): their relative errors are
    # 10-100x smaller, so the style weight is raised to give the style term the same start value
    'swag': dict(stat='gram', smooth='softmax', style_weight=100.0),
    'swag_cov': dict(stat='covmean', smooth='softmax', style_weight=5.0),
}


def run_gatys(net, content, style_path, recipe, log_every=0):
    style_img = load_style(style_path, content.shape[2:], recipe['style_scale'])
    t = style_targets(net, style_img, recipe['style_layers'], recipe['stat'], recipe['smooth'])
    cb = None
    if log_every:
        def cb(i, parts):
            if (i + 1) % log_every == 0:
                print('   step %d %s' % (i + 1, ' '.join('%s %.4f' % kv for kv in parts.items())), flush=True)
    t0 = time.time()
    x = gatys(net, content, t, callback=cb, **recipe)
    return x, time.time() - t0, style_img


def cmd_gatys(a, net):
    recipe = recipe_from_args(a)
    content = load_content(os.path.join(a.data, a.content), a.size)
    x, dt, style_img = run_gatys(net, content, os.path.join(a.data, a.style), recipe, log_every=10)
    to_pil(x).save(a.out)
    m = measure(net, x, style_img, content)
    print(json.dumps(dict(recipe=recipe, seconds=round(dt, 1), s_per_step=round(dt / recipe['steps'], 3),
                          metrics={k: round(v, 4) for k, v in m.items()})))


def cmd_dream(a, net):
    photo = load_content(os.path.join(a.data, a.content), a.size)
    p = dict(DREAM_DEFAULTS, layer=a.layer or DREAM_DEFAULTS['layer'])
    for k in ('octaves', 'steps_per_octave', 'lr', 'jitter', 'octave_scale'):
        if getattr(a, k) is not None:
            p[k] = getattr(a, k)
    t0 = time.time()
    y = deepdream(net, photo, **p)
    dt = time.time() - t0
    to_pil(y).save(a.out, optimize=True)
    print(json.dumps(dict(params=p, size=list(photo.shape[2:]), seconds=round(dt, 1), bytes=os.path.getsize(a.out))))


def recipe_from_args(a):
    r = dict(GATYS_DEFAULTS)
    if a.style_layers:
        r['style_layers'] = parse_layers(a.style_layers)
    for k in ('content_layer', 'stat', 'smooth', 'content_weight', 'style_weight', 'tv_weight', 'lr', 'steps',
              'style_scale', 'init', 'seed'):
        v = getattr(a, k, None)
        if v is not None:
            r[k] = v
    return r


def cmd_compare(a, net):
    """Rows = paintings, columns = photo | painting | one stylization per variant; writes the grid, and
    the metrics (JSON) to the cache folder."""
    base = recipe_from_args(a)
    photos = a.photos.split(',')
    styles = a.styles.split(',')
    variants = a.variants.split(',')
    rows, labels, results = [], [], []
    for si, st in enumerate(styles):
        ph = photos[si % len(photos)]
        content = load_content(os.path.join(a.data, ph), a.size)
        style_path = os.path.join(a.data, 'styles', st + '.jpg')
        row = [to_pil(content), Image.open(style_path).convert('RGB')]
        for v in variants:
            recipe = dict(base, **VARIANTS[v])
            key = hashlib.sha1(json.dumps([recipe, ph, st, a.size], sort_keys=True).encode()).hexdigest()[:16]
            cached = os.path.join(a.cache, key + '.pt') if a.cache else ''
            if cached and os.path.exists(cached):  # a result from an earlier call (same recipe, photo, painting)
                d = torch.load(cached)
                x, dt, m = d['x'], d['seconds'], d['metrics']
            else:
                x, dt, style_img = run_gatys(net, content, style_path, recipe)
                m = measure(net, x, style_img, content)
                if cached:
                    os.makedirs(a.cache, exist_ok=True)
                    torch.save(dict(x=x, seconds=dt, metrics=m, recipe=recipe), cached)
            results.append(dict(style=st, photo=ph, variant=v, recipe=recipe, seconds=round(dt, 1), metrics=m))
            print('%-14s %-8s %5.1fs  gram_res4 %.3f cov_res4 %.3f mean_res4 %.3f swag_res3 %.3f content_res4 %.3f' % (
                st, v, dt, m['gram_res4'], m['cov_res4'], m['mean_res4'], m['swag_res3'], m['content_res4']), flush=True)
            row.append(to_pil(x))
        rows.append(row)
        labels.append(st.replace('_', ' '))
    size = grid(rows, ['photo', 'painting'] + [VARIANT_LABEL.get(v, v) for v in variants], labels, a.cell, a.out)
    meta = os.path.join(a.cache or '/tmp', os.path.splitext(os.path.basename(a.out))[0] + '.json')
    os.makedirs(os.path.dirname(meta), exist_ok=True)
    with open(meta, 'w') as f:
        json.dump(dict(recipe=base, variants={v: VARIANTS[v] for v in variants}, results=results), f, indent=1)
    print('wrote', a.out, size, 'bytes; metrics', meta)


VARIANT_LABEL = {'gram': 'plain Gram, sw 5', 'covmean5': 'cov+means, sw 5', 'covmean': 'cov+means, sw 2.5',
                 'swag': 'SWAG Gram, sw 100', 'swag_cov': 'SWAG cov+means'}


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument('mode', choices=['gatys', 'dream', 'compare'])
    ap.add_argument('--data', default=DEFAULT_DATA)
    ap.add_argument('--content', default='content/debian/darknet__dog.jpg')
    ap.add_argument('--style', default='styles/great_wave.jpg')
    ap.add_argument('--out', default='/tmp/optvis.png')
    ap.add_argument('--size', type=int, default=256, help='long side of the content photo')
    ap.add_argument('--threads', type=int, default=2)
    # gatys
    ap.add_argument('--style-layers', default='')
    ap.add_argument('--content-layer')
    ap.add_argument('--stat', choices=['gram', 'covmean'])
    ap.add_argument('--smooth', choices=['none', 'softmax'])
    ap.add_argument('--content-weight', type=float)
    ap.add_argument('--style-weight', type=float)
    ap.add_argument('--tv-weight', type=float)
    ap.add_argument('--lr', type=float)
    ap.add_argument('--steps', type=int)
    ap.add_argument('--style-scale', type=float)
    ap.add_argument('--init', choices=['content', 'noise'])
    ap.add_argument('--seed', type=int)
    # compare
    ap.add_argument('--photos', default='content/debian/palapeli-data__castle-maintenon.jpg,'
                                        'content/debian/python-matplotlib-data__grace_hopper.jpg,content/debian/darknet__dog.jpg')
    ap.add_argument('--styles', default='great_wave,the_scream,udnie', help='one row each; photo i for painting i')
    ap.add_argument('--variants', default='gram,covmean5,covmean,swag')
    ap.add_argument('--cell', type=int, default=192)
    ap.add_argument('--cache', default=os.path.join(HERE, 'cache', 'optvis'), help='results kept per recipe (empty: off)')
    # dream
    ap.add_argument('--layer')
    ap.add_argument('--octaves', type=int)
    ap.add_argument('--octave-scale', type=float)
    ap.add_argument('--steps-per-octave', type=int)
    ap.add_argument('--jitter', type=int)
    ap.add_argument('--product', default='conv', choices=['conv', 'matmul'], help='losses.PRODUCT (same math)')
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    L.PRODUCT = a.product
    net = Net()
    if a.mode == 'gatys':
        cmd_gatys(a, net)
    elif a.mode == 'dream':
        cmd_dream(a, net)
    else:
        cmd_compare(a, net)


if __name__ == '__main__':
    main()
