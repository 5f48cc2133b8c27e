"""The multi-style feed-forward network (Johnson et al. 2016 body, conditional instance norm of
Dumoulin et al. 2017), defined ONCE as a flat op program (`build_spec`). PyTorch interprets the
program here; export.py writes the same program into the manifest and the TypeScript port
(src/lib/models/style-net/forward.ts) interprets it too.

Ops (tensors NCHW here, NHWC in tfjs):
  conv      {name, kernel:[kh,kw], stride, cin, cout, depthwise, bias, pad}  reflect pad `pad` on each
            side, then a 'valid' convolution (depthwise: groups=cin, cout=cin)
  cin       {name, channels, eps}  instance-norm statistics over H,W (biased var), then the blended
            per-style gamma/beta
  relu, sigmoid
  upsample  {factor:2}  nearest neighbour
  save      {slot}  remember the current tensor;  add {slot}: current += remembered (residual)
The whole program runs on the input reflect-padded at bottom/right to a multiple of `multiple` (4);
the output is cropped back to the input size. Input/output: RGB in [0,1].
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

MULTIPLE = 4  # v1's padding multiple; a program's own is spec_multiple(spec)
EPS = 1e-5


def spec_multiple(spec):
    """The input must be a multiple of the product of the strides (every downsampling level)."""
    m = 1
    for o in spec:
        if o['op'] == 'conv':
            m *= o['stride']
    return m


class _Program:
    """Builds an op program: conv / norm / separable conv / residual block appenders over one list."""

    def __init__(self):
        self.ops = []

    def conv(self, name, k, cin, cout, stride=1, depthwise=False, bias=False):
        self.ops.append(dict(op='conv', name=name, kernel=[k, k], stride=stride, cin=cin,
                             cout=cin if depthwise else cout, depthwise=depthwise, bias=bias, pad=k // 2))

    def norm(self, name, ch, relu=True):
        self.ops.append(dict(op='cin', name=name, channels=ch, eps=EPS))
        if relu:
            self.ops.append(dict(op='relu'))

    def sepconv(self, name, cin, cout):
        self.conv(name + '_dw', 3, cin, cin, depthwise=True)
        self.conv(name + '_pw', 1, cin, cout)

    def resblock(self, name, ch):
        self.ops.append(dict(op='save', slot='res'))
        self.sepconv(name + '_a', ch, ch); self.norm(name + '_a_norm', ch)
        self.sepconv(name + '_b', ch, ch); self.norm(name + '_b_norm', ch, relu=False)
        self.ops.append(dict(op='add', slot='res'))

    def op(self, kind, **kw):
        self.ops.append(dict(op=kind, **kw))

    def encoder(self, c1, c2, c3, k_in):
        """Full size k_in x k_in conv to c1, then two stride-2 3x3 convs: c2 at 1/2, c3 at 1/4."""
        self.conv('in_conv', k_in, 3, c1); self.norm('in_norm', c1)
        self.conv('down1', 3, c1, c2, stride=2); self.norm('down1_norm', c2)
        self.conv('down2', 3, c2, c3, stride=2); self.norm('down2_norm', c3)

    def decoder(self, c1, c2, c3, k_out):
        """From 1/2 size with c3 channels (already upsampled once): separable conv to c2, upsample,
        separable conv to c1, then the RGB output conv and sigmoid."""
        self.sepconv('up1', c3, c2); self.norm('up1_norm', c2)
        self.op('upsample', factor=2)
        self.sepconv('up2', c2, c1); self.norm('up2_norm', c1)
        self.conv('out_conv', k_out, c1, 3, bias=True)
        self.op('sigmoid')


def build_spec(width=(16, 32, 64), n_res=5, k_in=5, k_out=3):
    """v1: downsampling to 1/4, n_res separable residual blocks there, nearest-upsample + separable convs."""
    c1, c2, c3 = width
    p = _Program()
    p.encoder(c1, c2, c3, k_in)
    for i in range(n_res):
        p.resblock('res%d' % i, c3)
    p.op('upsample', factor=2)
    p.decoder(c1, c2, c3, k_out)
    return p.ops


def build_spec_v2(width=(16, 32, 64, 128), n_res_mid=2, n_res_low=4, k_in=5, k_out=3):
    """v2: a third downsampling level (1/8) with wide residual blocks there. The receptive field grows
    about 2x (motifs, not only strokes) for little compute: a pixel at 1/8 costs 1/64 of one at full size.
      in 5x5 3->c1, /2 c1->c2, /2 c2->c3, n_res_mid sep blocks at c3 (1/4), /2 c3->c4, n_res_low sep blocks
      at c4 (1/8), up sep c4->c3 (+ skip from the 1/4 level), up sep c3->c2, up sep c2->c1, out 3x3."""
    c1, c2, c3, c4 = width
    p = _Program()
    p.encoder(c1, c2, c3, k_in)
    for i in range(n_res_mid):
        p.resblock('mid%d' % i, c3)
    p.op('save', slot='skip')
    p.conv('down3', 3, c3, c4, stride=2); p.norm('down3_norm', c4)
    for i in range(n_res_low):
        p.resblock('low%d' % i, c4)
    p.op('upsample', factor=2)
    p.sepconv('up0', c4, c3); p.norm('up0_norm', c3, relu=False)
    p.op('add', slot='skip')
    p.op('relu')
    p.op('upsample', factor=2)
    p.decoder(c1, c2, c3, k_out)
    return p.ops


ARCHS = {'v1': build_spec, 'v2': build_spec_v2}


def conv_weight_shape_torch(o):
    kh, kw = o['kernel']
    if o['depthwise']:
        return (o['cin'], 1, kh, kw)
    return (o['cout'], o['cin'], kh, kw)


class StyleNet(nn.Module):
    def __init__(self, n_styles, spec=None):
        super().__init__()
        self.spec = spec or build_spec()
        self.n_styles = n_styles
        self.convs = nn.ModuleDict()
        self.gammas = nn.ParameterDict()
        self.betas = nn.ParameterDict()
        for o in self.spec:
            if o['op'] == 'conv':
                c = nn.Conv2d(o['cin'], o['cout'], o['kernel'], stride=o['stride'],
                              groups=o['cin'] if o['depthwise'] else 1, bias=o['bias'])
                self.convs[o['name']] = c
            elif o['op'] == 'cin':
                self.gammas[o['name']] = nn.Parameter(torch.ones(n_styles, o['channels']))
                self.betas[o['name']] = nn.Parameter(torch.zeros(n_styles, o['channels']))
        if 'out_conv' in self.convs:
            nn.init.zeros_(self.convs['out_conv'].bias)

    def forward(self, x, blend):
        """x: [B,3,H,W] in [0,1]; blend: [B, n_styles] (rows >= 0, summing to 1) or a LongTensor of
        style indices [B]."""
        if blend.dtype in (torch.int64, torch.int32):
            blend = F.one_hot(blend.long(), self.n_styles).to(x.dtype)
        H, W = x.shape[-2:]
        m = spec_multiple(self.spec)
        ph, pw = (-H) % m, (-W) % m
        if ph or pw:
            x = F.pad(x, (0, pw, 0, ph), mode='reflect')
        slots = {}
        for o in self.spec:
            op = o['op']
            if op == 'conv':
                p = o['pad']
                if p:
                    x = F.pad(x, (p, p, p, p), mode='reflect')
                x = self.convs[o['name']](x)
            elif op == 'cin':
                mean = x.mean(dim=(2, 3), keepdim=True)
                var = x.var(dim=(2, 3), keepdim=True, unbiased=False)
                x = (x - mean) / torch.sqrt(var + o['eps'])
                g = blend @ self.gammas[o['name']]
                b = blend @ self.betas[o['name']]
                x = x * g[:, :, None, None] + b[:, :, None, None]
            elif op == 'relu':
                x = F.relu(x)
            elif op == 'sigmoid':
                x = torch.sigmoid(x)
            elif op == 'upsample':
                x = F.interpolate(x, scale_factor=o['factor'], mode='nearest')
            elif op == 'save':
                slots[o['slot']] = x
            elif op == 'add':
                x = x + slots.pop(o['slot'])
            else:
                raise ValueError(op)
        return x[..., :H, :W]


# ---------------------------------------------------------------- MAC counting
def count_macs_spec(spec, H, W):
    """Multiply-accumulates of the conv ops for an input of H x W (after padding to MULTIPLE)."""
    m = spec_multiple(spec)
    h, w = H + (-H) % m, W + (-W) % m
    total = 0
    rows = []
    for o in spec:
        if o['op'] == 'conv':
            kh, kw = o['kernel']
            h = (h + 2 * o['pad'] - kh) // o['stride'] + 1
            w = (w + 2 * o['pad'] - kw) // o['stride'] + 1
            per = kh * kw * (1 if o['depthwise'] else o['cin']) * o['cout']
            m = per * h * w
            total += m
            rows.append((o['name'], h, w, m))
        elif o['op'] == 'upsample':
            h, w = h * o['factor'], w * o['factor']
    return total, rows


def count_macs_johnson(H, W):
    """Johnson et al. 2016 transformer (pytorch/examples fast_neural_style): 9x9 3->32, 3x3/2 32->64,
    3x3/2 64->128, 5 residual blocks (two 3x3 128->128 convs each), two stride-2 transposed 3x3 convs
    128->64->32, 9x9 32->3. Transposed convs counted as their equivalent dense cost (input pixels x
    k*k*cin*cout)."""
    total = 0
    h, w = H, W
    total += h * w * 81 * 3 * 32
    h, w = h // 2, w // 2
    total += h * w * 9 * 32 * 64
    h, w = h // 2, w // 2
    total += h * w * 9 * 64 * 128
    total += 5 * 2 * h * w * 9 * 128 * 128
    total += h * w * 9 * 128 * 64  # transposed: per input pixel
    h, w = h * 2, w * 2
    total += h * w * 9 * 64 * 32
    h, w = h * 2, w * 2
    total += h * w * 81 * 32 * 3
    return total


if __name__ == '__main__':
    import sys
    spec = ARCHS[sys.argv[1] if len(sys.argv) > 1 else 'v1']()
    net = StyleNet(12, spec)
    n_conv = sum(p.numel() for p in net.convs.parameters())
    n_cin = sum(p.numel() for p in net.gammas.parameters()) + sum(p.numel() for p in net.betas.parameters())
    print('conv params %d, CIN params %d (12 styles)' % (n_conv, n_cin))
    for H, W in [(360, 480), (256, 256)]:
        ours, rows = count_macs_spec(spec, H, W)
        j = count_macs_johnson(H, W)
        print('%dx%d: ours %.3f GMAC, Johnson %.2f GMAC, ratio %.1fx' % (W, H, ours / 1e9, j / 1e9, j / ours))
    for r in count_macs_spec(spec, 360, 480)[1]:
        print('  %-12s %4dx%-4d %.4f GMAC' % (r[0], r[2], r[1], r[3] / 1e9))
