"""Score-map maths of docs/algorithm.md §1 and §4, the same as src/core/cam.ts.

Maps are torch tensors (B, C, H, W). The order of operations follows psa:
CAMs are upsampled to the image, normalised per class there, given a
background channel, and average-pooled back to the grid for the walk.
"""
import torch
import torch.nn.functional as F


def upsample(maps, size):
    """Bilinear with half-pixel centres (torch align_corners=False = tfjs halfPixelCenters)."""
    return F.interpolate(maps, size=(size, size), mode='bilinear', align_corners=False)


def normalize_cams(cams, eps):
    """M_c / (max_xy M_c + eps) per image and class."""
    peak = cams.amax(dim=(2, 3), keepdim=True)
    return cams / (peak + eps)


def with_background(cams, alpha):
    """Prepends (1 - max_c M_c)^alpha; the base is clamped at 0 like cam.ts."""
    bg = (1 - cams.amax(dim=1, keepdim=True)).clamp(min=0) ** alpha
    return torch.cat([bg, cams], dim=1)


def with_constant_background(cams, score):
    """psa's CAM-only evaluation: a constant background score before the argmax."""
    bg = torch.full_like(cams[:, :1], score)
    return torch.cat([bg, cams], dim=1)


def input_cams(grid_cams, cfg):
    """Raw grid CAMs -> normalised CAMs at the network's input resolution."""
    return normalize_cams(upsample(grid_cams, cfg['grid']['input_size']), cfg['cam']['norm_eps'])


def grid_scores(grid_cams, alpha, cfg):
    """(C+1)-channel score maps on the grid: input-resolution CAMs with a
    background of exponent alpha, stride x stride average-pooled (psa's walk input)."""
    stride = cfg['grid']['stride']
    return F.avg_pool2d(with_background(input_cams(grid_cams, cfg), alpha), stride, stride)


def input_labels(scores, channel_classes, cfg, image_size):
    """Grid scores -> uint8 label maps (B, image_size, image_size): bilinear
    upsampling to the network input and argmax there, as the app does, then
    nearest-neighbour scaling to the image (a set whose network sees the
    512 px images at 256 px labels 2x2 pixel blocks)."""
    labels = channel_argmax(upsample(scores, cfg['grid']['input_size']), channel_classes)
    return labels_to_image(labels, image_size)


def normalize_class_peaks(walked):
    """Walked scores (B, 1 + K, H, W): each class channel over its own peak,
    background as it is (docs/algorithm.md §4). The walk averages a small
    object's peak away into the larger region around it; the CAMs entered the
    walk each normalised to its peak, and so are compared again. An all-zero
    channel stays zero."""
    peak = walked[:, 1:].amax(dim=(2, 3), keepdim=True)
    return torch.cat([walked[:, :1], walked[:, 1:] / peak.clamp(min=torch.finfo(walked.dtype).tiny)], dim=1)


def walk_labels_at_image(walked, channel_classes, cfg, image_size):
    """The revised-CAM mask from walked scores: class peaks normalised, then input_labels."""
    return input_labels(normalize_class_peaks(walked), channel_classes, cfg, image_size)


def labels_to_image(labels, image_size):
    """Label maps (B, n, n) -> (B, image_size, image_size), each label
    repeated over a k x k block; k = image_size / n must be a whole number."""
    k, rest = divmod(image_size, labels.shape[-1])
    if rest:
        raise ValueError(f'{labels.shape[-1]} px labels do not scale to {image_size} px images by a whole factor')
    return labels.repeat_interleave(k, dim=-2).repeat_interleave(k, dim=-1)


def with_background_class(classes):
    """(B, K) class ids -> (B, 1 + K) with background's 0 first: the class of
    every channel of score maps that with_background or
    with_constant_background made (channel_argmax's `channel_classes`)."""
    return torch.cat([torch.zeros_like(classes[:, :1]), classes], dim=1)


def grid_labels(masks, cell):
    """Image-size masks (B, S, S) -> the label at each grid cell's centre pixel, float (B, 1, S/cell, S/cell)."""
    return masks[:, cell // 2::cell, cell // 2::cell].unsqueeze(1).float()


def channel_argmax(scores, channel_classes):
    """Argmax over channels mapped to class ids: (B, C, H, W) -> uint8 (B, H, W).

    `channel_classes` is a (B, C) long tensor giving the class id of every
    channel of every image. A channel padded with zeros never beats a positive
    score, and ties go to the lower channel, background first.
    """
    best = scores.argmax(dim=1)
    return torch.gather(channel_classes, 1, best.flatten(1)).view_as(best).to(torch.uint8)
