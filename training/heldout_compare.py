"""A learned style against the alternatives, on style images the network never saw
(../shared/data/styles-heldout; evaluation only: neither they nor a picture showing them is committed).

For each held-out picture:
  (a) learned: the rows learned by training/learn_style.py (the PyTorch twin of the browser's learner; same
      loss, start, Adam and content photos, tests/unit/learn/twin.test.ts) at an effort preset;
  (b) nearest: the nearest of the twelve built-in styles (the smallest style distance the learner's start
      computes: its outputs' style loss on two content photos);
  (c) Gatys: training/optvis.py's Gatys (the spec the lab follows step for step) at the lab's defaults
      (src/lib/optvis/catalogue/gatys.ts: 256 px long side, 100 steps, lr 0.02, content res4, style 2.5, tv 1).
Each is applied to the same held-out content photos (training/holdout.txt) at 256 px long side and scored by
the learner's own style loss (covariance + means, conv1..res4, targets at short side 384 and 512, averaged;
learn_style.style_loss_to) against the held-out picture, and by the content loss at res3 against the photo.
Writes a JSON (--json) and a contact sheet of the outputs only (--sheet, JPEG). Outputs are cached per picture
in training/cache/heldout/ (git-ignored), so an interrupted run goes on and --sheet-only redraws the sheet.

  nice -n 10 env OMP_NUM_THREADS=2 /usr/bin/python3 -u training/heldout_compare.py --effort quick \\
      --json bench/results/learn-heldout.json --sheet docs/learn-heldout-sheet.jpg
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
from PIL import Image, ImageDraw

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import learn_style as LS  # noqa: E402
from data import DEFAULT_DATA  # noqa: E402
from exported import load_exported  # noqa: E402
from losses import content_loss  # noqa: E402
from optvis import GATYS_DEFAULTS, Net, gatys, load_content, load_style, style_targets as gatys_targets, to_pil  # noqa: E402
from resnet_convert import load_cached  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CACHE = os.path.join(HERE, 'cache', 'heldout')
# three held-out content photos of training/holdout.txt: an animal, a building, a portrait
PHOTOS = ['content/debian/darknet__giraffe.jpg', 'content/debian/opencv-doc__building.jpg',
          'content/debian/python-matplotlib-data__grace_hopper.jpg']
# the lab's Gatys (catalogue/gatys.ts defaults): optvis.py's recipe, 100 steps, at 256 px long side
LAB_GATYS = dict(GATYS_DEFAULTS, steps=100)
LAB_SIZE = 256
METHODS = ['learned', 'nearest', 'gatys']


def content_res3(lossnet, y, photo):
    with torch.no_grad():
        return float(content_loss(LS.feats_of(lossnet, y)['res3'], LS.feats_of(lossnet, photo)['res3']).mean())


def run_one(path, effort, net, styles, lossnet, gnet, photos, log, gatys_photos=len(PHOTOS)):
    name = os.path.splitext(os.path.basename(path))[0]
    e = LS.EFFORTS[effort]
    picture = LS.load_picture(path)
    contents = [LS.load_picture(os.path.join(LS.CONTENT_DIR, c + '.jpg')) for c in LS.CONTENT]
    t0 = time.time()
    row, losses, guess, dist, s_guess, s_learned, rn = LS.learn(net, lossnet, picture, contents, e['size'], e['steps'], e['batch'], e['lr'],
                                                                log=lambda s: log('  %s %s (%.0f s)' % (name, s, time.time() - t0)))
    learn_s = time.time() - t0
    nearest = int(np.argmin(dist))
    log('%s: learned (%s, %d steps) in %.0f s; nearest %s; style loss on the learner photos %.4f (guess) -> %.4f'
        % (name, effort, e['steps'], learn_s, styles[nearest]['id'], s_guess, s_learned))
    targets = LS.style_targets(lossnet, picture)
    near_net = LS.RowNet(net, LS.table_rows(net)[nearest])
    out = dict(name=name, effort=effort, learnSeconds=round(learn_s, 1), nearest=styles[nearest]['id'],
               distances={s['id']: round(d, 5) for s, d in zip(styles, dist)}, blend={s['id']: round(float(w), 4) for s, w in zip(styles, guess) if w > 1e-3},
               learnerPhotos=dict(styleLossGuess=s_guess, styleLossLearned=s_learned, firstLoss=losses[0], lastLoss=losses[-1]),
               photos=[])
    os.makedirs(CACHE, exist_ok=True)
    for p, photo in zip(PHOTOS, photos):
        pname = os.path.splitext(os.path.basename(p))[0]
        res = dict(photo=pname, styleLoss={}, contentLoss={}, seconds={})
        res['styleLoss']['photo'] = float(LS.style_loss_to(lossnet, photo, targets)[0])
        for m in METHODS if len(out['photos']) < gatys_photos else METHODS[:2]:
            t = time.time()
            if m == 'gatys':
                gt = gatys_targets(gnet, load_style(path, photo.shape[2:], LAB_GATYS['style_scale']), LAB_GATYS['style_layers'], LAB_GATYS['stat'], LAB_GATYS['smooth'])
                y = gatys(gnet, photo, gt, **LAB_GATYS)
            else:
                with torch.no_grad():
                    y = (rn if m == 'learned' else near_net)(photo).clamp(0, 1)
            res['seconds'][m] = round(time.time() - t, 2)
            res['styleLoss'][m] = float(LS.style_loss_to(lossnet, y, targets)[0])
            res['contentLoss'][m] = content_res3(lossnet, y, photo)
            to_pil(y).save(os.path.join(CACHE, '%s__%s__%s.png' % (name, pname, m)))
        log('  %s: style loss photo %.3f, learned %.3f, nearest %.3f, Gatys %s' % (
            pname, res['styleLoss']['photo'], res['styleLoss']['learned'], res['styleLoss']['nearest'],
            '%.3f (%.0f s)' % (res['styleLoss']['gatys'], res['seconds']['gatys']) if 'gatys' in res['styleLoss'] else 'not run'))
        out['photos'].append(res)
    # means over the photos each method ran on, and over the photos all three ran on (the fair comparison)
    both = [r for r in out['photos'] if 'gatys' in r['styleLoss']]
    ran = lambda m: [r for r in out['photos'] if m in r['styleLoss']]
    out['meanStyleLoss'] = {m: float(np.mean([r['styleLoss'][m] for r in ran(m)])) for m in ['photo'] + METHODS if ran(m)}
    out['meanContentLoss'] = {m: float(np.mean([r['contentLoss'][m] for r in ran(m)])) for m in METHODS if ran(m)}
    out['styleLossWhereGatysRan'] = {m: float(np.mean([r['styleLoss'][m] for r in both])) for m in ['photo'] + METHODS} if both else None
    return out


def sheet(results, path, tile=(132, 100), label_w=128, head_h=36, max_bytes=390_000):
    """Outputs only: one row per held-out picture, per photo the learned / nearest / Gatys outputs."""
    tw, th = tile
    rows = [r for r in results]
    W = label_w + len(PHOTOS) * len(METHODS) * tw
    H = head_h + len(rows) * th
    im = Image.new('RGB', (W, H), (24, 24, 24))
    d = ImageDraw.Draw(im)
    for pi, p in enumerate(PHOTOS):
        x0 = label_w + pi * len(METHODS) * tw
        d.text((x0 + 4, 3), os.path.splitext(os.path.basename(p))[0].split('__')[-1], fill=(230, 230, 230))
        for mi, m in enumerate(METHODS):
            d.text((x0 + mi * tw + 4, 19), m, fill=(200, 200, 120))
    for ri, r in enumerate(rows):
        y0 = head_h + ri * th
        d.text((4, y0 + 4), r['name'], fill=(230, 230, 230))
        d.text((4, y0 + 20), 'nearest:', fill=(160, 160, 160))
        d.text((4, y0 + 34), r['nearest'][:20], fill=(160, 160, 160))
        ms = r['meanStyleLoss']
        g = r['styleLossWhereGatysRan']
        d.text((4, y0 + 54), 'style loss, 1st photo' if g else 'style loss', fill=(160, 160, 160))
        d.text((4, y0 + 68), '%.2f %.2f %.2f' % (g['learned'], g['nearest'], g['gatys']) if g else '%.2f %.2f' % (ms['learned'], ms['nearest']), fill=(160, 160, 160))
        for pi, p in enumerate(PHOTOS):
            pname = os.path.splitext(os.path.basename(p))[0]
            for mi, m in enumerate(METHODS):
                x = label_w + (pi * len(METHODS) + mi) * tw
                f = os.path.join(CACHE, '%s__%s__%s.png' % (r['name'], pname, m))
                if not os.path.exists(f):
                    d.text((x + 8, y0 + th // 2 - 6), 'not run', fill=(110, 110, 110))
                    continue
                t = Image.open(f).convert('RGB')
                t.thumbnail((tw - 2, th - 2), Image.LANCZOS)
                im.paste(t, (x + (tw - t.size[0]) // 2, y0 + (th - t.size[1]) // 2))
    for q in (85, 80, 75, 70, 65, 60):
        im.save(path, quality=q, optimize=True)
        if os.path.getsize(path) <= max_bytes:
            break
    return q


def write_doc(results, a):
    ordered = [results[k] for k in sorted(results)]
    for r in ordered:  # no mean where a method did not run (no NaN in the JSON)
        for key in ('meanStyleLoss', 'meanContentLoss'):
            r[key] = {m: v for m, v in r[key].items() if v == v}
    with_g = [r for r in ordered if r['styleLossWhereGatysRan']]
    summary = {m: float(np.mean([r['styleLossWhereGatysRan'][m] for r in with_g])) for m in ['photo'] + METHODS} if with_g else None
    doc = dict(command='nice -n 10 env OMP_NUM_THREADS=%s /usr/bin/python3 -u training/heldout_compare.py %s' % (os.environ.get('OMP_NUM_THREADS', ''), ' '.join(sys.argv[1:])),
               machine='%d cores, load average at the last picture %s' % (os.cpu_count(), ', '.join('%.1f' % v for v in os.getloadavg())),
               loss='learner: covmean over conv1/res2/res3/res4 x 1, targets at short side 384 and 512 (averaged); content: res3 relative error',
               photos=PHOTOS, gatysRan={r['name']: [p['photo'] for p in r['photos'] if 'gatys' in p['styleLoss']] for r in ordered}, size=LAB_SIZE, gatys=LAB_GATYS,
               styleLossWhereGatysRan=summary,
               learnedMeanStyleLoss3Photos=float(np.mean([r['meanStyleLoss']['learned'] for r in ordered])),
               nearestMeanStyleLoss3Photos=float(np.mean([r['meanStyleLoss']['nearest'] for r in ordered])),
               wins=dict(learnedBeatsNearest=sum(r['meanStyleLoss']['learned'] < r['meanStyleLoss']['nearest'] for r in ordered),
                         gatysBeatsLearned=sum(r['styleLossWhereGatysRan']['gatys'] < r['styleLossWhereGatysRan']['learned'] for r in with_g),
                         of=len(ordered), gatysRanOn=len(with_g)),
               styles=ordered)
    os.makedirs(os.path.dirname(os.path.abspath(a.json)), exist_ok=True)
    with open(a.json, 'w') as f:
        json.dump(doc, f, indent=1)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', default=DEFAULT_DATA)
    ap.add_argument('--effort', default='quick', choices=sorted(LS.EFFORTS))
    ap.add_argument('--styles', default='', help='comma-separated held-out names (default: all)')
    ap.add_argument('--json', default='bench/results/learn-heldout.json')
    ap.add_argument('--sheet', default='docs/learn-heldout-sheet.jpg')
    ap.add_argument('--sheet-only', action='store_true', help='redraw the sheet from --json and the cached outputs')
    ap.add_argument('--merge', default='', help='comma-separated JSONs of other runs (e.g. split over processes) to add to --json')
    ap.add_argument('--gatys-photos', type=int, default=len(PHOTOS), help='Gatys on the first N photos only (it costs the most)')
    ap.add_argument('--threads', type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    prev = {}
    if os.path.exists(a.json):
        with open(a.json) as f:
            prev = {r['name']: r for r in json.load(f)['styles']}
    for m in a.merge.split(',') if a.merge else []:
        with open(m) as f:
            for r in json.load(f)['styles']:  # a style missing here, or here without Gatys and there with it
                if r['name'] not in prev or (not prev[r['name']]['styleLossWhereGatysRan'] and r['styleLossWhereGatysRan']):
                    prev[r['name']] = r
    if a.sheet_only:
        if a.merge:
            write_doc(prev, a)
        q = sheet([prev[k] for k in sorted(prev)], a.sheet)
        print('wrote %s (JPEG quality %d, %d bytes)' % (a.sheet, q, os.path.getsize(a.sheet)))
        return
    d = os.path.join(a.data, 'styles-heldout')
    names = a.styles.split(',') if a.styles else sorted(os.path.splitext(f)[0] for f in os.listdir(d) if f.endswith('.jpg'))
    net, styles, _ = load_exported()
    lossnet = load_cached()
    gnet = Net(lossnet)
    photos = [load_content(os.path.join(a.data, p), LAB_SIZE) for p in PHOTOS]
    results = dict(prev)
    t0 = time.time()
    for n in names:
        if n in results and results[n]['effort'] == a.effort:
            continue
        results[n] = run_one(os.path.join(d, n + '.jpg'), a.effort, net, styles, lossnet, gnet, photos, lambda s: print(s, flush=True), a.gatys_photos)
        write_doc(results, a)
        print('  (%.0f s so far)' % (time.time() - t0), flush=True)
    q = sheet([results[k] for k in sorted(results)], a.sheet)
    print('wrote %s (JPEG quality %d, %d bytes) and %s' % (a.sheet, q, os.path.getsize(a.sheet), a.json))


if __name__ == '__main__':
    main()
