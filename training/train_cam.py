#!/usr/bin/python3
"""Stage 1: train the CAM head on a cached backbone tap with image-level labels
(multilabel soft-margin loss). Writes <run>/cam_head.pt."""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from networks import cam_head  # noqa: E402
from tools.config import load_config, run_path, setup_torch  # noqa: E402
from tools.dataset import class_indices, label_vector, read_labels  # noqa: E402
from tools.features import channel_rms, load_split  # noqa: E402
from tools.stages import mark_done, stage_logger  # noqa: E402
from tools.train_loop import fit  # noqa: E402

STAGE = 'train_cam'


def build(cfg, in_channels):
    hp = cfg['cam']
    resize_to = hp.get('resize_to')
    grid = None if resize_to is None else (resize_to, cfg['grid']['input_size'] // cfg['grid']['stride'])
    return cam_head.Net(in_channels, hp['hidden'], len(class_indices(cfg['paths']['data'])), hp.get('kernel', 3), grid)


def load(cfg, device):
    """The trained head, in eval mode."""
    ckpt = torch.load(run_path(cfg, 'cam_head.pt'), map_location=device)
    net = build(cfg, ckpt['in_channels'])
    net.load_state_dict(ckpt['state_dict'])
    return net.to(device).eval()


def main(cfg):
    log = stage_logger(cfg, STAGE)
    device = setup_torch(cfg)
    data, tap = cfg['paths']['data'], cfg['taps']['cam']
    indices = class_indices(data)
    rows = read_labels(data, 'train')
    targets = torch.from_numpy(np.stack([label_vector(classes, indices) for _, classes in rows]))
    feats = load_split(cfg['paths']['features'], 'train', [tap], [sid for sid, _ in rows], log)[tap]
    net = build(cfg, feats.shape[1]).to(device)
    net.conv.set_input_rms(channel_rms(feats))

    def batch_loss(index):
        logits = net(feats[index].to(device, torch.float32))
        loss = F.multilabel_soft_margin_loss(logits, targets[index].to(device))
        return loss, {'loss': loss.item()}

    summary = fit(net, len(rows), batch_loss, cfg['cam'], log, 'cam')
    torch.save({'state_dict': net.state_dict(), 'in_channels': feats.shape[1]}, run_path(cfg, 'cam_head.pt'))
    log(f'cam head trained: {summary["history"][-1]} in {summary["seconds"]}s')
    mark_done(cfg, STAGE, summary)
    return summary


if __name__ == '__main__':
    main(load_config())
