#!/usr/bin/python3
"""Stage 3: affinity labels on the feature grid (docs/algorithm.md §2) for
the train split, made by tools/aff_labels.py.

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

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tools.aff_labels import dead_cam, label_batches, label_path  # noqa: E402
from tools.affinity import IGNORE  # noqa: E402
from tools.config import load_config, setup_torch  # noqa: E402
from tools.dataset import read_labels, write_png  # noqa: E402
from tools.progress import Progress  # noqa: E402
from tools.stages import MAKE_AFF_LABELS, mark_done, stage_logger  # noqa: E402


def main(cfg):
    log = stage_logger(cfg, MAKE_AFF_LABELS)
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
    mark_done(cfg, MAKE_AFF_LABELS, {'images': len(rows), 'dropped_zero_cam': dead, 'cell_share': share})
    return share


if __name__ == '__main__':
    main(load_config())
