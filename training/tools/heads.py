"""The three trained heads ('cam', 'aff', 'seg') built from a model set's
config, and their checkpoints <run>/<head>_head.pt: the training stages save
them, the inference and export stages load them."""
import torch

from networks import aff_head, cam_guided_seg_head, cam_head, seg_head

from .config import run_path
from .dataset import class_indices


def _cam(cfg, in_channels):
    hp = cfg['cam']
    resize_to = hp.get('resize_to')
    grid = None if resize_to is None else (resize_to, cfg['grid']['input_size'] // cfg['grid']['stride'])
    return cam_head.Net(in_channels, hp['hidden'], len(class_indices(cfg['paths']['data'])), hp.get('kernel', 3), grid)


def _aff(cfg, in_channels):
    hp = cfg['aff']
    return aff_head.Net(cfg['taps']['aff'], in_channels, hp['stage_channels'], hp['embed_channels'], hp.get('embed_kernel', 1))


def seg_reads_cams(cfg):
    """True for the CAM-guided segmentation head (networks/cam_guided_seg_head.py)."""
    return bool(cfg['seg'].get('reads_cams'))


def _seg(cfg, in_channels):
    """`in_channels`: one count per tap of config.seg_taps (the fine tap's last)."""
    hp = cfg['seg']
    if seg_reads_cams(cfg):
        taps = cfg['taps']['seg']
        fine = (hp['fine_tap'], in_channels[len(taps)], hp['fine']) if hp.get('fine_tap') else None
        return cam_guided_seg_head.Net(taps, in_channels[:len(taps)], hp['hidden'], hp['trunk'], hp['evidence'],
                                       hp['dilation'], fine)
    return seg_head.Net(cfg['taps']['seg'], in_channels, hp['hidden'], 1 + len(class_indices(cfg['paths']['data'])),
                        hp['dilation'])


BUILDERS = {'cam': _cam, 'aff': _aff, 'seg': _seg}


def build_head(cfg, head, in_channels):
    """An untrained head; `in_channels` is the CAM head's tap's channel count,
    or the list of the other heads' taps' counts."""
    return BUILDERS[head](cfg, in_channels)


def head_path(cfg, head):
    return run_path(cfg, f'{head}_head.pt')


def save_head(cfg, head, net, in_channels):
    torch.save({'state_dict': net.state_dict(), 'in_channels': in_channels}, head_path(cfg, head))


def load_head(cfg, head, device):
    """The trained head, in eval mode."""
    ckpt = torch.load(head_path(cfg, head), map_location=device)
    net = build_head(cfg, head, ckpt['in_channels'])
    net.load_state_dict(ckpt['state_dict'])
    return net.to(device).eval()
