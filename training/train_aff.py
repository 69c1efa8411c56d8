#!/usr/bin/python3
"""Stage 4: train the AffinityNet head on the affinity labels (SPEC.md §3).

Every batch takes one random crop of the grid (psa trains on random crops
too). A pointwise head (embed_kernel 1) is cropped after upsampling the
coarse stages, which is exact and cheap; one whose embedding conv sees
neighbours is cropped after it, so crop edges see the same padding as
inference. Writes
<run>/aff_head.pt."""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_aff_labels  # noqa: E402
from networks import aff_head  # noqa: E402
from tools.affinity import affinity_loss, half_disc_pairs, l1_affinity, pair_labels  # noqa: E402
from tools.config import load_config, run_path, setup_torch  # noqa: E402
from tools.dataset import read_labels, read_png  # noqa: E402
from tools.features import batch, channel_rms, load_split  # noqa: E402
from tools.stages import mark_done, stage_logger  # noqa: E402
from tools.train_loop import fit  # noqa: E402

STAGE = 'train_aff'


def build(cfg, in_channels):
    hp = cfg['aff']
    return aff_head.Net(cfg['taps']['aff'], in_channels, hp['stage_channels'], hp['embed_channels'], hp.get('embed_kernel', 1))


def load(cfg, device):
    ckpt = torch.load(run_path(cfg, 'aff_head.pt'), map_location=device)
    net = build(cfg, ckpt['in_channels'])
    net.load_state_dict(ckpt['state_dict'])
    return net.to(device).eval()


def random_crop(maps, labels, size):
    """The same random size x size window of maps (B, C, H, W) and labels (B, H, W)."""
    h, w = labels.shape[-2:]
    y, x = (int(torch.randint(0, n - size + 1, ())) if n > size else 0 for n in (h, w))
    return maps[:, :, y:y + size, x:x + size], labels[:, y:y + size, x:x + size]


def main(cfg):
    log = stage_logger(cfg, STAGE)
    device = setup_torch(cfg)
    hp, radius = cfg['aff'], cfg['aff_labels']['radius']
    ids = [sid for sid, _ in read_labels(cfg['paths']['data'], 'train')]
    feats = load_split(cfg['paths']['features'], 'train', cfg['taps']['aff'], ids, log)
    labels = torch.from_numpy(np.stack([read_png(make_aff_labels.label_path(cfg, sid)) for sid in ids]))
    net = build(cfg, [feats[tap].shape[1] for tap in cfg['taps']['aff']]).to(device)
    net.set_input_rms([channel_rms(feats[tap]) for tap in cfg['taps']['aff']])

    def batch_loss(index):
        stages = net.stage_maps(batch(feats, index, device))
        if net.pointwise:
            stages, lab = random_crop(stages, labels[index].to(device), hp['crop'])
            embed = net.embed_maps(stages)
        else:
            embed, lab = random_crop(net.embed_maps(stages), labels[index].to(device), hp['crop'])
        bg_pos, fg_pos, neg = pair_labels(lab, radius)
        loss, terms = affinity_loss(l1_affinity(*half_disc_pairs(embed, radius)), bg_pos, fg_pos, neg, hp['loss_eps'])
        return loss, {'loss': loss.item(), 'bg_pos': terms[0].item(), 'fg_pos': terms[1].item(), 'neg': terms[2].item()}

    summary = fit(net, len(ids), batch_loss, hp, log, 'aff')
    torch.save({'state_dict': net.state_dict(), 'in_channels': [feats[t].shape[1] for t in cfg['taps']['aff']]},
               run_path(cfg, 'aff_head.pt'))
    log(f'affinity head trained: {summary["history"][-1]} in {summary["seconds"]}s')
    mark_done(cfg, STAGE, summary)
    return summary


if __name__ == '__main__':
    main(load_config())
