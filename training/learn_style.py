"""Learn a new style's conditional-instance-norm rows with the body frozen: the PyTorch twin of the
browser's style learner (src/lib/learn/learner.ts, session.ts). Same loss (version 2's training loss
through losses.py: covariance + means over conv1/res2/res3/res4 × 1, content res3, weights content 1 /
style 2 / tv 2), same content photos (static/learn/content, centre squares at the effort's size), same
start (a softmax over the twelve styles' style distances with temperature 0.1 × the smallest, on the
first two content photos), same Adam (epsilon 1e-7, tfjs's), same batches (photos in turn). Writes the
app's style file (src/lib/learn/style-file.ts), which the studio imports.

  OMP_NUM_THREADS=2 /usr/bin/python3 training/learn_style.py PICTURE --name "My painting" --effort good \
      --out my_painting.style.json

`--fixture` writes tests/fixtures/learn/twin.json instead: a tiny deterministic setting (synthetic
pictures, a few steps) that tests/unit/learn/twin.test.ts runs through the browser learner.
"""
import argparse
import base64
import io
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export import load_exported  # noqa: E402
from losses import content_loss, style_loss, style_stat, tv_loss  # noqa: E402
from resnet_convert import caffe_preprocess, load_cached  # noqa: E402
from stylenet import StyleNet  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONTENT_DIR = os.path.join(ROOT, 'static/learn/content')
# the order of src/lib/learn/content.ts
CONTENT = ['lomiri-wallpapers-16.04__picosdeeuropa_by_Aitzol_Berasategi', 'lomiri-wallpapers-16.04__Picture_1A_by_freespace',
           'lomiri-wallpapers-16.04__seeding_by_Clements_Engelhardt', 'lomiri-wallpapers-16.04__Bridge_by_Sander_Klootwijk',
           'lomiri-wallpapers-16.04__friends_by_Aitzol_Berasategi', 'opencv-doc__fruits']
PREVIEW = os.path.join(ROOT, 'static/learn/preview.jpg')
# learner.ts TRAINING_LOSS, in losses.py's layer names (the classifier's conv2..conv4 are res2..res4)
STYLE_LAYERS = {'conv1': 1.0, 'res2': 1.0, 'res3': 1.0, 'res4': 1.0}
CONTENT_LAYER = 'res3'
WEIGHTS = dict(content=1.0, style=2.0, tv=2.0)
STYLE_SIDES = [384, 512]
# src/lib/learn/efforts.ts
EFFORTS = {'quick': dict(size=128, steps=60, batch=1, lr=0.02),
           'good': dict(size=128, steps=200, batch=1, lr=0.01),
           'best': dict(size=160, steps=500, batch=1, lr=0.01)}
FORMAT = 'neural-style-studio/learned-style'


def js_round(v):
    return int(math.floor(v + 0.5))


def resize(x, h, w):
    """tf.image.resizeBilinear(…, alignCorners false, halfPixelCenters true) on [B, 3, H, W]."""
    return F.interpolate(x, size=(h, w), mode='bilinear', align_corners=False)


def at_short_side(img, short):
    h, w = img.shape[-2:]
    s = short / min(h, w)
    return resize(img[None], max(1, js_round(h * s)), max(1, js_round(w * s)))


def square_crop(img, size):
    h, w = img.shape[-2:]
    s = min(h, w)
    top, left = (h - s) // 2, (w - s) // 2
    return resize(img[None, :, top:top + s, left:left + s], size, size)[0]


