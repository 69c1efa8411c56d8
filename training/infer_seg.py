#!/usr/bin/python3
"""Stage 7: segmentation-head predictions for train and val: grid logits,
bilinear upsampling to the network input, argmax, scaling to the image
(maps.input_labels). Writes dataset.pred_path(..., 'seg', ...).

The CAM-guided head (seg.reads_cams) is asked about the classes the CAM head
names, as in the app on a composite (tools/class_cams.kept_channels)."""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tools.class_cams import kept_channels  # noqa: E402
from tools.config import load_config, seg_taps  # noqa: E402
from tools.dataset import class_indices, image_side, pred_path, read_labels, write_png  # noqa: E402
from tools.features import read_batch  # noqa: E402
from tools.heads import load_head, seg_reads_cams  # noqa: E402
from tools.maps import input_labels, normalize_cams  # noqa: E402
from tools.progress import Progress  # noqa: E402
from tools.stages import INFER_SEG, run_inference_stage  # noqa: E402

SPLITS = ('train', 'val')


def guided_labels(cfg, net, cam_net, feats, indices, side):
    """Label maps of the CAM-guided head for a batch, one image at a time
    (each has its own classes)."""
    tap = cfg['taps']['cam']
    scores, cams = torch.sigmoid(cam_net(feats[tap])), cam_net.forward_cam(feats[tap])
    out = []
    for i in range(len(scores)):
        kept = kept_channels(scores[i])
        own = {t: f[i:i + 1] for t, f in feats.items()}
        logits = net(own, normalize_cams(cams[i:i + 1, kept], cfg['cam']['norm_eps']))
        classes = torch.tensor([[0] + [indices[c] for c in kept]])
        out.append(input_labels(logits.cpu(), classes, cfg, side)[0])
    return torch.stack(out).numpy()


def infer_split(cfg, net, split, device, log):
    data, run = cfg['paths']['data'], cfg['paths']['run']
    channel_classes = torch.tensor([[0] + class_indices(data)])
    rows = read_labels(data, split)
    size, side = cfg['seg']['batch_size'], image_side(cfg)
    guided = seg_reads_cams(cfg)
    cam_net = load_head(cfg, 'cam', device) if guided else None
    taps = sorted(set(seg_taps(cfg)) | ({cfg['taps']['cam']} if guided else set()))
    progress = Progress(log, f'segmentation {split}', len(rows), unit='img')
    for start in range(0, len(rows), size):
        ids = [sid for sid, _ in rows[start:start + size]]
        with torch.no_grad():
            feats = read_batch(cfg['paths']['features'], split, taps, ids, device)
            if guided:
                labels = guided_labels(cfg, net, cam_net, feats, class_indices(data), side)
            else:
                labels = input_labels(net(feats).cpu(), channel_classes.expand(len(ids), -1), cfg, side).numpy()
        for sid, label in zip(ids, labels):
            write_png(pred_path(run, split, 'seg', sid), label)
        progress.update(start + len(ids))
    return len(rows)


def main(cfg):
    return run_inference_stage(cfg, INFER_SEG, 'seg', infer_split, SPLITS)


if __name__ == '__main__':
    main(load_config())
