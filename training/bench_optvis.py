"""The PyTorch CPU side of the snapshot-lab benchmark: the same algorithms, network and losses as the
browser (training/optvis.py, training/losses.py), timed on this machine's CPU.

  /usr/bin/python3 training/bench_optvis.py --threads 2     (called so by bench/run.mjs)

Prints ONE JSON object on stdout:
  {"torch": version, "threads": n, "device": "cpu", "bn_folded": bool, "products": "conv" | "matmul",
   "blas": torch's BLAS_INFO, "photo", "style",
   "gatys": {"size": 256, "steps": 100, "total_ms", "ms_per_step", "recipe": {...}},
   "deepdream": {"size": 256, "octaves": 3, "steps": all steps (octaves x steps_per_octave),
                 "steps_per_octave", "total_ms", "ms_per_step", "params": {...}},
   "loadavg_before": [1, 5, 15 min], "loadavg_after": [...]}
Gatys: a content photo center-cropped and resized to 256x256, The Great Wave, the chosen recipe
(optvis.GATYS_DEFAULTS) for --steps steps. DeepDream: the same photo, 3 octaves on a 256x256 base,
optvis.DREAM_DEFAULTS. Timings exclude loading the model and computing the style / content targets;
one warm-up step of each runs first, untimed. Progress goes to stderr.

Run it on otherwise idle cores: with another process busy on one of the 2 cores, OpenMP's 2 threads
wait for each other at every op and a Gatys step went from 0.24 s to 4-7 s (the load averages in
the output say whether that happened).
"""
import argparse
import json
import os
import sys
import time

try:
    import torch
except ImportError:
    sys.stderr.write('bench_optvis.py: PyTorch is not installed for %s. Use Debian\'s python with torch: '
                     'apt-get install python3-torch python3-pil python3-numpy, then /usr/bin/python3 '
                     'training/bench_optvis.py\n' % sys.executable)
    sys.exit(3)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import optvis as O  # noqa: E402
from data import DEFAULT_DATA  # noqa: E402

PHOTO = 'content/debian/palapeli-data__castle-maintenon.jpg'
STYLE = 'styles/great_wave.jpg'
SIZE = 256


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def bench_gatys(net, photo, style_path, steps):
    recipe = dict(O.GATYS_DEFAULTS, steps=steps + 1)  # + the warm-up step
    style_img = O.load_style(style_path, photo.shape[2:], recipe['style_scale'])
    targets = O.style_targets(net, style_img, recipe['style_layers'], recipe['stat'], recipe['smooth'])
    marks = []

    def cb(i, parts):
        marks.append(time.perf_counter())
        if (i + 1) % 25 == 0:
            log('gatys step %d/%d loss %.4f' % (i, steps, parts['total']))

    x = O.gatys(net, photo, targets, callback=cb, **recipe)  # content target: once, before step 0
    total = (marks[-1] - marks[0]) * 1000  # from the end of the warm-up step to the end of the last
    recipe['steps'] = steps
    return x, dict(size=SIZE, steps=steps, total_ms=round(total, 1), ms_per_step=round(total / steps, 1),
                   recipe=recipe)


def bench_dream(net, photo, steps_per_octave):
    p = dict(O.DREAM_DEFAULTS, steps_per_octave=steps_per_octave)
    O.deepdream(net, photo, **dict(p, octaves=1, steps_per_octave=1))  # warm-up step, untimed
    t0 = time.perf_counter()
    y = O.deepdream(net, photo, **p)
    total = (time.perf_counter() - t0) * 1000
    n = p['octaves'] * steps_per_octave
    return y, dict(size=SIZE, octaves=p['octaves'], steps=n, steps_per_octave=steps_per_octave,
                   octave_sizes=[list(s) for s in O.octave_sizes((SIZE, SIZE), p['octaves'], p['octave_scale'])],
                   total_ms=round(total, 1), ms_per_step=round(total / n, 1), params=p)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--data', default=DEFAULT_DATA)
    ap.add_argument('--steps', type=int, default=100, help='Gatys steps (timed)')
    ap.add_argument('--dream-steps', type=int, default=O.DREAM_DEFAULTS['steps_per_octave'], help='DeepDream steps per octave')
    ap.add_argument('--quick', action='store_true', help='smoke run: 5 Gatys steps, 2 DeepDream steps per octave')
    ap.add_argument('--fold-bn', action='store_true', help='fold BatchNorm into the convs (same function, faster)')
    ap.add_argument('--product', default='conv', choices=['conv', 'matmul'],
                    help="Gram/covariance products: 'conv' = as 1x1 convolutions on oneDNN (default; Debian's "
                         "torch has a generic BLAS, ~3x slower), 'matmul' = torch.matmul")
    ap.add_argument('--save', default='', help='folder for the two result PNGs (optional)')
    a = ap.parse_args()
    O.L.PRODUCT = a.product
    if a.quick:
        a.steps, a.dream_steps = 5, 2
    torch.set_num_threads(a.threads)
    for f in (PHOTO, STYLE):
        if not os.path.exists(os.path.join(a.data, f)):
            sys.stderr.write('bench_optvis.py: missing %s (--data DIR: the data folder, default %s)\n' % (
                os.path.join(a.data, f), DEFAULT_DATA))
            sys.exit(2)
    load_before = os.getloadavg()
    net = O.Net(fold=a.fold_bn)
    photo = O.load_square(os.path.join(a.data, PHOTO), SIZE)
    x, gatys = bench_gatys(net, photo, os.path.join(a.data, STYLE), a.steps)
    y, dream = bench_dream(net, photo, a.dream_steps)
    if a.save:
        os.makedirs(a.save, exist_ok=True)
        O.to_pil(x).save(os.path.join(a.save, 'bench-gatys.png'))
        O.to_pil(y).save(os.path.join(a.save, 'bench-deepdream.png'))
    out = dict(torch=torch.__version__, threads=torch.get_num_threads(), device='cpu', bn_folded=a.fold_bn,
               products=a.product, blas=torch.__config__.show().split('BLAS_INFO=')[-1].split(',')[0],
               photo=PHOTO, style=STYLE, gatys=gatys, deepdream=dream,
               # 1/5/15-min load averages: another process on the cores makes 2 OpenMP threads many times slower
               loadavg_before=[round(v, 2) for v in load_before], loadavg_after=[round(v, 2) for v in os.getloadavg()])
    print(json.dumps(out))


if __name__ == '__main__':
    main()
