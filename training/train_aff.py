#!/usr/bin/python3
"""Stage 4: train the AffinityNet head on the affinity labels (docs/algorithm.md §3).

Every batch takes one random crop of the grid (psa trains on random crops
too). A pointwise head (embed_kernel 1) is cropped after upsampling the
coarse stages, which is exact and cheap; one whose embedding conv sees
neighbours is cropped after it, so crop edges see the same padding as
inference. Writes
<run>/aff_head.pt.

With config aff.backbone (a set with its own backbone), the head trains
together with a copy of the backbone, as psa's AffinityNet fine-tunes its
whole network: the classification backbone alone marks too few region
boundaries for a head on its frozen features to learn. The copy starts from
<run>/backbone.pt, learns at aff.backbone.lr_mult times the head's rate with
BatchNorm statistics frozen, and sees whole images at the network input size,
flipped at random. It is exported to <run>/aff_backbone/ (the
train_backbone format; the app runs it for the affinity stage), its taps are
cached with the app's code in the second feature cache
(config.aff_feature_dir) and checked against PyTorch (backbone_parity.parity)."""
import os
import sys

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tools import feature_cache  # noqa: E402
from tools.aff_labels import label_path  # noqa: E402
from tools.affinity import affinity_loss, half_disc_pairs, l1_affinity, pair_labels  # noqa: E402
from tools.backbone import load_backbone, normalise, tap_maps  # noqa: E402
from tools.backbone_export import export_with_reference  # noqa: E402
from tools.backbone_parity import parity  # noqa: E402
from tools.config import aff_feature_dir, aff_finetunes_backbone, load_config, run_path, setup_torch  # noqa: E402
from tools.dataset import read_images, read_labels, read_png  # noqa: E402
from tools.features import batch, channel_rms, load_split  # noqa: E402
from tools.heads import build_head, save_head  # noqa: E402
from tools.maps import upsample  # noqa: E402
from tools.stages import TRAIN_AFF, mark_done, stage_logger  # noqa: E402
from tools.train_loop import fit  # noqa: E402

# Images at a time when resizing, and for the heads' input RMS.
CHUNK = 100


def random_crop(maps, labels, size):
    """The same random size x size window of maps (B, C, H, W) and labels (B, H, W)."""
    h, w = labels.shape[-2:]
    y, x = (int(torch.randint(0, n - size + 1, ())) if n > size else 0 for n in (h, w))
    return maps[:, :, y:y + size, x:x + size], labels[:, y:y + size, x:x + size]


def pair_loss(embed, labels, cfg):
    bg_pos, fg_pos, neg = pair_labels(labels, cfg['aff_labels']['radius'])
    loss, terms = affinity_loss(l1_affinity(*half_disc_pairs(embed, cfg['aff_labels']['radius'])), bg_pos, fg_pos, neg, cfg['aff']['loss_eps'])
    return loss, {'loss': loss.item(), 'bg_pos': terms[0].item(), 'fg_pos': terms[1].item(), 'neg': terms[2].item()}


class BackboneWithHead(nn.Module):
    """The fine-tuned backbone and the head as one network; BatchNorm keeps
    the backbone's statistics (batches of 8 are too small to re-estimate them)."""

    def __init__(self, backbone, head, cfg):
        super().__init__()
        self.backbone, self.head, self.cfg = backbone, head, cfg

    def train(self, mode=True):
        super().train(mode)
        self.backbone.eval()
        return self

    def forward(self, images):
        x = normalise(images, self.cfg)
        return self.head(tap_maps(self.backbone, x, self.head.taps))


def resized_images(cfg, split, ids):
    """float16 (N, 3, s, s) at the network input, resized as the app resizes
    (bilinear, half-pixel centres, no antialiasing)."""
    size = cfg['grid']['input_size']
    out = []
    for start in range(0, len(ids), CHUNK):
        u8 = read_images(cfg['paths']['data'], split, ids[start:start + CHUNK]).float()
        out.append(upsample(u8, size).half())
    return torch.cat(out)


def train_with_backbone(cfg, ids, labels, device, log):
    hp, taps = cfg['aff'], cfg['taps']['aff']
    images = resized_images(cfg, 'train', ids)
    log(f'decoded and resized {len(ids)} images to {tuple(images.shape[1:])}')
    backbone = load_backbone(cfg, device)
    with torch.no_grad():
        first = tap_maps(backbone, normalise(images[:CHUNK].float().to(device), cfg), taps)
    in_channels = [first[tap].shape[1] for tap in taps]
    head = build_head(cfg, 'aff', in_channels).to(device)
    head.set_input_rms([channel_rms(first[tap]) for tap in taps])
    net = BackboneWithHead(backbone, head, cfg)
    fine = hp['backbone']
    groups = [{'params': head.parameters()},
              {'params': backbone.parameters(), 'lr': hp['lr'] * fine['lr_mult'], 'weight_decay': fine['weight_decay']}]

    def batch_loss(index):
        x, lab = images[index].to(device, torch.float32), labels[index].to(device)
        if torch.rand(()) < 0.5:
            x, lab = x.flip(-1), lab.flip(-1)
        return pair_loss(net(x), lab, cfg)

    summary = fit(net, len(ids), batch_loss, hp, log, 'aff + backbone', groups)
    save_head(cfg, 'aff', head, in_channels)
    folder = run_path(cfg, 'aff_backbone')
    val_id = read_labels(cfg['paths']['data'], 'val')[0][0]
    val_image = read_images(cfg['paths']['data'], 'val', [val_id])[0]
    summary['backbone_parameters'] = export_with_reference(backbone.cpu(), cfg, folder, val_image, val_id)
    log(f'exported the fine-tuned backbone to {folder}')
    feature_cache.fill(cfg, aff_feature_dir(cfg), taps, log, os.path.join(folder, 'model.json'))
    summary['parity'] = parity(cfg, log, folder, aff_feature_dir(cfg))
    return summary


def train_on_features(cfg, ids, labels, device, log):
    hp = cfg['aff']
    feats = load_split(cfg['paths']['features'], 'train', cfg['taps']['aff'], ids, log)
    in_channels = [feats[tap].shape[1] for tap in cfg['taps']['aff']]
    net = build_head(cfg, 'aff', in_channels).to(device)
    net.set_input_rms([channel_rms(feats[tap]) for tap in cfg['taps']['aff']])

    def batch_loss(index):
        stages = net.stage_maps(batch(feats, index, device))
        if net.pointwise:
            stages, lab = random_crop(stages, labels[index].to(device), hp['crop'])
            embed = net.embed_maps(stages)
        else:
            embed, lab = random_crop(net.embed_maps(stages), labels[index].to(device), hp['crop'])
        return pair_loss(embed, lab, cfg)

    summary = fit(net, len(ids), batch_loss, hp, log, 'aff')
    save_head(cfg, 'aff', net, in_channels)
    return summary


def main(cfg):
    log = stage_logger(cfg, TRAIN_AFF)
    device = setup_torch(cfg)
    ids = [sid for sid, _ in read_labels(cfg['paths']['data'], 'train')]
    labels = torch.from_numpy(np.stack([read_png(label_path(cfg, sid)) for sid in ids]))
    train = train_with_backbone if aff_finetunes_backbone(cfg) else train_on_features
    summary = train(cfg, ids, labels, device, log)
    log(f'affinity head trained: {summary["history"][-1]} in {summary["seconds"]}s')
    mark_done(cfg, TRAIN_AFF, summary)
    return summary


if __name__ == '__main__':
    main(load_config())
