#!/usr/bin/python3
"""Stage 5: revise the CAMs with the random walk (docs/algorithm.md §4) on train (the
pseudo labels for the segmentation head) and val (evaluation). Score maps
get a background of exponent alpha and are average-pooled to the grid
(maps.grid_scores), walked `steps` times with T = D^-1 W^beta over the full
radius disc plus self, upsampled bilinearly to the network input, argmaxed
and scaled to the image (maps.input_labels).
Writes dataset.pred_path(..., 'rw', ...).

Resumable per image: label maps that exist are kept as long as they were
made by the same aff_head.pt (its mtime is stamped in <run>/rw_stamp.txt);
a new head clears them."""
import os
import shutil
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_aff  # noqa: E402
from tools.affinity import l1_affinity, random_walk, transition  # noqa: E402
from tools.config import aff_feature_dir, load_config, run_path  # noqa: E402
from tools.dataset import batches_by_class_count, image_side, pred_path, read_cams, read_labels, write_png  # noqa: E402
from tools.features import read_batch  # noqa: E402
from tools.maps import grid_scores, input_labels  # noqa: E402
from tools.progress import Progress  # noqa: E402
from tools.stages import run_inference_stage  # noqa: E402

STAGE = 'infer_rw'
SPLITS = ('val', 'train')  # val first: its numbers are wanted early


def walk_labels(embed, cams, classes, cfg, alpha=None, beta=None, pair=l1_affinity):
    """Embeddings (B, D, H, W), grid CAMs (B, K, H, W), class ids (B, K) ->
    uint8 image-size label maps (B, size, size) after the walk; alpha and beta default
    to the config's, `pair` turns two cells' embeddings into W."""
    hp = cfg['rw']
    offsets, trans = transition(embed, hp['radius'], hp['beta'] if beta is None else beta, pair)
    walked = random_walk(grid_scores(cams, hp['alpha'] if alpha is None else alpha, cfg), offsets, trans, hp['steps'])
    channel_classes = torch.cat([torch.zeros_like(classes[:, :1]), classes], dim=1)
    return input_labels(walked, channel_classes, cfg, image_side(cfg)).numpy()


def keep_outputs_of_current_head(cfg):
    """Deletes walk outputs unless they came from the current aff_head.pt."""
    stamp_path = run_path(cfg, 'rw_stamp.txt')
    stamp = str(os.stat(run_path(cfg, 'aff_head.pt')).st_mtime_ns)
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
            labels = walk_labels(embed, cams, classes, cfg)
        for sid, label in zip(ids, labels):
            write_png(pred_path(run, split, 'rw', sid), label)
        done += len(batch)
        progress.update(done)
    return len(rows)


def main(cfg):
    keep_outputs_of_current_head(cfg)
    return run_inference_stage(cfg, STAGE, train_aff.load, infer_split, SPLITS, {'params': cfg['rw']})


if __name__ == '__main__':
    main(load_config())
