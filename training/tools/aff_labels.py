"""The affinity labels of train images (docs/algorithm.md §2), made from
their CAMs on the grid as make_aff_labels describes, and where they are
stored: make_aff_labels writes them, train_aff learns from them,
aff_label_quality measures them."""
import numpy as np
import torch

from .affinity import IGNORE, combine_alpha_labels
from .config import run_path
from .crf import cell_colours, mean_field
from .dataset import batches_by_class_count, cell_pixels, read_cams, read_image
from .maps import channel_argmax, grid_scores, with_background_class

BATCH = 64


def label_path(cfg, sid):
    return run_path(cfg, 'aff_labels', sid + '.png')


def affinity_labels(cams, classes, images, cfg):
    """(B, K, H, W) grid CAMs, (B, K) class ids and (B, size, size, 3) uint8
    images -> uint8 grid labels (B, H, W)."""
    channel_classes = with_background_class(classes)
    crf = cfg['aff_labels'].get('crf')
    cell = cell_pixels(cfg)
    colours = None if crf is None else cell_colours(images, cell)

    def scores(alpha):
        s = grid_scores(cams, alpha, cfg)
        return s if crf is None else mean_field(s, colours, dict(crf, cell=cell))

    low, high = (channel_argmax(scores(cfg['aff_labels'][key]), channel_classes) for key in ('alpha_low', 'alpha_high'))
    labels = combine_alpha_labels(low, high)
    labels[dead_cam(cams)] = IGNORE
    return labels


def label_batches(cfg, rows):
    """(rows, grid CAMs, grid labels) per batch of train `rows`."""
    for batch in batches_by_class_count(rows, BATCH):
        cams, classes = (torch.from_numpy(a) for a in read_cams(cfg['paths']['run'], 'train', batch))
        images = np.stack([read_image(cfg['paths']['data'], 'train', sid) for sid, _ in batch])
        yield batch, cams, affinity_labels(cams, classes, images, cfg)


def dead_cam(cams):
    """(B,) True where some class's CAM is zero everywhere."""
    return (cams.amax(dim=(2, 3)) <= 0).any(dim=1)
