#!/usr/bin/python3
"""Stage 3: affinity labels on the feature grid (docs/algorithm.md §2) for the train split.

Done on the grid score maps the random walk also uses (maps.grid_scores):
CAMs upsampled to the network input, normalised there, given a background
with alpha_low or alpha_high, 8x8 average-pooled back to the grid; then argmax.
psa takes the argmax at image resolution after a dense CRF and pools the
label image; without a CRF, pooling the scores first gives the same labels
away from boundaries and avoids a 512x512 argmax per alpha. With
aff_labels.crf set, both score maps are first refined by a windowed dense CRF
on the grid (tools/crf.py) with psa's CRF parameters; without it, the coarse
stride-32 CAMs spill over the object edges (on 200 train images, 67% of the
confident-foreground cells were right without the CRF, 79% with it). Writes
<run>/aff_labels/<id>.png: grid size (64x64 for a 512 px input), VOC
index, 0 background, 255 ignore.

An image whose CAM is zero everywhere for one of its labelled classes gets
no labels at all (all ignore): its object would otherwise be confident
background, teaching AffinityNet that object and background belong together.
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tools.affinity import IGNORE, combine_alpha_labels  # noqa: E402
from tools.config import load_config, run_path, setup_torch  # noqa: E402
from tools.crf import cell_colours, mean_field  # noqa: E402
from tools.dataset import batches_by_class_count, cell_pixels, read_cams, read_image, read_labels, write_png  # noqa: E402
from tools.maps import channel_argmax, grid_scores  # noqa: E402
from tools.progress import Progress  # noqa: E402
from tools.stages import mark_done, stage_logger  # noqa: E402

STAGE = 'make_aff_labels'
BATCH = 64


def label_path(cfg, sid):
    return run_path(cfg, 'aff_labels', sid + '.png')


def affinity_labels(cams, classes, images, cfg):
    """(B, K, H, W) grid CAMs, (B, K) class ids and (B, size, size, 3) uint8
    images -> uint8 grid labels (B, H, W)."""
    channel_classes = torch.cat([torch.zeros_like(classes[:, :1]), classes], dim=1)
    crf = cfg['aff_labels'].get('crf')
    cell = cell_pixels(cfg)
    colours = None if crf is None else cell_colours(images, cell)

    def scores(alpha):
        s = grid_scores(cams, alpha, cfg)
        return s if crf is None else mean_field(s, colours, dict(crf, cell=cell))

    low, high = (channel_argmax(scores(cfg['aff_labels'][key]), channel_classes) for key in ('alpha_low', 'alpha_high'))
    labels = combine_alpha_labels(low, high)
    labels[dead_cam(cams)] = IGNORE
    return labels


def label_batches(cfg, rows):
    """(rows, grid CAMs, grid labels) per batch of train `rows`."""
    for batch in batches_by_class_count(rows, BATCH):
        cams, classes = (torch.from_numpy(a) for a in read_cams(cfg['paths']['run'], 'train', batch))
        images = np.stack([read_image(cfg['paths']['data'], 'train', sid) for sid, _ in batch])
        yield batch, cams, affinity_labels(cams, classes, images, cfg)


def dead_cam(cams):
    """(B,) True where some class's CAM is zero everywhere."""
    return (cams.amax(dim=(2, 3)) <= 0).any(dim=1)


def main(cfg):
    log = stage_logger(cfg, STAGE)
    setup_torch(cfg)
    rows = read_labels(cfg['paths']['data'], 'train')
    progress = Progress(log, 'affinity labels', len(rows), unit='img')
    counts = torch.zeros(3, dtype=torch.float64)  # background, foreground, ignore cells
    dead = done = 0
    for batch, cams, labels in label_batches(cfg, rows):
        dead += int(dead_cam(cams).sum())
        counts += torch.tensor([(labels == 0).sum(), ((labels != 0) & (labels != IGNORE)).sum(), (labels == IGNORE).sum()])
        for (sid, _), label in zip(batch, labels.numpy()):
            write_png(label_path(cfg, sid), label)
        done += len(batch)
        progress.update(done)
    share = {name: round(float(v / counts.sum()), 4) for name, v in zip(('background', 'foreground', 'ignore'), counts)}
    log(f'grid cells: {share}; {dead} images dropped for a zero CAM')
    mark_done(cfg, STAGE, {'images': len(rows), 'dropped_zero_cam': dead, 'cell_share': share})
    return share


if __name__ == '__main__':
    main(load_config())
