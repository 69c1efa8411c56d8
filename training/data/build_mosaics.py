#!/usr/bin/python3
"""Mosaics of train composites for the segmentation head: 2x2 and 4x4 grids
of shrunk train images, each grid's tiles drawn from images whose classes
all lie in a theme of three classes (a flock of birds, a few people by a
train); and zooms: a square crop of one train image enlarged to the full
size, about 2x or 3x.

The composites' smallest objects span about 4x4 cells of the 64x64 grid.
Photographs are full of objects of one or two cells (far ducks, passengers
at a train's windows), and a head that never saw one erases them. In a 4x4
mosaic a small object spans one cell. The largest cover 40% of the image,
where a close-up photograph's cat fills it and runs past its edges: a zoom
shows the head such objects. Training uses only each tile's image
and the pipeline's own outputs for it (its CAMs and random-walk pseudo
labels, assembled in train_seg.py), never the ground-truth masks, which are
mosaicked here only so that the split can be evaluated and inspected.

Reads OUT/train (built by build_dataset.py); writes OUT/mosaic/images,
masks, labels.tsv and layout.tsv ("id<TAB>grid<TAB>train ids, row-major<TAB>
crop"): the mosaics first, then the zooms, whose grid is 1 and whose crop is
"x,y,side" in the train image's pixels (empty for a mosaic).
Byte-identical for a given seed; adding zooms leaves the mosaics as they were.

    /usr/bin/python3 training/data/build_mosaics.py [--count N --zooms N --out DIR --seed S]
"""
import argparse
import io
import os
import sys

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from data.build_dataset import JPEG_QUALITY, SIZE, voc_palette  # noqa: E402

SPLIT = 'mosaic'
GRIDS = (2, 4)
THEME_CLASSES = 3
ZOOM_SIDES = (256, 176)                  # crop sides, alternately: the crop enlarged 2x, then about 2.9x
CROP_STEP = 8                            # crops start on grid cells, so a cell of the train image's CAM maps to whole cells


def read_train_labels(out):
    with open(os.path.join(out, 'train', 'labels.tsv')) as f:
        rows = [line.rstrip('\n').split('\t') for line in f][1:]
    return [(sid, {int(c) for c in classes.split(',') if c}) for sid, classes in rows]


def plan(rng, labels, count):
    """[(grid, [train ids])]: grids alternate 2, 4; tiles come from the images
    whose classes lie inside a random theme of THEME_CLASSES classes."""
    classes = sorted(set().union(*(cls for _, cls in labels)))
    layouts = []
    while len(layouts) < count:
        grid = GRIDS[len(layouts) % len(GRIDS)]
        theme = set(rng.choice(classes, THEME_CLASSES, replace=False).tolist())
        pool = [sid for sid, cls in labels if cls and cls <= theme]
        if pool:
            layouts.append((grid, [pool[i] for i in rng.integers(0, len(pool), grid * grid)]))
    return layouts


def plan_zooms(rng, labels, count):
    """[(train id, (x, y, side))]: crop sides alternate over ZOOM_SIDES, their
    place anywhere in the image on CROP_STEP."""
    pool = [sid for sid, cls in labels if cls]
    zooms = []
    for n in range(count):
        side = ZOOM_SIDES[n % len(ZOOM_SIDES)]
        x, y = (int(v) * CROP_STEP for v in rng.integers(0, (SIZE - side) // CROP_STEP + 1, 2))
        zooms.append((pool[int(rng.integers(0, len(pool)))], (x, y, side)))
    return zooms


def zoom(out, sid, crop):
    """The crop enlarged to (SIZE, SIZE, 3), and its ground-truth mask (SIZE, SIZE)."""
    x, y, side = crop
    box = (x, y, x + side, y + side)
    image = Image.open(os.path.join(out, 'train', 'images', sid + '.jpg')).convert('RGB').crop(box) \
        .resize((SIZE, SIZE), Image.BICUBIC)
    mask = np.asarray(Image.open(os.path.join(out, 'train', 'masks', sid + '.png')).crop(box)
                      .resize((SIZE, SIZE), Image.NEAREST))
    return image, mask


def assemble(out, grid, ids):
    """The mosaic image (SIZE, SIZE, 3) and ground-truth mask (SIZE, SIZE)."""
    tile = SIZE // grid
    image = Image.new('RGB', (SIZE, SIZE))
    mask = np.zeros((SIZE, SIZE), np.uint8)
    for n, sid in enumerate(ids):
        x, y = (n % grid) * tile, (n // grid) * tile
        image.paste(Image.open(os.path.join(out, 'train', 'images', sid + '.jpg')).convert('RGB')
                    .resize((tile, tile), Image.BOX), (x, y))
        # The palette image resized as it is: its pixel values are the class indices.
        mask[y:y + tile, x:x + tile] = np.asarray(Image.open(os.path.join(out, 'train', 'masks', sid + '.png'))
                                                  .resize((tile, tile), Image.NEAREST))
    return image, mask


def build_mosaics(out, count, zooms, seed):
    for sub in ('images', 'masks'):
        os.makedirs(os.path.join(out, SPLIT, sub), exist_ok=True)
    palette = voc_palette()
    train_labels = read_train_labels(out)
    # Mosaics then zooms, each from its own random stream: the zooms leave the mosaics as they were.
    layouts = [(grid, ids, None) for grid, ids in plan(np.random.default_rng([seed, 2]), train_labels, count)]
    layouts += [(1, [sid], crop) for sid, crop in plan_zooms(np.random.default_rng([seed, 3]), train_labels, zooms)]
    labels = []
    for index, (grid, ids, crop) in enumerate(layouts):
        sid = f'{index:05d}'
        image, mask = zoom(out, ids[0], crop) if crop else assemble(out, grid, ids)
        buf = io.BytesIO()
        image.save(buf, 'JPEG', quality=JPEG_QUALITY)
        with open(os.path.join(out, SPLIT, 'images', sid + '.jpg'), 'wb') as f:
            f.write(buf.getvalue())
        png = Image.fromarray(mask, 'P')
        png.putpalette(palette)
        png.save(os.path.join(out, SPLIT, 'masks', sid + '.png'))
        labels.append((sid, grid, ids, crop, sorted(int(c) for c in np.unique(mask) if c)))
    with open(os.path.join(out, SPLIT, 'labels.tsv'), 'w') as f:
        f.write('id\tclasses\n')
        f.writelines(f"{sid}\t{','.join(map(str, cls))}\n" for sid, _, _, _, cls in labels)
    with open(os.path.join(out, SPLIT, 'layout.tsv'), 'w') as f:
        f.write('id\tgrid\ttiles\tcrop\n')
        f.writelines(f"{sid}\t{grid}\t{','.join(ids)}\t{','.join(map(str, crop or ()))}\n"
                     for sid, grid, ids, crop, _ in labels)
    return len(labels)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--count', type=int, default=800, help='number of mosaics')
    p.add_argument('--zooms', type=int, default=400, help='number of zooms, after the mosaics')
    p.add_argument('--out', default='data/synth', help='data set built by build_dataset.py')
    p.add_argument('--seed', type=int, default=0)
    return p.parse_args()


if __name__ == '__main__':
    args = parse_args()
    total = build_mosaics(args.out, args.count, args.zooms, args.seed)
    print(f'{total - args.zooms} mosaics and {args.zooms} zooms in {os.path.join(args.out, SPLIT)}')
