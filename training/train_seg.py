#!/usr/bin/python3
"""Stage 6: train the segmentation head on the random-walk pseudo labels of
the train split. Writes <run>/seg_head.pt.

The loss is taken on the head's output grid against soft targets: each
cell's target is the share of every class among its 8x8 pseudo-label pixels
(4x4 for a head on a stride-4 fine tap, seg.fine_tap). That equals the
mean pixel cross-entropy over the cell for logits constant within the cell,
and costs 1/64 of a loss at 512x512; the bilinear upsampling at inference
places boundaries where those shares cross.

It trains on the train images that have pseudo labels (all of them after a
complete random-walk stage) and records how many.

With seg.reads_cams the head is the CAM-guided one
(networks/cam_guided_seg_head.py): it is given each ground-truth class's
CAM (infer_cam's, as the walk is) and its channels are [background, the
image's classes]. Half of those CAMs are swapped for detector-like box
evidence (tools/class_cams.box_evidence), the kind it gets on photographs.
With seg.mosaics it also trains on the mosaic split
(data/build_mosaics.py): train images shrunk 2x2 and 4x4, so that it meets
objects of one or two grid cells, with each tile's own CAMs and pseudo
labels (tools/seg_mosaics.py); with seg.zooms also on its zooms, crops of
train images enlarged 2-3x, so that it meets objects that fill the image.
With seg.weakest_evidence below 1, half of
the class maps it is given are scaled down at random, to as little as that,
so that it segments an object whose evidence peaks below the class's best
(a far duck's box beside a near one's)."""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tools.class_cams import MAX_CLASSES, box_evidence, padded, weakened  # noqa: E402
from tools.config import load_config, seg_taps, setup_torch  # noqa: E402
from tools.dataset import cam_path, cell_pixels, class_indices, image_side, pred_path, read_labels, read_png  # noqa: E402
from tools.features import batch, channel_rms, load_split, tap_specs  # noqa: E402
from tools.heads import build_head, save_head, seg_reads_cams  # noqa: E402
from tools.seg_mosaics import SPLIT as MOSAIC_SPLIT, has_pseudo_labels, mosaic_sample, read_layout, zoom_sample  # noqa: E402
from tools.stages import TRAIN_SEG, mark_done, stage_logger  # noqa: E402
from tools.train_loop import fit  # noqa: E402


def soft_targets(label, channel_of_class, num_channels, stride):
    """VOC label map (H, W) -> per-cell class shares (channels, H/stride, W/stride)."""
    channels = torch.from_numpy(channel_of_class[label]).long()
    one_hot = F.one_hot(channels, num_channels).permute(2, 0, 1).float().unsqueeze(0)
    return F.avg_pool2d(one_hot, stride, stride)[0]


def guided_inputs(cfg, ids):
    """Normalised ground-truth-class CAMs (B, MAX_CLASSES, H, W), their
    class ids (0 = padding) and the mask of real ones."""
    rows = [padded(torch.from_numpy(z['cams']), z['classes'], MAX_CLASSES, cfg['cam']['norm_eps'])
            for z in (np.load(cam_path(cfg['paths']['run'], 'train', sid)) for sid in ids)]
    return tuple(torch.stack(parts) for parts in zip(*rows))


def image_targets(label, classes, stride):
    """Pseudo-label map -> per-cell shares of [background, classes...] in that order."""
    channel_of_class = np.zeros(256, np.int64)
    real = [int(c) for c in classes if c]
    channel_of_class[real] = np.arange(1, len(real) + 1)
    return soft_targets(label, channel_of_class, 1 + len(classes), stride)


def guided_loss(net, feats, evidence, padding, targets, device):
    """Mean cross-entropy of the CAM-guided head over a batch whose images
    ask about the same number of (partly padded) classes."""
    logits = net(feats, evidence.to(device))
    logits = logits.masked_fill(padding[:, :, None, None].to(device), -1e4)
    return F.cross_entropy(logits, targets.to(device, torch.float32))


def output_cell_pixels(cfg):
    """Image pixels per cell of the head's output grid: the grid's, or, with
    a fine tap, the fine tap's (its stride over the grid's)."""
    fine = cfg['seg'].get('fine_tap')
    if not fine:
        return cell_pixels(cfg)
    return image_side(cfg) * tap_specs(cfg['paths']['features'])[fine]['stride'] // cfg['grid']['input_size']


def mosaic_inputs(cfg, layout, log):
    """The mosaic split's ids to train on and, per id, normalised class CAMs
    (K, H, W) and per-cell targets (1 + K, H', W') on the head's output grid,
    K varying from one to the next; a zoom whose crop holds no class is left
    out. The box evidence is drawn once, from its own seed."""
    generator = torch.Generator().manual_seed(cfg['seed'] + 1)
    eps, run, stride = cfg['cam']['norm_eps'], cfg['paths']['run'], output_cell_pixels(cfg)
    ids, rows, kept = [], [], {'mosaics': 0, 'zooms': 0}
    for sid, grid, tiles, crop in layout:
        sample = zoom_sample(run, tiles[0], crop, generator, eps) if crop else \
            mosaic_sample(run, grid, tiles, generator, eps)
        if sample is not None:
            cams, classes, labels = sample
            ids.append(sid)
            rows.append((cams, image_targets(labels, classes, stride).half()))
            kept['zooms' if crop else 'mosaics'] += 1
    zooms = sum(crop is not None for _, _, _, crop in layout)
    log(f'{len(rows)} of the split: {kept["mosaics"]} mosaics, {kept["zooms"]} of {zooms} zooms '
        f'(the rest hold no class), up to {max(c.shape[0] for c, _ in rows)} classes each')
    return ids, rows