class RowNet(torch.nn.Module):
    """The exported network's body (frozen) with ONE style whose γ/β are the learnable row."""

    def __init__(self, net, init_row):
        super().__init__()
        self.net = StyleNet(1, net.spec)
        self.net.convs.load_state_dict(net.convs.state_dict())
        for p in self.net.convs.parameters():
            p.requires_grad_(False)
        self.cin = [o for o in net.spec if o['op'] == 'cin']
        self.set_row(init_row)

    def set_row(self, row):
        col = 0
        with torch.no_grad():
            for o in self.cin:
                c = o['channels']
                self.net.gammas[o['name']].copy_(torch.as_tensor(row[col:col + c]).view(1, c))
                self.net.betas[o['name']].copy_(torch.as_tensor(row[col + c:col + 2 * c]).view(1, c))
                col += 2 * c

    def row(self):
        return torch.cat([torch.cat([self.net.gammas[o['name']][0], self.net.betas[o['name']][0]]) for o in self.cin]).detach()

    def params(self):
        return [p for o in self.cin for p in (self.net.gammas[o['name']], self.net.betas[o['name']])]

    def forward(self, x):
        return self.net(x, torch.ones(x.shape[0], 1, dtype=x.dtype))


def table_rows(net):
    """The cinTable: [n_styles, width], each cin op's γ columns then its β columns (forward.ts buildParams)."""
    return torch.cat([torch.cat([net.gammas[o['name']], net.betas[o['name']]], 1) for o in net.spec if o['op'] == 'cin'], 1).detach()


def feats_of(lossnet, x01):
    return lossnet.features(caffe_preprocess(x01), 'res4')


def style_targets(lossnet, style_img, style_sides=STYLE_SIDES):
    """The picture's statistics per style layer at each short side, averaged (learner.ts styleTargets)."""
    with torch.no_grad():
        per = [feats_of(lossnet, at_short_side(style_img, s)) for s in style_sides]
        return {k: sum(style_stat(f[k], 'covmean', 'none') for f in per) / len(per) for k in STYLE_LAYERS}


def style_loss_to(lossnet, y, targets):
    """The learner's style loss (unweighted) of the pictures y [B, 3, H, W] to the targets, per picture."""
    with torch.no_grad():
        return style_loss(feats_of(lossnet, y), targets, STYLE_LAYERS, 'covmean', 'none')


class Problem:
    def __init__(self, lossnet, style_img, contents, style_sides):
        self.lossnet = lossnet
        self.contents = contents
        self.targets = style_targets(lossnet, style_img, style_sides)
        with torch.no_grad():
            self.content_feats = self.feats(contents)[CONTENT_LAYER]

    def feats(self, x01):
        return feats_of(self.lossnet, x01)

    def parts(self, y, fx):
        f = self.feats(y)
        c = content_loss(f[CONTENT_LAYER], fx).mean()
        s = style_loss(f, self.targets, STYLE_LAYERS, 'covmean', 'none').mean()
        return c, s, tv_loss(y)

    def loss(self, y, fx):
        c, s, t = self.parts(y, fx)
        return WEIGHTS['content'] * c + WEIGHTS['style'] * s + WEIGHTS['tv'] * t


def blend_from_distances(d, sharpness=0.1):
    d = np.asarray(d, dtype=np.float64)
    t = max(1e-9, sharpness * d.min())
    e = np.exp(-(d - d.min()) / t)
    return e / e.sum()


