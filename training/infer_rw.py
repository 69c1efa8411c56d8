#!/usr/bin/python3
"""Stage 5: revise the CAMs with the random walk (docs/algorithm.md §4) on train (the
pseudo labels for the segmentation head) and val (evaluation). Score maps
get a background of exponent alpha and are average-pooled to the grid
(maps.grid_scores), walked `steps` times with T = D^-1 W^beta over the full
radius disc plus self, each class divided by its peak, upsampled bilinearly
to the network input, argmaxed and scaled to the image (maps.walk_labels_at_image).
Writes dataset.pred_path(..., 'rw', ...).

The train split's label maps are the segmentation head's pseudo labels. With
`rw.pseudo_label_peaks` false they are psa's argmax of the walked maps as
they are: peak-normalised ones grow every class a little, and a head trained
on them overflowed objects on photographs (docs/algorithm.md §4). Val is
always labelled as the app labels it, for the evaluation.

Resumable per image: label maps that exist are kept as long as they were
made by the same aff_head.pt with the same `pseudo_label_peaks` (both stamped
in <run>/rw_stamp.txt); a new head or setting clears them."""
import os
import shutil
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tools.config import aff_feature_dir, load_config, run_path  # noqa: E402
from tools.dataset import batches_by_class_count, pred_path, read_cams, read_labels, write_png  # noqa: E402
from tools.features import read_batch  # noqa: E402
from tools.heads import head_path  # noqa: E402
from tools.predictions import walk_labels  # noqa: E402
from tools.progress import Progress  # noqa: E402
from tools.stages import INFER_RW, run_inference_stage  # noqa: E402

SPLITS = ('val', 'train')  # val first: its numbers are wanted early


def pseudo_label_peaks(cfg):
    return cfg['rw'].get('pseudo_label_peaks', True)


def keep_outputs_of_current_head(cfg):
    """Deletes walk outputs unless they came from the current aff_head.pt and pseudo-label setting."""
    stamp_path = run_path(cfg, 'rw_stamp.txt')
    stamp = f"{os.stat(head_path(cfg, 'aff')).st_mtime_ns} pseudo_label_peaks={pseudo_label_peaks(cfg)}"
    if not os.path.exists(stamp_path) or open(stamp_path).read() != stamp:
        for split in SPLITS:
            shutil.rmtree(os.path.dirname(pred_path(cfg['paths']['run'], split, 'rw', 'x')), ignore_errors=True)
        with open(stamp_path, 'w') as f:
            f.write(stamp)


def infer_split(cfg, net, split, device, log):
    run = cfg['paths']['run']
    rows = [r for r in read_labels(cfg['paths']['data'], split) if not os.path.exists(pred_path(run, split, 'rw', r[0]))]
    progress = Progress(log, f'random walk {split}', len(rows), unit='img')
    done = 0
    for batch in batches_by_class_count(rows, cfg['rw']['batch_size']):
        ids = [sid for sid, _ in batch]
        cams, classes = (torch.from_numpy(a).to(device) for a in read_cams(run, split, batch))
        with torch.no_grad():
            embed = net(read_batch(aff_feature_dir(cfg), split, cfg['taps']['aff'], ids, device))
            labels = walk_labels(embed, cams, classes, cfg, peaks=split == 'val' or pseudo_label_peaks(cfg))
        for sid, label in zip(ids, labels):
            write_png(pred_path(run, split, 'rw', sid), label)
        done += len(batch)
        progress.update(done)
    return len(rows)


def main(cfg):
    keep_outputs_of_current_head(cfg)
    return run_inference_stage(cfg, INFER_RW, 'aff', infer_split, SPLITS, {'params': cfg['rw']})


if __name__ == '__main__':
    main(load_config())
