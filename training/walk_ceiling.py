#!/usr/bin/python3
"""How much can any AffinityNet add to these CAMs? Walks a model set's CAMs
once with its trained AffinityNet and once with ideal affinities taken from
the ground-truth masks (1 inside a segment, 0 across), at each alpha, and
reports mIoU of CAM, walk and ideal walk. When the ideal walk gains little,
the CAMs are the limit, not the affinities.

    /usr/bin/python3 training/walk_ceiling.py --config training/config/scratch.json \
        [--split val] [--limit N] [--alpha 16,32,64] [--beta 16] [--ideal-only]

Writes <run>/walk_ceiling_<split>.json. Needs the run's CAMs (infer_cam) and,
unless --ideal-only, aff_head.pt (train_aff): the ideal walk alone tells
whether new CAMs are worth training an AffinityNet for.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tools.affinity import same_label  # noqa: E402
from tools.config import aff_feature_dir, load_config, run_path, setup_torch  # noqa: E402
from tools.dataset import VOC_CLASSES, batches_by_class_count, cell_pixels, read_cams, read_labels, read_mask  # noqa: E402
from tools.features import read_batch  # noqa: E402
from tools.heads import load_head  # noqa: E402
from tools.maps import grid_labels  # noqa: E402
from tools.metrics import confusion, mean_iou  # noqa: E402
from tools.predictions import cam_prediction, walk_labels  # noqa: E402
from tools.progress import Progress  # noqa: E402


def measure(cfg, split, limit, alphas, beta, log, trained=True):
    """Images read and the confusion-matrix mIoU (%) of CAM, the trained walk
    (unless trained is False) and the ideal walk per alpha."""
    device = setup_torch(cfg)
    run = cfg['paths']['run']
    net = load_head(cfg, 'aff', device) if trained else None
    rows = read_labels(cfg['paths']['data'], split)[:limit]
    n, cell = len(VOC_CLASSES), cell_pixels(cfg)
    conf = {}
    progress = Progress(log, f'walk ceiling {split}', len(rows), unit='img')
    done = 0
    for batch in batches_by_class_count(rows, cfg['rw']['batch_size']):
        ids = [sid for sid, _ in batch]
        cams, classes = (torch.from_numpy(a) for a in read_cams(run, split, batch))
        gts = [read_mask(cfg['paths']['data'], split, sid) for sid in ids]
        labels = grid_labels(torch.from_numpy(np.stack(gts).astype(np.int64)), cell)
        with torch.no_grad():
            outputs = {'cam': cam_prediction(cams, classes, cfg)}
            embed = net(read_batch(aff_feature_dir(cfg), split, cfg['taps']['aff'], ids, device)) if trained else None
            for a in alphas:
                if trained:
                    outputs[f'walk_alpha{a}'] = walk_labels(embed, cams, classes, cfg, alpha=a, beta=beta)
                outputs[f'ideal_alpha{a}'] = walk_labels(labels, cams, classes, cfg, alpha=a, beta=1, pair=same_label)
        for key, maps in outputs.items():
            for pred, gt in zip(maps, gts):
                conf.setdefault(key, np.zeros((n, n), np.int64))
                conf[key] += confusion(pred, gt, n)
        done += len(batch)
        progress.update(done)
    return len(rows), {key: round(100 * mean_iou(c), 2) for key, c in conf.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--config', required=True)
    parser.add_argument('--split', default='val', choices=('val', 'train'))
    parser.add_argument('--limit', type=int, default=None, help='first N images of the split')
    parser.add_argument('--alpha', default='16,32,64', help='comma-separated background exponents')
    parser.add_argument('--beta', type=float, default=None, help="the trained walk's beta (default: the config's)")
    parser.add_argument('--ideal-only', action='store_true', help='skip the trained walk (no aff_head.pt needed)')
    args = parser.parse_args()
    cfg = load_config(args.config)
    alphas = [float(a) if '.' in a else int(a) for a in args.alpha.split(',')]
    beta = cfg['rw']['beta'] if args.beta is None else args.beta
    images, result = measure(cfg, args.split, args.limit, alphas, beta, print, trained=not args.ideal_only)
    print(f'{cfg["name"]} {args.split}, {images} images: CAM {result["cam"]:.1f}')
    for a in alphas:
        trained = '' if args.ideal_only else \
            f'walk (trained AffinityNet, beta {beta:g}) {result[f"walk_alpha{a}"]:.1f}, '
        print(f'  alpha {a}: {trained}walk with ideal affinities {result[f"ideal_alpha{a}"]:.1f}')
    out = run_path(cfg, f'walk_ceiling_{args.split}.json')
    with open(out, 'w') as f:
        json.dump({'split': args.split, 'images': images, 'beta': beta, 'steps': cfg['rw']['steps'],
                   'miou_percent': result}, f, indent=1)
    print(f'written to {out}')


if __name__ == '__main__':
    main()
