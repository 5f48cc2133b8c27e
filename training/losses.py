"""The loss math, in one place: training (train.py), the style-statistics report (style_stats.py),
evaluation (evaluate.py) and the optimisation lab (optvis.py) all import it from here.

Every function up to activation_power has a twin of the same name (camelCase) in src/lib/optvis/objectives.ts, which works
on NHWC tensors where these work on NCHW; tests/fixtures/optvis/losses.json (written by
training/make_loss_fixture.py, checked by training/test_losses.py here and by the TypeScript unit
test there) pins both to the same numbers. laplacian() and laplacian_loss() at the end are training only
(train.py --lap-weight): the browser does not use them, so they have no twin and no fixture entry.

Feature maps are torch tensors [b, C, H, W]. Every statistic is normalised by the spatial size, so a
style target computed on a painting of one size applies to a picture of another.
"""
import torch
import torch.nn.functional as F


def smooth_feats(f, mode):
    """Activation smoothing before the style statistics. 'softmax': softmax over the channel dim at
    every position (SWAG, Wang et al., CVPR 2021: ResNet's peaky activations dominate raw Gram
    matrices); 'none': identity. Twin: smoothFeats in objectives.ts."""
    if mode == 'softmax':
        return F.softmax(f, dim=1)
    if mode == 'none':
        return f
    raise ValueError('smooth mode %r' % (mode,))


# How the channel products F Fᵀ are computed: 'matmul' (torch.matmul, the default), or 'conv' (the same
# product as a 1x1 convolution with the positions as input channels, which runs on oneDNN: ~3x faster
# on Debian's torch, whose BLAS is the generic reference one). Same math, float rounding apart;
# optvis.py and bench_optvis.py choose 'conv'.
PRODUCT = 'matmul'


def channel_products(f):
    """f: [b, C, N] -> F Fᵀ: [b, C, C]."""
    if PRODUCT == 'conv':
        b, c, n = f.shape
        return torch.cat([F.conv2d(fi.t().reshape(1, n, c, 1), fi.reshape(c, n, 1, 1)).reshape(1, c, c) for fi in f])
    return f @ f.transpose(1, 2)


def gram(f):
    """Uncentered Gram matrix F Fᵀ / (C·H·W): [b, C, C]. Twin: gram in objectives.ts."""
    b, c, h, w = f.shape
    return channel_products(f.reshape(b, c, h * w)) / (c * h * w)


def cov_mean(f):
    """Channel covariance (centered, / (H·W)) and channel means side by side: [b, C, C+1]
    (covariance | mean). Twin: covMean in objectives.ts."""
    b, c, h, w = f.shape
    f = f.reshape(b, c, h * w)
    m = f.mean(2, keepdim=True)
    fc = f - m
    return torch.cat([channel_products(fc) / (h * w), m], dim=2)


STATS = {'gram': gram, 'covmean': cov_mean}


def relative_mse(a, b, dims):
    """mean((a − b)²) / (mean(b²) + 1e-12) over dims (the target b sets the scale).
    Twin: relativeMse in objectives.ts."""
    return ((a - b) ** 2).mean(dim=dims) / ((b ** 2).mean(dim=dims) + 1e-12)


def style_layer_error(g, t, stat):
    """Per sample, the error of one layer's statistic g against the target t (same shape).
    'gram': relative_mse over (1, 2); 'covmean': relative_mse of the covariance part plus
    relative_mse of the mean part (each relative, so the means cannot swamp the texture).
    Twin: styleLayerError in objectives.ts."""
    if stat == 'gram':
        return relative_mse(g, t, (1, 2))
    if stat == 'covmean':
        c = g.shape[1]
        return (relative_mse(g[..., :c], t[..., :c], (1, 2)) +
                relative_mse(g[..., c:], t[..., c:], (1, 2)))
    raise ValueError('style stat %r' % (stat,))


def style_stat(f, stat, smooth):
    """The statistic the style loss matches for one layer's features: stat(smooth(f))."""
    return STATS[stat](smooth_feats(f, smooth))


def style_loss(feats, targets, layers, stat, smooth):
    """Per sample: Σ_l w_l · style_layer_error(stat(smooth(feats[l])), targets[l]) / Σ_l w_l.
    feats: {layer: [b, C, H, W]}; targets: {layer: statistic, [b or 1, C, C(+1)]};
    layers: {layer: weight}. Twin: styleLoss in objectives.ts."""
    total = 0.0
    for k, w in layers.items():
        total = total + w * style_layer_error(style_stat(feats[k], stat, smooth), targets[k], stat)
    return total / sum(layers.values())


def content_loss(fy, fx):
    """Per sample: relative_mse over (1, 2, 3) of the features fy against the target features fx.
    Twin: contentLoss in objectives.ts."""
    return relative_mse(fy, fx, (1, 2, 3))


def tv_loss(y):
    """Total variation of an image batch [b, 3, H, W]: mean of squared vertical differences plus mean
    of squared horizontal differences (a scalar over the whole batch). Twin: tvLoss in objectives.ts."""
    return ((y[..., 1:, :] - y[..., :-1, :]) ** 2).mean() + ((y[..., :, 1:] - y[..., :, :-1]) ** 2).mean()


def activation_power(f):
    """The DeepDream objective: mean(f²) over everything (the layer's activation norm, normalised by
    its size). Twin: activationPower in objectives.ts."""
    return (f ** 2).mean()


# Not in objectives.ts: the browser lab does not use the Laplacian loss (only train.py does), so this
# function and laplacian() have no TypeScript twin and no entry in the loss fixture.
LAPLACIAN_KERNEL = ((0.0, -1.0, 0.0), (-1.0, 4.0, -1.0), (0.0, -1.0, 0.0))


def laplacian(x, pool):
    """The 3×3 Laplacian [[0,-1,0],[-1,4,-1],[0,-1,0]] of each channel of x [b, C, H, W], after a
    pool×pool average pooling (stride pool; 1: none), without padding: [b, C, H/pool − 2, W/pool − 2].
    Training only (no twin in objectives.ts)."""
    if pool > 1:
        x = F.avg_pool2d(x, pool)
    c = x.shape[1]
    k = x.new_tensor(LAPLACIAN_KERNEL).expand(c, 1, 3, 3)
    return F.conv2d(x, k, groups=c)


def laplacian_loss(y, x, pool):
    """Per sample: relative_mse over (1, 2, 3) of laplacian(y, pool) against laplacian(x, pool), images
    [b, 3, H, W] in [0, 1] (Li et al. 2017, "Laplacian-steered neural style transfer": the output keeps the
    photo's outlines at the scale of the pooling, where painted texture averages out; relative, so 1 is a
    flat output). Training only: the browser does not use it (no twin in objectives.ts)."""
    return relative_mse(laplacian(y, pool), laplacian(x, pool), (1, 2, 3))