def stack_padded(rows):
    """Variable-K mosaic rows -> (B, K, H, W) CAMs, (B, 1 + K, H', W') targets
    and the (B, 1 + K) padding mask, K the batch's largest."""
    k = max(cams.shape[0] for cams, _ in rows)
    cams = torch.zeros(len(rows), k, *rows[0][0].shape[1:])
    targets = torch.zeros(len(rows), 1 + k, *rows[0][1].shape[1:])
    padding = torch.ones(len(rows), 1 + k, dtype=torch.bool)
    for i, (c, t) in enumerate(rows):
        cams[i, :c.shape[0]], targets[i, :t.shape[0]] = c, t.float()
        padding[i, :t.shape[0]] = False
    return cams, targets, padding


def train_guided(cfg, net, feats, ids, device, log, mosaic_feats=None, mosaic_rows=()):
    cams, classes, valid = guided_inputs(cfg, ids)
    targets = torch.stack([image_targets(read_png(pred_path(cfg['paths']['run'], 'train', 'rw', sid)), c.tolist(),
                                         output_cell_pixels(cfg)).half() for sid, c in zip(ids, classes)])
    padding = torch.cat([torch.zeros(len(ids), 1, dtype=torch.bool), ~valid], dim=1)
    generator = torch.Generator().manual_seed(cfg['seed'])

    jitter = torch.Generator().manual_seed(cfg['seed'] + 2)

    def weak(evidence):
        return weakened(evidence, jitter, cfg['seg'].get('weakest_evidence', 1.0))

    def batch_loss(index):
        whole, tiled = index[index < len(ids)], index[index >= len(ids)] - len(ids)
        total = 0
        if len(whole):
            evidence = weak(box_evidence(cams[whole], valid[whole], generator, cfg['cam']['norm_eps']))
            total = total + len(whole) * guided_loss(net, batch(feats, whole, device), evidence, padding[whole],
                                                     targets[whole], device)
        if len(tiled):
            m_cams, m_targets, m_padding = stack_padded([mosaic_rows[i] for i in tiled.tolist()])
            total = total + len(tiled) * guided_loss(net, batch(mosaic_feats, tiled, device), weak(m_cams),
                                                     m_padding, m_targets, device)
        loss = total / len(index)
        return loss, {'loss': loss.item()}

    return fit(net, len(ids) + len(mosaic_rows), batch_loss, cfg['seg'], log, 'seg')


def train_plain(cfg, net, feats, ids, device, log):
    indices = class_indices(cfg['paths']['data'])
    channel_of_class = np.zeros(256, np.int64)
    channel_of_class[indices] = np.arange(1, len(indices) + 1)
    targets = torch.stack([soft_targets(read_png(pred_path(cfg['paths']['run'], 'train', 'rw', sid)), channel_of_class,
                                        1 + len(indices), cell_pixels(cfg)).half() for sid in ids])

    def batch_loss(index):
        logits = net(batch(feats, index, device))
        loss = F.cross_entropy(logits, targets[index].to(device, torch.float32))
        return loss, {'loss': loss.item()}

    return fit(net, len(ids), batch_loss, cfg['seg'], log, 'seg')


def main(cfg):
    log = stage_logger(cfg, TRAIN_SEG)
    device = setup_torch(cfg)
    data, run, taps = cfg['paths']['data'], cfg['paths']['run'], seg_taps(cfg)
    ids = [sid for sid, _ in read_labels(data, 'train') if os.path.exists(pred_path(run, 'train', 'rw', sid))]
    if not ids:
        raise FileNotFoundError('no random-walk pseudo labels; run infer_rw first')
    log(f'{len(ids)} train images with pseudo labels')
    feats = load_split(cfg['paths']['features'], 'train', taps, ids, log)
    in_channels = [feats[tap].shape[1] for tap in taps]
    net = build_head(cfg, 'seg', in_channels).to(device)
    net.set_input_rms([channel_rms(feats[tap]) for tap in taps])
    if seg_reads_cams(cfg):
        layout = [m for m in read_layout(data) if has_pseudo_labels(run, m[2]) and (m[3] is None or cfg['seg'].get('zooms'))] \
            if cfg['seg'].get('mosaics') else []
        mosaic_ids, mosaic_rows = mosaic_inputs(cfg, layout, log) if layout else ([], [])
        mosaic_feats = load_split(cfg['paths']['features'], MOSAIC_SPLIT, taps, mosaic_ids, log) if mosaic_ids else None
        summary = train_guided(cfg, net, feats, ids, device, log, mosaic_feats, mosaic_rows)
        summary['mosaics'] = len(mosaic_ids)
    else:
        summary = train_plain(cfg, net, feats, ids, device, log)
    save_head(cfg, 'seg', net, in_channels)
    summary['images'] = len(ids)
    log(f'segmentation head trained: {summary["history"][-1]} in {summary["seconds"]}s')
    mark_done(cfg, TRAIN_SEG, summary)
    return summary


if __name__ == '__main__':
    main(load_config())