def learn(net, lossnet, style_img, contents, size, steps, batch, lr, style_sides=STYLE_SIDES, log=None, start=None):
    """Returns (row, losses per step, guess blend, distances, style loss of guess and of the result).
    start: the index of a built-in style to start from instead of the best guess (the guess is still
    computed and returned; s_guess is then the start row's style loss)."""
    cont = torch.stack([square_crop(c, size) for c in contents])
    prob = Problem(lossnet, style_img, cont, style_sides)
    table = table_rows(net)
    k = min(2, cont.shape[0])
    dist = []
    rn = RowNet(net, table[0])
    with torch.no_grad():
        for i in range(table.shape[0]):
            rn.set_row(table[i])
            f = prob.feats(rn(cont[:k]))
            dist.append(float(style_loss(f, prob.targets, STYLE_LAYERS, 'covmean', 'none').mean()))
    guess = blend_from_distances(dist)
    init = (torch.from_numpy(guess.astype(np.float32))[None] @ table)[0] if start is None else table[start].clone()
    rn.set_row(init)
    with torch.no_grad():
        s_guess = float(prob.parts(rn(cont), prob.content_feats)[1])
    # the gradient at the start on the first photo (the fixture compares it with the browser's)
    loss0 = prob.loss(rn(cont[:1]), prob.content_feats[:1])
    gs = torch.autograd.grad(loss0, rn.params())
    learn.grad0 = torch.cat([g[0] for g in gs])  # params() is γ, β of each cin op in turn: the row's layout
    opt = torch.optim.Adam(rn.params(), lr=lr, eps=1e-7)
    n = cont.shape[0]
    losses = []
    for step in range(steps):
        idx = list(range(n)) if batch >= n else [(step * batch + i) % n for i in range(batch)]
        opt.zero_grad()
        loss = prob.loss(rn(cont[idx]), prob.content_feats[idx])
        loss.backward()
        opt.step()
        losses.append(float(loss))
        if log and (step % 10 == 0 or step == steps - 1):
            log('step %d/%d loss %.4f' % (step + 1, steps, losses[-1]))
    with torch.no_grad():
        s_learned = float(prob.parts(rn(cont), prob.content_feats)[1])
    learn.init = init  # the start row, for the fixture
    return rn.row(), losses, guess, dist, s_guess, s_learned, rn


def load_picture(path, max_side=768):
    from PIL import Image
    im = Image.open(path).convert('RGB')
    if max(im.size) > max_side:
        s = max_side / max(im.size)
        im = im.resize((max(1, js_round(im.size[0] * s)), max(1, js_round(im.size[1] * s))), Image.BILINEAR)
    return torch.from_numpy(np.asarray(im, dtype=np.float32) / 255.0).permute(2, 0, 1).contiguous()


def thumbnail(rn):
    from PIL import Image
    with torch.no_grad():
        y = rn(load_picture(PREVIEW)[None])[0].clamp(0, 1)
    buf = io.BytesIO()
    Image.fromarray((y.permute(1, 2, 0).numpy() * 255 + 0.5).astype(np.uint8)).save(buf, format='PNG')
    return 'data:image/png;base64,' + base64.b64encode(buf.getvalue()).decode()


