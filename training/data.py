"""Data: style paintings, content photos, the deterministic held-out list."""
import glob
import os
import random

import numpy as np
import torch
import torch.nn.functional as F

try:
    from PIL import Image
except ImportError:  # a GPU machine may have torch (and torchvision) but no Pillow
    Image = None

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_DATA = os.path.normpath(os.path.join(REPO, '..', 'shared', 'data'))
HOLDOUT_FILE = os.path.join(HERE, 'holdout.txt')
N_HOLDOUT = 15

# id -> (title, artist, year); ids are the file stems, order = style index
STYLES = [
    ('composition_vii', 'Composition VII', 'Wassily Kandinsky', '1913'),
    ('degas_dance_foyer', 'The Dance Foyer at the Opera on the rue Le Peletier', 'Edgar Degas', '1872'),
    ('gauguin_te_fare', 'Te Fare (La Maison)', 'Paul Gauguin', '1892'),
    ('great_wave', 'The Great Wave off Kanagawa', 'Katsushika Hokusai', 'c. 1831'),
    ('monet_charing_cross', 'Charing Cross Bridge', 'Claude Monet', '1899–1901'),
    ('monet_san_giorgio', 'San Giorgio Maggiore at Dusk', 'Claude Monet', '1908'),
    ('shipwreck', 'The Shipwreck', 'J. M. W. Turner', '1805'),
    ('starry_night', 'The Starry Night', 'Vincent van Gogh', '1889'),
    ('the_scream', 'The Scream', 'Edvard Munch', '1893'),
    ('udnie', 'Udnie (Young American Girl, The Dance)', 'Francis Picabia', '1913'),
    ('vangogh_bedroom', 'Bedroom in Arles', 'Vincent van Gogh', '1888'),
    ('woman_with_hat', 'Woman with a Hat', 'Henri Matisse', '1905'),
]


def style_list(ids=None):
    rows = [dict(id=s[0], title=s[1], artist=s[2], year=s[3], file='styles/%s.jpg' % s[0]) for s in STYLES]
    if ids:
        rows = [r for r in rows if r['id'] in ids]
    return rows


def all_content(data_dir):
    files = sorted(glob.glob(os.path.join(data_dir, 'content', '*', '*.jpg')) +
                   glob.glob(os.path.join(data_dir, 'content', '*', '*.png')))
    return [os.path.relpath(f, data_dir) for f in files]


def holdout_list(data_dir):
    """Deterministic: written once to training/holdout.txt (sorted list, seeded shuffle, 15 files,
    about half from each source folder) and read from there afterwards."""
    if os.path.exists(HOLDOUT_FILE):
        return [l.strip() for l in open(HOLDOUT_FILE) if l.strip() and not l.startswith('#')]
    files = all_content(data_dir)
    rng = random.Random(20261122)
    coco = [f for f in files if '/coco/' in f]
    deb = [f for f in files if '/debian/' in f]
    rng.shuffle(coco)
    rng.shuffle(deb)
    pick = sorted(coco[:7] + deb[:8])
    with open(HOLDOUT_FILE, 'w') as f:
        f.write('# held-out content photos (relative to the data dir), never used in training\n')
        f.write('\n'.join(pick) + '\n')
    return pick


def _load_rgb01_torchvision(path, max_side=None, short_side=None):
    from torchvision.io import ImageReadMode, read_image
    x = read_image(path, ImageReadMode.RGB).float() / 255.0
    h, w = x.shape[1:]
    s = short_side / min(h, w) if short_side else (max_side / max(h, w) if max_side and max(h, w) > max_side else 1)
    if s != 1:
        x = F.interpolate(x[None], size=(max(1, round(h * s)), max(1, round(w * s))), mode='bicubic',
                          align_corners=False, antialias=s < 1)[0].clamp(0, 1)
    return x.contiguous()


def load_rgb01(path, max_side=None, short_side=None):
    if Image is None:
        return _load_rgb01_torchvision(path, max_side, short_side)
    im = Image.open(path).convert('RGB')
    if short_side:
        s = short_side / min(im.size)
        im = im.resize((max(1, round(im.size[0] * s)), max(1, round(im.size[1] * s))), Image.BICUBIC)
    elif max_side and max(im.size) > max_side:
        s = max_side / max(im.size)
        im = im.resize((max(1, round(im.size[0] * s)), max(1, round(im.size[1] * s))), Image.BICUBIC)
    return torch.from_numpy(np.asarray(im, dtype=np.float32) / 255.0).permute(2, 0, 1).contiguous()


class ContentSampler:
    """Random scale (short side = crop * U(1, max_scale)), random crop, random horizontal flip."""

    def __init__(self, data_dir, files, seed=0, max_scale=1.6, device='cpu'):
        # on CUDA the photos live on the GPU (about 1.5 GB for 1,160 photos) and crops are cut there
        self.images = [load_rgb01(os.path.join(data_dir, f), max_side=640).to(device) for f in files]
        self.rng = random.Random(seed)
        self.max_scale = max_scale

    def sample(self, crop):
        img = self.images[self.rng.randrange(len(self.images))]
        h, w = img.shape[1:]
        short = crop * self.rng.uniform(1.0, self.max_scale)
        s = short / min(h, w)
        nh, nw = max(crop, round(h * s)), max(crop, round(w * s))
        x = F.interpolate(img[None], size=(nh, nw), mode='bilinear', align_corners=False, antialias=s < 1)[0]
        top, left = self.rng.randrange(nh - crop + 1), self.rng.randrange(nw - crop + 1)
        x = x[:, top:top + crop, left:left + crop]
        if self.rng.random() < 0.5:
            x = x.flip(-1)
        return x.clamp(0, 1)

    def batch(self, n, crop):
        return torch.stack([self.sample(crop) for _ in range(n)])
