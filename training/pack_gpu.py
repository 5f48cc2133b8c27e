"""Pack what a GPU machine needs to train (only the checkout travels there, 64 MiB at most):
training/cache/gpu/{data/content/..., data/styles/..., resnet50_upto_res4_f16.pt}. Photos re-encoded as
JPEG (quality 82, long side <= 448), the loss network as float16 up to res4 (~17 MB).
The folder is git-ignored: the photos are not ours to commit.

  /usr/bin/python3 training/pack_gpu.py   # then train with --data training/cache/gpu/data --lossnet training/cache/gpu/resnet50_upto_res4_f16.pt
"""
import os
import shutil
import sys

from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data import DEFAULT_DATA, all_content, style_list  # noqa: E402
from resnet_convert import save_compact  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'cache', 'gpu')


def main():
    data = os.path.join(OUT, 'data')
    for f in all_content(DEFAULT_DATA):
        dst = os.path.join(data, os.path.splitext(f)[0] + '.jpg')
        if os.path.exists(dst):
            continue
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        im = Image.open(os.path.join(DEFAULT_DATA, f)).convert('RGB')
        if max(im.size) > 448:
            s = 448 / max(im.size)
            im = im.resize((round(im.size[0] * s), round(im.size[1] * s)), Image.BICUBIC)
        im.save(dst, quality=82)
    for st in style_list():
        dst = os.path.join(data, st['file'])
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy(os.path.join(DEFAULT_DATA, st['file']), dst)
    save_compact(os.path.join(OUT, 'resnet50_upto_res4_f16.pt'))
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(OUT) for f in fs)
    print('packed %s: %.1f MB' % (OUT, total / 1e6))


if __name__ == '__main__':
    main()
