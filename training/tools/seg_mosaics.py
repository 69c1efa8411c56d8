"""Segmentation-head inputs of the mosaic split (data/build_mosaics.py): each
tile's class evidence and random-walk pseudo labels are those of its train
image, shrunk into the tile's place, or, for a zoom, cropped and enlarged as
its image was. Nothing here reads a ground-truth mask."""
import os

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from .class_cams import MAX_CLASSES, box_evidence, padded
from .dataset import cam_path, pred_path, read_png

SPLIT = 'mosaic'


def read_layout(data_dir):
    """[(mosaic id, grid, [train ids], crop)], crop None for a mosaic and
    (x, y, side) in the train image's pixels for a zoom; [] when the data set
    has no mosaics."""
    path = os.path.join(data_dir, SPLIT, 'layout.tsv')
    if not os.path.exists(path):
        return []
    with open(path) as f:
        rows = [line.rstrip('\n').split('\t') for line in f][1:]
    return [(sid, int(grid), tiles.split(','), tuple(int(v) for v in crop.split(',')) if crop else None)
            for sid, grid, tiles, crop in rows]


def tile_evidence(run, tile_id, generator, eps):
    """One tile's normalised CAMs, half of them swapped for box evidence as
    for whole images (train_seg.py): (MAX_CLASSES, H, W) and class ids."""
    z = np.load(cam_path(run, 'train', tile_id))
    cams, ids, valid = padded(torch.from_numpy(z['cams']), z['classes'], MAX_CLASSES, eps)
    return box_evidence(cams[None], valid[None], generator, eps)[0], ids


def mosaic_sample(run, grid, tiles, generator, eps):
    """(cams (K, H, W) normalised per class over the mosaic, K class ids in
    ascending order, pseudo-label map (S, S)); tile n sits at row n // grid,
    column n % grid."""
    per_class, labels = {}, None
    for n, tile_id in enumerate(tiles):
        row, col = divmod(n, grid)
        evidence, ids = tile_evidence(run, tile_id, generator, eps)
        small = F.avg_pool2d(evidence[None], grid)[0]
        h, w = small.shape[1:]
        for channel, c in enumerate(ids.tolist()):
            if c:
                canvas = per_class.setdefault(c, torch.zeros(evidence.shape[1:]))
                canvas[row * h:(row + 1) * h, col * w:(col + 1) * w] = small[channel]
        label = read_png(pred_path(run, 'train', 'rw', tile_id))
        if labels is None:
            labels = np.zeros(label.shape, np.uint8)
        side = label.shape[0] // grid
        labels[row * side:(row + 1) * side, col * side:(col + 1) * side] = \
            np.asarray(Image.fromarray(label).resize((side, side), Image.NEAREST))
    classes = sorted(per_class)
    cams = torch.stack([per_class[c] for c in classes])
    return cams / (cams.amax(dim=(1, 2), keepdim=True) + eps), classes, labels


def zoom_sample(run, tile_id, crop, generator, eps):
    """As mosaic_sample for a zoom: the tile's evidence and pseudo labels
    inside crop (x, y, side; on whole cells) enlarged to the full size, asked
    only about the classes its pseudo labels keep there (as the app asks only
    about the classes an image is said to hold); None when they keep none."""
    evidence, ids = tile_evidence(run, tile_id, generator, eps)
    label = read_png(pred_path(run, 'train', 'rw', tile_id))
    x, y, side = crop
    cell = label.shape[0] // evidence.shape[1]
    part = evidence[:, y // cell:(y + side) // cell, x // cell:(x + side) // cell]
    enlarged = F.interpolate(part[None], size=evidence.shape[1:], mode='bilinear', align_corners=False)[0]
    labels = np.asarray(Image.fromarray(label[y:y + side, x:x + side]).resize(label.shape[::-1], Image.NEAREST))
    present = set(np.unique(labels).tolist())
    kept = [(channel, c) for channel, c in enumerate(ids.tolist()) if c and c in present]
    if not kept:
        return None
    cams = enlarged[[channel for channel, _ in kept]]
    return cams / (cams.amax(dim=(1, 2), keepdim=True) + eps), [c for _, c in kept], labels


def has_pseudo_labels(run, tiles):
    return all(os.path.exists(pred_path(run, 'train', 'rw', t)) for t in tiles)
