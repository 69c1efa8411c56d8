"""The synthetic dataset (training/data/README.md): ids, image labels, masks,
and indexed label PNGs in the VOC palette.

Heads have one channel per dataset class, in dataset.json's order; the
segmentation head adds background as channel 0.
"""
import json
import os
import sys

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from data.build_dataset import VOC_CLASSES, voc_palette  # noqa: E402

PALETTE = voc_palette()


def dataset_info(data_dir):
    with open(os.path.join(data_dir, 'dataset.json')) as f:
        return json.load(f)


def image_side(cfg):
    """The side of the data set's square images, in pixels."""
    return dataset_info(cfg['paths']['data'])['image_size']


def cell_pixels(cfg):
    """Image pixels per grid cell: the data set's image side over the grid
    side (the stride when the network sees the images at their own size)."""
    grid = cfg['grid']['input_size'] // cfg['grid']['stride']
    cell, rest = divmod(image_side(cfg), grid)
    if rest:
        raise ValueError(f'a {grid}x{grid} grid does not tile the data set\'s images')
    return cell


def class_indices(data_dir):
    """VOC indices of the head channels, e.g. [1, 3, 4, ...]."""
    return [c['index'] for c in dataset_info(data_dir)['classes']]


def read_labels(data_dir, split):
    """[(id, [VOC indices])] in file order."""
    with open(os.path.join(data_dir, split, 'labels.tsv')) as f:
        rows = [line.rstrip('\n').split('\t') for line in f][1:]
    return [(sid, [int(c) for c in classes.split(',') if c]) for sid, classes in rows]


def label_vector(classes, indices):
    """Multi-hot float vector over the head channels."""
    vec = np.zeros(len(indices), np.float32)
    for c in classes:
        vec[indices.index(c)] = 1
    return vec


def read_png(path):
    return np.array(Image.open(path))


def read_image(data_dir, split, sid):
    """(H, W, 3) uint8 RGB."""
    return np.array(Image.open(os.path.join(data_dir, split, 'images', sid + '.jpg')).convert('RGB'))


def read_images(data_dir, split, ids):
    """uint8 (N, 3, H, W), decoded once so that epochs never touch the disk."""
    first = read_image(data_dir, split, ids[0])
    out = torch.empty((len(ids), 3) + first.shape[:2], dtype=torch.uint8)
    for n, sid in enumerate(ids):
        out[n] = torch.from_numpy(read_image(data_dir, split, sid)).permute(2, 0, 1)
    return out


def read_mask(data_dir, split, sid):
    return read_png(os.path.join(data_dir, split, 'masks', sid + '.png'))


def write_png(path, labels):
    """uint8 label map as a 'P' PNG with the VOC palette (255 = ignore, white)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    png = Image.fromarray(np.asarray(labels, np.uint8), 'P')
    png.putpalette(PALETTE)
    png.save(path)


def class_names(indices):
    return [VOC_CLASSES[i] for i in indices]


def batches_by_class_count(rows, batch_size):
    """Batches of (id, classes) rows whose images have the same number of
    classes, so per-image class maps stack without padding."""
    groups = {}
    for row in rows:
        groups.setdefault(len(row[1]), []).append(row)
    return [group[i:i + batch_size] for _, group in sorted(groups.items()) for i in range(0, len(group), batch_size)]


def cam_path(run_dir, split, sid):
    """Grid CAMs of one image: npz with `cams` float32 (K, H, W) = relu'd,
    unnormalised CAMs of the image's K ground-truth classes and `classes`
    uint8 (K,) their VOC indices."""
    return os.path.join(run_dir, 'cam', split, sid + '.npz')


def pred_path(run_dir, split, method, sid):
    """Predicted label map (VOC indices, image size) of `method` cam|rw|seg."""
    return os.path.join(run_dir, f'pred_{split}', method, sid + '.png')


def read_cams(run_dir, split, rows):
    """(B, K, H, W) grid CAMs and (B, K) class ids for rows with equal K."""
    loaded = [np.load(cam_path(run_dir, split, sid)) for sid, _ in rows]
    return np.stack([z['cams'] for z in loaded]), np.stack([z['classes'] for z in loaded]).astype(np.int64)
