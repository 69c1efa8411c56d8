"""A model set's own backbone (networks/mobilenet_v2, config "backbone"
section): built from the config, its trained weights, its input and its taps.
train_backbone trains it; train_aff fine-tunes a copy."""
import torch

from networks import mobilenet_v2

from .config import run_path
from .dataset import class_indices

# Tap role -> the map of net.stages() it reads.
TAPS = {'fpn_s8': 'fpn', 'bb_s8': 's8', 'bb_s16': 's16', 'bb_s32': 's32'}


def build_backbone(cfg):
    b = cfg['backbone']
    return mobilenet_v2.Net(len(class_indices(cfg['paths']['data'])), b['width'], b['last_channels'], b['fpn_channels'])


def weights_path(cfg):
    """The trained weights, BatchNorm unfolded: <run>/backbone.pt."""
    return run_path(cfg, 'backbone.pt')


def load_backbone(cfg, device):
    """The trained backbone, in eval mode."""
    net = build_backbone(cfg)
    net.load_state_dict(torch.load(weights_path(cfg), map_location=device))
    return net.to(device).eval()


def tap_maps(net, x, taps):
    """{tap: (B, C, h, w)} for the named taps of a normalised batch."""
    stages = net.stages(x)
    return {tap: stages[TAPS[tap]] for tap in taps}


def normalise(images, cfg):
    """uint8-range RGB (B, 3, H, W) -> the network's input, exactly as the TS backbone does."""
    norm = cfg['backbone']['input']
    return images * norm['scale'] + norm['offset']
