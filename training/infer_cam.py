#!/usr/bin/python3
"""Stage 2: CAMs of every train and val image for its ground-truth classes
(psa's label generation uses the image labels). Writes the raw grid CAMs
(dataset.cam_path) and the CAM-only prediction with psa's constant
background score (dataset.pred_path, method 'cam'). No flip or multi-scale
TTA: the cached features exist for the upright 512x512 image only."""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tools.config import load_config  # noqa: E402
from tools.dataset import batches_by_class_count, cam_path, class_indices, pred_path, read_labels, write_png  # noqa: E402
from tools.features import read_batch  # noqa: E402
from tools.predictions import cam_prediction  # noqa: E402
from tools.progress import Progress  # noqa: E402
from tools.stages import INFER_CAM, run_inference_stage  # noqa: E402

SPLITS = ('train', 'val')


def gt_class_cams(all_cams, classes, indices):
    """Selects each image's ground-truth channels: (B, C, H, W) -> (B, K, H, W)."""
    channels = torch.tensor([[indices.index(c) for c in row] for row in classes])
    return torch.stack([cams[ch] for cams, ch in zip(all_cams, channels)])


def infer_split(cfg, net, split, device, log):
    data, run, tap = cfg['paths']['data'], cfg['paths']['run'], cfg['taps']['cam']
    indices = class_indices(data)
    rows = read_labels(data, split)
    progress = Progress(log, f'cam {split}', len(rows), unit='img')
    done = 0
    for batch in batches_by_class_count(rows, cfg['cam']['batch_size']):
        ids = [sid for sid, _ in batch]
        with torch.no_grad():
            all_cams = net.forward_cam(read_batch(cfg['paths']['features'], split, [tap], ids, device)[tap]).cpu()
        classes = torch.tensor([c for _, c in batch])
        cams = gt_class_cams(all_cams, classes.tolist(), indices)
        for sid, c, k, label in zip(ids, cams, classes, cam_prediction(cams, classes, cfg)):
            os.makedirs(os.path.dirname(cam_path(run, split, sid)), exist_ok=True)
            np.savez(cam_path(run, split, sid), cams=c.numpy(), classes=k.numpy().astype(np.uint8))
            write_png(pred_path(run, split, 'cam', sid), label)
        done += len(batch)
        progress.update(done)
    return len(rows)


def main(cfg):
    return run_inference_stage(cfg, INFER_CAM, 'cam', infer_split, SPLITS)


if __name__ == '__main__':
    main(load_config())
