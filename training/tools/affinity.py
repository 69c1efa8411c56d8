"""The one Python home of pairs, affinities, affinity labels, the AffinityNet
loss and the random walk (docs/algorithm.md §2-§4). It mirrors src/core/pairs.ts,
affinity.ts, affinity_labels.ts and random_walk.ts.

Pairs are never materialised as index lists: every direction is a pair of
shifted slices of the grid, which keeps memory and time linear in the grid.
"""
import torch

IGNORE = 255
BACKGROUND = 0


def half_disc_offsets(radius):
    """psa's directions: (0, 1..r-1), then dy = 1..r-1 with dx in [-(r-1), r-1]
    and dx^2 + dy^2 < r^2: each unordered pair once (34 for r = 5). (dy, dx)."""
    out = [(0, dx) for dx in range(1, radius)]
    out += [(dy, dx) for dy in range(1, radius) for dx in range(1 - radius, radius) if dx * dx + dy * dy < radius * radius]
    return out


def full_disc_offsets(radius):
    """Every (dy, dx) with 0 < dx^2 + dy^2 < r^2, row by row (68 for r = 5)."""
    return [(dy, dx) for dy in range(1 - radius, radius) for dx in range(1 - radius, radius)
            if 0 < dx * dx + dy * dy < radius * radius]


def l1_affinity(a, b):
    """W = exp(-mean_d |a - b|) over dim 1 (the embedding channels)."""
    return torch.exp(-(a - b).abs().mean(dim=1))


def half_disc_pairs(maps, radius):
    """psa's training pairs of a (B, C, H, W) map as (source, neighbour) views
    of shape (B, C, P, H-r+1, W-2r+2), P = len(half_disc_offsets): sources are
    the grid cropped by r-1 at the bottom, left and right."""
    m = radius - 1
    _, _, h, w = maps.shape
    ch, cw = h - m, w - 2 * m
    src = maps[:, :, :ch, m:m + cw]
    nbr = torch.stack([maps[:, :, dy:dy + ch, m + dx:m + dx + cw] for dy, dx in half_disc_offsets(radius)], dim=2)
    return src.unsqueeze(2).expand_as(nbr), nbr


def combine_alpha_labels(low, high):
    """Grid labels from the alpha_low and alpha_high argmax maps: confident
    background where the high-alpha map says background, foreground where the
    low-alpha map still says foreground, ignore elsewhere."""
    out = torch.where(low == BACKGROUND, torch.full_like(low, IGNORE), low)
    return torch.where(high == BACKGROUND, torch.full_like(high, BACKGROUND), out)


def pair_labels(labels, radius):
    """Boolean (bg_pos, fg_pos, neg) masks over the half-disc pairs of grid
    labels (B, H, W), shaped like half_disc_pairs' output without channels."""
    a, b = (x.squeeze(1) for x in half_disc_pairs(labels.unsqueeze(1), radius))
    valid = (a != IGNORE) & (b != IGNORE)
    same = valid & (a == b)
    return same & (a == BACKGROUND), same & (a != BACKGROUND), valid & (a != b)


def affinity_loss(aff, bg_pos, fg_pos, neg, eps):
    """psa's L_bg+/4 + L_fg+/4 + L-/2, each term a mean over its own pair set
    in the batch. Returns the total and the three terms."""
    def mean_over(values, mask):
        return (values * mask).sum() / mask.sum().clamp(min=1)

    pos_loss = -torch.log(aff + eps)
    neg_loss = -torch.log(1 + eps - aff)
    terms = mean_over(pos_loss, bg_pos), mean_over(pos_loss, fg_pos), mean_over(neg_loss, neg)
    return terms[0] / 4 + terms[1] / 4 + terms[2] / 2, terms


def _spans(d, n):
    """Source and neighbour slices along one axis for a shift of d cells."""
    return slice(max(0, -d), n - max(0, d)), slice(max(0, d), n + min(0, d))


def same_label(a, b):
    """The ideal affinity of grid labels (B, 1, H, W): 1 inside a segment, 0 across."""
    return (a == b).squeeze(1).float()


def neighbour_affinities(embed, radius, pair=l1_affinity):
    """W = pair(cell, neighbour) from every cell to each full-disc neighbour:
    (B, K, H, W) in full_disc_offsets order, 0 where the neighbour is outside
    the grid. Each unordered pair is computed once and written in both
    directions."""
    b, _, h, w = embed.shape
    offsets = full_disc_offsets(radius)
    out = embed.new_zeros(b, len(offsets), h, w)
    for dy, dx in half_disc_offsets(radius):
        (sy, ty), (sx, tx) = _spans(dy, h), _spans(dx, w)
        aff = pair(embed[:, :, sy, sx], embed[:, :, ty, tx])
        out[:, offsets.index((dy, dx)), sy, sx] = aff
        out[:, offsets.index((-dy, -dx)), ty, tx] = aff
    return offsets, out


def transition(embed, radius, beta, pair=l1_affinity):
    """The walk operator T = D^-1 A, A = W^beta over each cell itself (W = 1)
    and its full disc. Returns offsets (self first) and T as (B, K+1, H, W):
    T[:, k, y, x] weighs the neighbour (y + dy_k, x + dx_k)."""
    offsets, aff = neighbour_affinities(embed, radius, pair)
    a = torch.cat([torch.ones_like(aff[:, :1]), aff ** beta], dim=1)
    return [(0, 0)] + offsets, a / a.sum(dim=1, keepdim=True)


def random_walk(scores, offsets, trans, steps):
    """v <- T v, `steps` times, on score maps (B, C, H, W):
    v'(i) = sum_j A(i, j) v(j) / sum_j A(i, j).

    Works channels-last, (H, W, B, C), so that each shifted neighbour slice is
    one contiguous block per row (about 4x faster than (B, C, H, W) here)."""
    m = max(max(abs(dy), abs(dx)) for dy, dx in offsets)
    b, c, h, w = scores.shape
    weights = trans.permute(1, 2, 3, 0).unsqueeze(-1).contiguous()
    padded = scores.new_zeros(h + 2 * m, w + 2 * m, b, c)
    v = scores.permute(2, 3, 0, 1).contiguous()
    for _ in range(steps):
        padded[m:m + h, m:m + w] = v
        v = torch.zeros_like(v)
        for k, (dy, dx) in enumerate(offsets):
            v.addcmul_(weights[k], padded[m + dy:m + dy + h, m + dx:m + dx + w])
    return v.permute(2, 3, 0, 1).contiguous()
