"""Export a trained run to static/models/style-net/ (manifest.json + weights.bin, float16) and write
the parity fixture tests/unit/models/fixtures/style-net-parity.json. One command:

  OMP_NUM_THREADS=2 /usr/bin/python3 training/export.py --run main

The manifest carries everything the TypeScript port needs: the op program (same one PyTorch runs,
see stylenet.py), the weight table (name, shape, tfjs layout, byte offset), styles, input range,
quantization, GMAC figures and the training hyperparameters. The parity fixture is computed with the
DEQUANTIZED (float16 -> float32) weights, so the test checks the port, not the quantization.
"""
import argparse
import base64
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from stylenet import StyleNet, spec_multiple, count_macs_johnson, count_macs_spec  # noqa: E402
from exported import HERE, OUT_DIR, REPO, load_exported  # noqa: E402
from previews import make_previews  # noqa: E402

FIXTURE = os.path.join(REPO, 'tests', 'unit', 'models', 'fixtures', 'style-net-parity.json')
FORMAT = 'style-net/1'


def tensor_table(net):
    """[(name, tfjs-layout numpy float32 array, layout string)] in op order."""
    rows = []
    for o in net.spec:
        if o['op'] == 'conv':
            w = net.convs[o['name']].weight.detach().cpu().numpy()
            if o['depthwise']:
                rows.append((o['name'] + '/kernel', w.transpose(2, 3, 0, 1), 'depthwise [kh,kw,cin,1]'))
            else:
                rows.append((o['name'] + '/kernel', w.transpose(2, 3, 1, 0), 'conv [kh,kw,cin,cout]'))
            if o['bias']:
                rows.append((o['name'] + '/bias', net.convs[o['name']].bias.detach().cpu().numpy(), '[cout]'))
        elif o['op'] == 'cin':
            rows.append((o['name'] + '/gamma', net.gammas[o['name']].detach().cpu().numpy(), '[nStyles,channels]'))
            rows.append((o['name'] + '/beta', net.betas[o['name']].detach().cpu().numpy(), '[nStyles,channels]'))
    return rows


def gmac_table(spec):
    out = {}
    for (h, w) in [(360, 480), (256, 256)]:
        ours = count_macs_spec(spec, h, w)[0]
        out['%dx%d' % (w, h)] = dict(ours=round(ours / 1e9, 3), johnson2016=round(count_macs_johnson(h, w) / 1e9, 2))
    return out


def write_export(net, styles, hparams, out_dir=OUT_DIR, extra=None, version=1):
    os.makedirs(out_dir, exist_ok=True)
    table = tensor_table(net)
    entries, chunks, off = [], [], 0
    for name, arr, layout in table:
        h = np.ascontiguousarray(arr.astype('<f2'))
        if not np.all(np.isfinite(h)):
            raise ValueError('non-finite float16 value in ' + name)
        b = h.tobytes()
        entries.append(dict(name=name, shape=list(arr.shape), dtype='float16', offset=off, byteLength=len(b), layout=layout))
        chunks.append(b)
        off += len(b)
    blob = b''.join(chunks)
    with open(os.path.join(out_dir, 'weights.bin'), 'wb') as f:
        f.write(blob)
    ops = []
    for o in net.spec:
        o = dict(o)
        if o['op'] == 'conv':
            o['weights'] = [o['name'] + '/kernel'] + ([o['name'] + '/bias'] if o['bias'] else [])
        elif o['op'] == 'cin':
            o['weights'] = [o['name'] + '/gamma', o['name'] + '/beta']
        ops.append(o)
    manifest = dict(
        format=FORMAT,
        version=version,
        name='style-net',
        description='Feed-forward multi-style network: Johnson et al. 2016 body with depthwise-separable '
                    'residual blocks and nearest-upsample + conv decoder; conditional instance norm '
                    '(Dumoulin et al. 2017) holds a gamma/beta row per style; a blend is a weighted sum of rows.',
        input=dict(layout='NHWC', channels='RGB', range=[0, 1], padToMultiple=spec_multiple(net.spec), padMode='reflect',
                   anySize=True, note='the input is reflect-padded at bottom/right to a multiple of padToMultiple and the output cropped back'),
        output=dict(layout='NHWC', channels='RGB', range=[0, 1]),
        ops=ops,
        styles=styles,
        weights=dict(file='weights.bin', byteLength=len(blob), tensors=entries),
        quantization=dict(dtype='float16', scheme='IEEE 754 half precision, little-endian, per value; dequantize to float32'),
        gmac=gmac_table(net.spec),
        params=dict(conv=int(sum(p.numel() for p in net.convs.parameters())),
                    cinPerStyle=int(sum(p.shape[1] for p in net.gammas.values()) * 2),
                    total=int(sum(p.numel() for p in net.parameters()))),
        training=hparams,
    )
    if extra:
        manifest.update(extra)
    with open(os.path.join(out_dir, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)
    return manifest


def restore_checkpoint(out_path, d=OUT_DIR):
    """Rebuild a model-only checkpoint (the format train.py writes) from the SHIPPED model, so a
    fine-tune (--init-from) can start on a fresh clone, where training/runs/ does not exist. The
    weights are the float16 ones, dequantized; step, minutes and hyperparameters come from the
    manifest. Parent runs recorded in the manifest are written as hparams.json beside it."""
    net, styles, tr = load_exported(d)
    hp = dict(tr.get('hyperparameters') or {})
    hp['restored_from'] = os.path.relpath(os.path.join(d, 'manifest.json'), REPO)
    os.makedirs(os.path.dirname(os.path.abspath(out_path)), exist_ok=True)
    spec = [{k: v for k, v in o.items() if k != 'weights'} for o in json.load(open(os.path.join(d, 'manifest.json')))['ops']]
    torch.save(dict(model=net.state_dict(), step=int(tr.get('steps', 0)), elapsed=float(tr.get('trainMinutes', 0)) * 60,
                    spec=spec, styles=styles, args=hp), out_path)
    with open(os.path.join(os.path.dirname(os.path.abspath(out_path)), 'hparams.json'), 'w') as f:
        json.dump(hp, f, indent=1)
    return out_path


def b64f32(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype='<f4').tobytes()).decode('ascii')