def fixture(out):
    """A tiny deterministic setting, pictures as numbers (no JPEG decoder in the comparison)."""
    g = torch.Generator().manual_seed(0)
    yy, xx = torch.meshgrid(torch.arange(40.), torch.arange(48.), indexing='ij')
    style = torch.stack([torch.sigmoid(4 * torch.sin(0.9 * yy + 0.4 * xx)), torch.sigmoid(2 * torch.cos(0.5 * xx)),
                         torch.sigmoid(3 * torch.sin(0.3 * yy * xx / 40))])
    style = (style * 255).round() / 255
    contents = [(torch.rand(3, 36, 40, generator=g) * 255).round() / 255 for _ in range(2)]
    contents = [F.avg_pool2d(c[None], 3, 1, 1)[0] for c in contents]  # smooth, photo-like
    contents = [(c * 255).round() / 255 for c in contents]
    net, _, _ = load_exported()
    lossnet = load_cached()
    cfg = dict(size=32, steps=4, batch=1, lr=0.01, style_sides=[40])
    row, losses, guess, dist, s_guess, s_learned, rn = learn(net, lossnet, style, contents, cfg['size'], cfg['steps'], cfg['batch'], cfg['lr'], cfg['style_sides'])
    # the stylized content crops with the learned row and with the start row (the outputs the test compares)
    cont = torch.stack([square_crop(c, cfg['size']) for c in contents])
    with torch.no_grad():
        out_learned = rn(cont).clamp(0, 1)
        rn.set_row(learn.init)
        out_init = rn(cont).clamp(0, 1)
    nhwc = lambda t: [round(v, 5) for v in t.permute(0, 2, 3, 1).reshape(-1).tolist()]
    pic = lambda t: dict(shape=[t.shape[1], t.shape[2], 3], data=(t.permute(1, 2, 0).reshape(-1) * 255).round().int().tolist())
    fx = dict(settings=cfg, style=pic(style), contents=[pic(c) for c in contents], distances=dist, guess=guess.tolist(),
              losses=losses, styleLossGuess=s_guess, styleLossLearned=s_learned, init=learn.init.tolist(), grad0=learn.grad0.tolist(), row=row.tolist(),
              outputs=dict(shape=list(out_learned.permute(0, 2, 3, 1).shape), learned=nhwc(out_learned), init=nhwc(out_init)))
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, 'w') as f:
        json.dump(fx, f)
    print('wrote %s: losses %s' % (out, ['%.5f' % v for v in losses]))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('picture', nargs='?')
    ap.add_argument('--name', default='')
    ap.add_argument('--effort', default='good', choices=sorted(EFFORTS))
    ap.add_argument('--steps', type=int, default=0, help='instead of the effort preset')
    ap.add_argument('--out', default='')
    ap.add_argument('--fixture', action='store_true', help='write tests/fixtures/learn/twin.json')
    ap.add_argument('--start', default='', help='a built-in style id to start from instead of the best guess (re-learning it)')
    ap.add_argument('--ckpt-out', default='', help='with --start: also a checkpoint of the network with that style\'s row '
                    'replaced by the learned one (for training/judge.py --model NAME=PATH)')
    ap.add_argument('--threads', type=int, default=2)
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    if a.fixture:
        return fixture(os.path.join(ROOT, 'tests/fixtures/learn/twin.json'))
    if not a.picture:
        ap.error('a picture is needed (or --fixture)')
    e = dict(EFFORTS[a.effort])
    if a.steps:
        e['steps'] = a.steps
    net, styles, _ = load_exported()
    with open(os.path.join(ROOT, 'static/models/style-net/manifest.json')) as f:
        version = json.load(f)['version']
    lossnet = load_cached()
    contents = [load_picture(os.path.join(CONTENT_DIR, c + '.jpg')) for c in CONTENT]
    start = [s['id'] for s in styles].index(a.start) if a.start else None
    t0 = time.time()
    row, losses, guess, dist, s_guess, s_learned, rn = learn(net, lossnet, load_picture(a.picture), contents, e['size'], e['steps'], e['batch'], e['lr'], log=print, start=start)
    name = a.name or os.path.splitext(os.path.basename(a.picture))[0].replace('_', ' ')[:40]
    out = a.out or os.path.splitext(a.picture)[0] + '.style.json'
    doc = dict(format=FORMAT, formatVersion=1, name=name, networkVersion=version, row=[float(np.float32(v)) for v in row.numpy()],
               thumbnail=thumbnail(rn), createdAt=int(time.time() * 1000), madeBy='training/learn_style.py')
    with open(out, 'w') as f:
        json.dump(doc, f)
    if a.ckpt_out and start is not None:
        col = 0
        with torch.no_grad():
            for o in net.spec:
                if o['op'] == 'cin':
                    c = o['channels']
                    net.gammas[o['name']][start] = row[col:col + c]
                    net.betas[o['name']][start] = row[col + c:col + 2 * c]
                    col += 2 * c
        assert torch.equal(table_rows(net)[start], row)
        # export.py --ckpt reads step, elapsed and args beside the weights
        torch.save(dict(styles=styles, spec=net.spec, model=net.state_dict(), step=0, elapsed=0.0,
                        args=dict(relearned_row=a.start, effort=a.effort, steps=e['steps'], picture=os.path.basename(a.picture))), a.ckpt_out)
        print('wrote %s (style %s re-learned)' % (a.ckpt_out, a.start))
    print('%s: %d steps in %.0f s, style loss %.4f (best guess) -> %.4f; nearest %s' % (
        out, e['steps'], time.time() - t0, s_guess, s_learned, int(np.argmin(dist))))


if __name__ == '__main__':
    main()
