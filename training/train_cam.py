#!/usr/bin/python3
"""Stage 1: train the CAM head on a cached backbone tap with image-level labels
(multilabel soft-margin loss). Writes <run>/cam_head.pt."""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tools.config import load_config, setup_torch  # noqa: E402
from tools.dataset import class_indices, label_vector, read_labels  # noqa: E402
from tools.features import channel_rms, load_split  # noqa: E402
from tools.heads import build_head, save_head  # noqa: E402
from tools.stages import TRAIN_CAM, mark_done, stage_logger  # noqa: E402
from tools.train_loop import fit  # noqa: E402


def main(cfg):
    log = stage_logger(cfg, TRAIN_CAM)
    device = setup_torch(cfg)
    data, tap = cfg['paths']['data'], cfg['taps']['cam']
    indices = class_indices(data)
    rows = read_labels(data, 'train')
    targets = torch.from_numpy(np.stack([label_vector(classes, indices) for _, classes in rows]))
    feats = load_split(cfg['paths']['features'], 'train', [tap], [sid for sid, _ in rows], log)[tap]
    net = build_head(cfg, 'cam', feats.shape[1]).to(device)
    net.conv.set_input_rms(channel_rms(feats))

    def batch_loss(index):
        logits = net(feats[index].to(device, torch.float32))
        loss = F.multilabel_soft_margin_loss(logits, targets[index].to(device))
        return loss, {'loss': loss.item()}

    summary = fit(net, len(rows), batch_loss, cfg['cam'], log, 'cam')
    save_head(cfg, 'cam', net, feats.shape[1])
    log(f'cam head trained: {summary["history"][-1]} in {summary["seconds"]}s')
    mark_done(cfg, TRAIN_CAM, summary)
    return summary


if __name__ == '__main__':
    main(load_config())
