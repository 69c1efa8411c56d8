"""A dense CRF restricted to a window (mean field with Gaussian and
bilateral Potts kernels, Kraehenbuehl & Koltun 2011; windowed as in
ConvCRF, Teichmann & Cipolla 2018), run on the label grid.

psa refines the alpha_low / alpha_high CAM labels with a full-image dense
CRF at pixel resolution before it makes affinity labels. Here it runs on the
64x64 grid with each cell's mean colour, and the kernels are cut off at
`radius` cells: psa's bilateral range of 80 px is 10 cells, so a radius-10
window keeps the pairs that carry weight, at about 50 ms an image on 2 cores
instead of a pixel-level CRF's seconds.
"""
import math

import torch
import torch.nn.functional as F


def window_offsets(radius):
    return [(dy, dx) for dy in range(-radius, radius + 1) for dx in range(-radius, radius + 1)
            if (dy, dx) != (0, 0) and dy * dy + dx * dx <= radius * radius]


def _shift(x, dy, dx, radius):
    """The (H, W) window of a copy zero-padded by `radius`, read at (y + dy, x + dx)."""
    h, w = x.shape[-2] - 2 * radius, x.shape[-1] - 2 * radius
    return x[..., radius + dy:radius + dy + h, radius + dx:radius + dx + w]


def pairwise_kernels(colour, p):
    """Per window offset, the weight between each cell and that neighbour
    (0 outside the grid): (B, K, H, W), in window_offsets order.

    colour: (B, 3, H, W) mean RGB of each cell in 0-255; p: the cell size in
    pixels and psa's pixel-unit parameters. Each kernel is normalised
    symmetrically, k_ij / sqrt(n_i n_j) with n_i its row sum (self included),
    as pydensecrf does by default, so a message is a weighted mean of the
    neighbours' Q scaled by the compat weights."""
    cell, radius = p['cell'], p['radius']
    padded = F.pad(colour, [radius] * 4)
    inside = F.pad(torch.ones_like(colour[:, :1]), [radius] * 4)
    bilateral, gaussian = [], []
    for dy, dx in window_offsets(radius):
        d2 = float((dy * dy + dx * dx) * cell * cell)
        valid = _shift(inside, dy, dx, radius)
        rgb2 = (colour - _shift(padded, dy, dx, radius)).pow(2).sum(dim=1, keepdim=True)
        bilateral.append(torch.exp(-d2 / (2 * p['bilateral_sxy'] ** 2) - rgb2 / (2 * p['bilateral_srgb'] ** 2)) * valid)
        gaussian.append(valid * math.exp(-d2 / (2 * p['gaussian_sxy'] ** 2)))
    out = 0
    for ks, compat in ((torch.cat(bilateral, 1), p['bilateral_compat']), (torch.cat(gaussian, 1), p['gaussian_compat'])):
        norm = (1 + ks.sum(dim=1, keepdim=True)).rsqrt()
        padded_norm = F.pad(norm, [radius] * 4)
        neighbour_norm = torch.cat([_shift(padded_norm, dy, dx, radius) for dy, dx in window_offsets(radius)], 1)
        out = out + compat * ks * norm * neighbour_norm
    return out


def mean_field(probs, colour, p):
    """Refined label probabilities (B, L, H, W) from unary probabilities
    `probs` (B, L, H, W) after p['iterations'] mean-field steps with Potts
    compatibility: Q <- softmax(log P + sum_j k(i, j) Q_j)."""
    radius = p['radius']
    kernels = pairwise_kernels(colour, p)
    unary = torch.log(probs.clamp(min=1e-8))
    q = probs / probs.sum(dim=1, keepdim=True)
    offsets = window_offsets(radius)
    for _ in range(p['iterations']):
        padded = F.pad(q, [radius] * 4)
        message = torch.zeros_like(q)
        for k, (dy, dx) in enumerate(offsets):
            message.addcmul_(kernels[:, k:k + 1], _shift(padded, dy, dx, radius))
        q = torch.softmax(unary + message, dim=1)
    return q


def cell_colours(images, stride):
    """(B, H*stride, W*stride, 3) uint8 images -> (B, 3, H, W) float mean colour per cell."""
    x = torch.as_tensor(images).permute(0, 3, 1, 2).float()
    return F.avg_pool2d(x, stride, stride)
