#!/usr/bin/python3
"""Stage 7: segmentation-head predictions for train and val: grid logits,
bilinear upsampling to the network input, argmax, scaling to the image
(maps.input_labels). Writes dataset.pred_path(..., 'seg', ...)."""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tools.config import load_config  # noqa: E402
from tools.dataset import class_indices, image_side, pred_path, read_labels, write_png  # noqa: E402
from tools.features import read_batch  # noqa: E402
from tools.maps import input_labels  # noqa: E402
from tools.progress import Progress  # noqa: E402
from tools.stages import INFER_SEG, run_inference_stage  # noqa: E402

SPLITS = ('train', 'val')


def infer_split(cfg, net, split, device, log):
    data, run = cfg['paths']['data'], cfg['paths']['run']
    channel_classes = torch.tensor([[0] + class_indices(data)])
    rows = read_labels(data, split)
    size, side = cfg['seg']['batch_size'], image_side(cfg)
    progress = Progress(log, f'segmentation {split}', len(rows), unit='img')
    for start in range(0, len(rows), size):
        ids = [sid for sid, _ in rows[start:start + size]]
        with torch.no_grad():
            logits = net(read_batch(cfg['paths']['features'], split, cfg['taps']['seg'], ids, device))
            labels = input_labels(logits.cpu(), channel_classes.expand(len(ids), -1), cfg, side).numpy()
        for sid, label in zip(ids, labels):
            write_png(pred_path(run, split, 'seg', sid), label)
        progress.update(start + len(ids))
    return len(rows)


def main(cfg):
    return run_inference_stage(cfg, INFER_SEG, 'seg', infer_split, SPLITS)


if __name__ == '__main__':
    main(load_config())
