#!/usr/bin/python3
"""How good are a model set's affinity labels? Makes them for the first N
train images (tools/aff_labels.py, the stage's own code) at each
alpha_high / alpha_low asked for, and measures them against the ground-truth
masks at the grid cells' centres:

- cells: share labelled foreground, background, ignore; how often a
  labelled cell is right;
- pairs (psa's half disc of the affinity radius): the share of the pairs
  that cross a true boundary which the labels call negative (the pairs that
  teach AffinityNet where a region ends), and how many labelled negatives
  really cross one.

    /usr/bin/python3 training/aff_label_quality.py --config training/config/scratch.json \
        [--limit 300] [--alpha-high 32,4,2] [--alpha-low 0.5]

Diagnostic only: training never sees the masks.
"""
import argparse
import copy
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tools.aff_labels import label_batches  # noqa: E402
from tools.affinity import BACKGROUND, IGNORE, pair_labels  # noqa: E402
from tools.config import load_config, setup_torch  # noqa: E402
from tools.dataset import cell_pixels, read_labels, read_mask  # noqa: E402
from tools.maps import grid_labels  # noqa: E402


def counts(labels, truth, radius):
    """Cell and pair counts of grid labels (B, H, W; 255 ignore) against the
    true labels of the same cells."""
    fg, bg = (labels != IGNORE) & (labels != BACKGROUND), labels == BACKGROUND
    _, _, true_neg = pair_labels(truth, radius)
    _, _, neg = pair_labels(labels, radius)
    return {'cells': labels.numel(), 'fg': int(fg.sum()), 'fg_right': int((fg & (labels == truth)).sum()),
            'bg': int(bg.sum()), 'bg_right': int((bg & (truth == BACKGROUND)).sum()), 'true_cross': int(true_neg.sum()),
            'true_cross_neg': int((true_neg & neg).sum()), 'neg': int(neg.sum())}


def shares(n):
    """counts (summed) -> the reported shares."""
    share = lambda a, b: round(n[a] / max(n[b], 1), 3)  # noqa: E731
    return {'foreground': share('fg', 'cells'), 'foreground_right': share('fg_right', 'fg'),
            'background': share('bg', 'cells'), 'background_right': share('bg_right', 'bg'),
            'true_boundary_pairs_negative': share('true_cross_neg', 'true_cross'), 'negatives_right': share('true_cross_neg', 'neg')}


def measure(cfg, rows):
    """shares() of the labels of `rows` (train) against the masks."""
    data, cell = cfg['paths']['data'], cell_pixels(cfg)
    total = {}
    for batch, _, labels in label_batches(cfg, rows):
        labels = labels.long()
        masks = torch.from_numpy(np.stack([read_mask(data, 'train', sid) for sid, _ in batch]).astype(np.int64))
        for key, value in counts(labels, grid_labels(masks, cell).squeeze(1).long(), cfg['aff_labels']['radius']).items():
            total[key] = total.get(key, 0) + value
    return shares(total)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--config', required=True)
    parser.add_argument('--limit', type=int, default=300, help='first N train images')
    parser.add_argument('--alpha-high', default=None, help="comma-separated (default: the config's)")
    parser.add_argument('--alpha-low', default=None, help="comma-separated (default: the config's)")
    args = parser.parse_args()
    base = load_config(args.config)
    setup_torch(base)
    rows = read_labels(base['paths']['data'], 'train')[:args.limit]
    values = lambda arg, key: [float(v) for v in arg.split(',')] if arg else [base['aff_labels'][key]]  # noqa: E731
    for high in values(args.alpha_high, 'alpha_high'):
        for low in values(args.alpha_low, 'alpha_low'):
            cfg = copy.deepcopy(base)
            cfg['aff_labels'].update(alpha_high=high, alpha_low=low)
            print(f'{cfg["name"]}, {len(rows)} train images, alpha_low {low:g}, alpha_high {high:g}: {measure(cfg, rows)}', flush=True)


if __name__ == '__main__':
    main()
