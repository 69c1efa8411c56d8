#!/usr/bin/python3
"""Build composites of *photographic* cut-outs on photographs, for evaluation.

The training composites (build_dataset.py) are clip art; the lab is judged on
photographs. No licence-clean photographic cut-outs with masks exist here, so
this cuts the boxed, not-difficult objects out of the real-photo check set
(eval/real/, CC0 / CC-BY / public domain) with OpenCV's GrabCut started from
each hand-drawn box, and pastes 1-3 of them on the CC0 / CC-BY wallpaper
photos the training composites use. A composite's mask is exact for what was
pasted (the cut-out's alpha); where GrabCut kept a little of the photo's
background or lost a part of the object, that is what the mask says.
Evaluation only: nothing here is ever trained on. See README.md next to this
file.

    /usr/bin/python3 training/data/build_photo_composites.py [--images N --out DIR --seed S]
"""
import argparse
import importlib.util
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CHECK_SET = os.path.join(ROOT, 'eval', 'real')
GRABCUT_ITERATIONS = 6
# Boxes GrabCut does not separate from their photo (looked at one by one): kept, they would
# paste a patch of wall or shadow labelled as the class.
UNUSABLE = {
    ('person_ascent.jpg', 0): 'keeps a sleeve only: the climber is dark against dark rock',
    ('tvmonitor_chair_interior_hdri.jpg', 0): 'the dark screen merges with the dark wall',
    ('horse_person_marylou.jpg', 1): 'the rider is lost in the horse and the trees behind',
    ('person_ohoopee2.jpg', 0): 'nothing kept',
    ('dog_courtyard_hdri.jpg', 0): 'nothing kept (a few pixels of a 360° panorama)',
}
MAX_UPSCALE = 2.0                        # a cut-out from a small box is not blown up into a blur

if importlib.util.find_spec('cv2') is None:
    print('Missing Debian package: python3-opencv\nInstall it with:\n  apt-get install -y python3-opencv', file=sys.stderr)
    sys.exit(2)
sys.path.insert(0, HERE)
# build_dataset checks the composites' own packages (numpy, Pillow, the wallpapers) as it is imported.
from build_dataset import (JPEG_QUALITY, MIN_VISIBLE, OBJECT_AREA, VOC_CLASSES, background_sources, load_backgrounds,  # noqa: E402
                           paint_layers, random_crop, sample_layers, scale_and_flip, voc_palette)
import cv2  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402


def grabcut_cutouts(photos):
    """(class, RGBA cut-out, source) for every usable not-difficult object of the check set."""
    out = []
    for photo in photos:
        bgr = cv2.imread(os.path.join(CHECK_SET, photo['file']))
        h, w = bgr.shape[:2]
        for k, obj in enumerate(photo['objects']):
            if obj.get('difficult') or (photo['file'], k) in UNUSABLE:
                continue
            x0, y0, x1, y1 = (int(round(v)) for v in obj['box'])
            x0, y0, x1, y1 = max(0, x0), max(0, y0), min(w, x1), min(h, y1)
            mask = np.zeros((h, w), np.uint8)
            models = np.zeros((1, 65)), np.zeros((1, 65))
            cv2.setRNGSeed(0)
            cv2.grabCut(bgr, mask, (x0, y0, x1 - x0, y1 - y0), *models, GRABCUT_ITERATIONS, cv2.GC_INIT_WITH_RECT)
            fg = ((mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD)).astype(np.uint8)
            count, parts, stats, _ = cv2.connectedComponentsWithStats(fg)
            if count < 2:
                raise RuntimeError(f'GrabCut kept nothing of {photo["file"]} object {k}; add it to UNUSABLE')
            fg = parts == 1 + np.argmax(stats[1:, cv2.CC_STAT_AREA])  # the object, not specks of its background
            rgb = cv2.cvtColor(bgr[y0:y1, x0:x1], cv2.COLOR_BGR2RGB)
            rgba = np.dstack([rgb, fg[y0:y1, x0:x1].astype(np.uint8) * 255])
            out.append((obj['class'], rgba, {'photo': photo['file'], 'object': k, 'licence': photo['licence']}))
    return out


def compose(rng, backgrounds, cutouts, classes):
    """One composite, laid out as the val composites (build_dataset.sample_layers; object sizes
    as val's, OBJECT_AREA, never enlarged past MAX_UPSCALE): (RGB uint8, VOC label map, classes)."""
    def draw(rng):
        voc = classes[rng.integers(len(classes))]
        pool = [rgba for c, rgba, _ in cutouts if c == voc]
        cut = scale_and_flip(rng, Image.fromarray(pool[rng.integers(len(pool))], 'RGBA'), OBJECT_AREA, MAX_UPSCALE)
        return voc, cut.convert('RGB'), np.asarray(cut.getchannel('A'), np.float32) / 255

    background = np.asarray(random_crop(rng, backgrounds[rng.integers(len(backgrounds))]), np.float32)
    image, label = paint_layers(background, sample_layers(rng, draw, MIN_VISIBLE['val']))
    return image, label, sorted(int(c) for c in np.unique(label) if c)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--images', type=int, default=120)
    parser.add_argument('--out', default=os.path.join(ROOT, 'data', 'photo_composites'))
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args()
    with open(os.path.join(CHECK_SET, 'photos.json')) as f:
        photos = json.load(f)
    cutouts = [(VOC_CLASSES.index(c), rgba, src) for c, rgba, src in grabcut_cutouts(photos)]
    classes = sorted({c for c, _, _ in cutouts})
    backgrounds, _ = load_backgrounds()
    rng = np.random.default_rng(args.seed)
    split = os.path.join(args.out, 'val')
    for sub in ('images', 'masks'):
        os.makedirs(os.path.join(split, sub), exist_ok=True)
    palette = voc_palette()
    lines = ['id\tclasses']
    while len(lines) <= args.images:
        rgb, label, present = compose(rng, backgrounds, cutouts, classes)
        sid = f'{len(lines) - 1:05d}'
        Image.fromarray(rgb).save(os.path.join(split, 'images', f'{sid}.jpg'), quality=JPEG_QUALITY)
        mask = Image.fromarray(label, 'P')
        mask.putpalette(palette)
        mask.save(os.path.join(split, 'masks', f'{sid}.png'))
        lines.append(f'{sid}\t{",".join(map(str, present))}')
    with open(os.path.join(split, 'labels.tsv'), 'w') as f:
        f.write('\n'.join(lines) + '\n')
    per_class = {VOC_CLASSES[c]: sum(1 for k, _, _ in cutouts if k == c) for c in classes}
    with open(os.path.join(args.out, 'dataset.json'), 'w') as f:
        json.dump({'name': 'photographic composites', 'images': args.images, 'seed': args.seed, 'cutouts_per_class': per_class,
                   'cutouts': [src for _, _, src in cutouts], 'unusable': [{'photo': p, 'object': k, 'why': why} for (p, k), why in UNUSABLE.items()],
                   'backgrounds': background_sources()}, f, indent=1)
    print(f'{args.images} composites of {len(cutouts)} cut-outs ({", ".join(f"{k} {v}" for k, v in per_class.items())}) in {args.out}')


if __name__ == '__main__':
    main()