def write_fixture(net, path=FIXTURE, h=30, w=42):
    """Deterministic input 1 x h x w x 3 (NOT a multiple of 4), outputs for a one-hot style and a
    3-style blend. Arrays are base64 little-endian float32, NHWC."""
    n = net.n_styles
    yy, xx = np.meshgrid(np.linspace(0, 1, h), np.linspace(0, 1, w), indexing='ij')
    rng = np.random.RandomState(1234)
    img = np.stack([0.5 + 0.4 * np.sin(6 * xx + 2 * yy), yy, 0.5 + 0.5 * np.cos(9 * xx * yy)], -1)
    img = np.clip(0.8 * img + 0.2 * rng.rand(h, w, 3), 0, 1).astype(np.float32)
    x = torch.from_numpy(img).permute(2, 0, 1)[None]
    cases = []
    one = np.zeros(n, np.float32)
    one[min(7, n - 1)] = 1
    bl = np.zeros(n, np.float32)
    for i, wt in zip([0, 3 % n, 8 % n], [0.5, 0.3, 0.2]):
        bl[i] += wt
    for nm, b in [('one-hot', one), ('blend3', bl)]:
        with torch.no_grad():
            y = net(x, torch.from_numpy(b)[None])[0].permute(1, 2, 0).numpy()
        cases.append(dict(name=nm, blend=b.tolist(), output=b64f32(y)))
    fx = dict(note='generated by training/export.py with the dequantized float16 weights of static/models/style-net',
              shape=[h, w, 3], encoding='base64 little-endian float32, HWC', input=b64f32(img), cases=cases)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        json.dump(fx, f)
    return fx


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument('--run', default='main', help='training/runs/<run>/final.pt (or ckpt.pt)')
    ap.add_argument('--ckpt', default='')
    ap.add_argument('--out', default=OUT_DIR)
    ap.add_argument('--fixture', default=FIXTURE)
    ap.add_argument('--model-version', type=int, default=2,
                    help='manifest version: 1 = stage 1 (Gram loss), 2 = stage 2 (covariance + means)')
    ap.add_argument('--restore-ckpt', default='',
                    help='instead of exporting: write the shipped model back as a checkpoint at this path '
                         '(e.g. training/runs/main/final.pt) to fine-tune from it on a fresh clone')
    a = ap.parse_args(argv)
    if a.restore_ckpt:
        print('restored', restore_checkpoint(a.restore_ckpt, a.out))
        return
    run_dir = os.path.join(HERE, 'runs', a.run)
    path = a.ckpt or (os.path.join(run_dir, 'final.pt') if os.path.exists(os.path.join(run_dir, 'final.pt')) else os.path.join(run_dir, 'ckpt.pt'))
    st = torch.load(path, map_location='cpu')
    net = StyleNet(len(st['styles']), st['spec'])
    net.load_state_dict(st['model'])
    net.eval()
    hp_path = os.path.join(run_dir, 'hparams.json')
    hp = json.load(open(hp_path)) if os.path.exists(hp_path) else dict(st.get('args') or {})
    hp.pop('data', None)
    parents = []  # a fine-tune (--init-from) records the runs it started from, oldest last
    src = hp.get('init_from')
    while src:
        pdir = os.path.dirname(os.path.join(REPO, src) if not os.path.isabs(src) else src)
        pst = torch.load(os.path.join(REPO, src) if not os.path.isabs(src) else src, map_location='cpu')
        php_path = os.path.join(pdir, 'hparams.json')
        php = json.load(open(php_path)) if os.path.exists(php_path) else dict(pst.get('args') or {})
        php.pop('data', None)
        parents.append(dict(hyperparameters=php, steps=int(pst['step']), trainMinutes=round(pst['elapsed'] / 60, 1),
                            checkpoint=os.path.relpath(os.path.join(REPO, src), REPO)))
        src = php.get('init_from')
    hp = dict(hyperparameters=hp, steps=int(st['step']), trainMinutes=round(st['elapsed'] / 60, 1),
              command='see training/README.md', checkpoint=os.path.relpath(path, REPO))
    if parents:
        hp['initialisedFrom'] = parents
        hp['totalSteps'] = hp['steps'] + sum(p['steps'] for p in parents)
        hp['totalTrainMinutes'] = round(hp['trainMinutes'] + sum(p['trainMinutes'] for p in parents), 1)
    m = write_export(net, st['styles'], hp, a.out, version=a.model_version)
    deq, _, _ = load_exported(a.out)
    fx = write_fixture(deq, a.fixture)
    make_previews(a.out)  # picker previews (styles[i].preview), written beside the model
    # the dequantized net vs the float32 net on the fixture input, for the record
    print('exported %d tensors, %d bytes -> %s' % (len(m['weights']['tensors']), m['weights']['byteLength'], a.out))
    print('gmac', m['gmac'])
    print('fixture', a.fixture, os.path.getsize(a.fixture), 'bytes')


if __name__ == '__main__':
    main()
