"""The shipped style network as training/ reads it back: where export.py writes it (OUT_DIR) and
load_exported(), the exported float16 model as a PyTorch StyleNet. Used by export.py (the parity
fixture, restore_checkpoint), previews.py and evaluate.py; it imports neither of them.
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from stylenet import StyleNet  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
OUT_DIR = os.path.join(REPO, 'static', 'models', 'style-net')


def load_exported(d=OUT_DIR):
    """The exported model as a PyTorch StyleNet with dequantized weights: (net, styles, hparams)."""
    with open(os.path.join(d, 'manifest.json')) as f:
        m = json.load(f)
    blob = open(os.path.join(d, m['weights']['file']), 'rb').read()
    assert len(blob) == m['weights']['byteLength']
    spec = [{k: v for k, v in o.items() if k != 'weights'} for o in m['ops']]
    net = StyleNet(len(m['styles']), spec)
    arrs = {}
    for e in m['weights']['tensors']:
        a = np.frombuffer(blob, dtype='<f2', count=int(np.prod(e['shape'])), offset=e['offset']).astype(np.float32).reshape(e['shape'])
        arrs[e['name']] = a
    sd = {}
    for o in spec:
        if o['op'] == 'conv':
            k = arrs[o['name'] + '/kernel']
            k = k.transpose(2, 3, 0, 1) if o['depthwise'] else k.transpose(3, 2, 0, 1)
            sd['convs.%s.weight' % o['name']] = torch.from_numpy(np.ascontiguousarray(k))
            if o['bias']:
                sd['convs.%s.bias' % o['name']] = torch.from_numpy(arrs[o['name'] + '/bias'].copy())
        elif o['op'] == 'cin':
            sd['gammas.%s' % o['name']] = torch.from_numpy(arrs[o['name'] + '/gamma'].copy())
            sd['betas.%s' % o['name']] = torch.from_numpy(arrs[o['name'] + '/beta'].copy())
    net.load_state_dict(sd)
    net.eval()
    return net, m['styles'], m.get('training', {})
