"""Style previews for the studio's picker: our exported network's output on one fixed held-out photo,
one small JPEG per style, written beside the model and named in the manifest (styles[i].preview).
Not copies of the paintings. Run by export.py after it writes the model, or alone:

  OMP_NUM_THREADS=2 /usr/bin/python3 training/previews.py
"""
import argparse
import json
import os
import sys

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data import DEFAULT_DATA  # noqa: E402
from exported import OUT_DIR, load_exported  # noqa: E402

# A held-out photo (training/holdout.txt): a portrait, like a webcam's.
PHOTO = 'content/debian/python-matplotlib-data__grace_hopper.jpg'
SIZE = (160, 120)  # width, height: the picker shows them at 96–128 px wide


def fixed_photo(data_dir):
    img = Image.open(os.path.join(data_dir, PHOTO)).convert('RGB')
    # centre crop to 4:3, then resize
    w, h = img.size
    tw = min(w, h * 4 // 3)
    th = tw * 3 // 4
    left, top = (w - tw) // 2, (h - th) // 2
    img = img.crop((left, top, left + tw, top + th)).resize((SIZE[0] * 2, SIZE[1] * 2), Image.LANCZOS)
    return torch.from_numpy(np.asarray(img, dtype=np.float32) / 255.0).permute(2, 0, 1)[None]


def make_previews(out_dir=OUT_DIR, data_dir=DEFAULT_DATA):
    net, styles, _ = load_exported(out_dir)
    x = fixed_photo(data_dir)
    os.makedirs(os.path.join(out_dir, 'previews'), exist_ok=True)
    n = len(styles)
    with torch.no_grad():
        for i, s in enumerate(styles):
            w = torch.zeros(1, n)
            w[0, i] = 1
            y = net(x, w)[0].clamp(0, 1).permute(1, 2, 0).numpy()
            img = Image.fromarray((y * 255 + 0.5).astype(np.uint8)).resize(SIZE, Image.LANCZOS)
            rel = 'previews/%s.jpg' % s['id']
            img.save(os.path.join(out_dir, rel), quality=85, optimize=True)
            s['preview'] = rel
    path = os.path.join(out_dir, 'manifest.json')
    with open(path) as f:
        m = json.load(f)
    for entry, s in zip(m['styles'], styles):
        entry['preview'] = s['preview']
    m['previews'] = dict(photo=PHOTO, size=list(SIZE), note='our network on a held-out photo, one-hot per style')
    with open(path, 'w') as f:
        json.dump(m, f, indent=1, ensure_ascii=False)
    print('previews: %d written to %s/previews' % (n, out_dir))


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', default=OUT_DIR)
    ap.add_argument('--data', default=DEFAULT_DATA)
    a = ap.parse_args()
    torch.set_num_threads(int(os.environ.get('OMP_NUM_THREADS', '2')))
    make_previews(a.out, a.data)
