#!/usr/bin/python3
"""Build AffinityLab's licence-clean synthetic segmentation dataset.

Composites public-domain clip art (openclipart-png) and Apache-2.0 emoji
bitmaps (fonts-noto-color-emoji) onto CC0 / CC-BY-4.0 / public-domain photo
backgrounds and synthetic textures. Every cut-out has a real alpha channel, so
the masks are exact. See README.md next to this file for sources and layout.

Run with Debian's python (numpy, PIL and fontTools come from Debian packages):
    /usr/bin/python3 training/data/build_dataset.py [--train N --val N --out DIR --seed S]
"""
import argparse
import csv
import importlib.util
import io
import json
import os
import sys
import time
from multiprocessing import Pool

HERE = os.path.dirname(os.path.abspath(__file__))
CUTOUT_LIST = os.path.join(HERE, 'cutouts_clean.tsv')

VOC_CLASSES = ['background', 'aeroplane', 'bicycle', 'bird', 'boat', 'bottle', 'bus', 'car', 'cat',
               'chair', 'cow', 'diningtable', 'dog', 'horse', 'motorbike', 'person', 'pottedplant',
               'sheep', 'sofa', 'train', 'tvmonitor']

OPENCLIPART_DIR = '/usr/share/openclipart/png'
EMOJI_FONT = '/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf'
WALLPAPER_DIR = '/usr/share/backgrounds'

# lomiri-wallpapers-16.04 photos whose copyright entry is CC0 or CC-BY-4.0 and
# that show no VOC object ("friends" has dogs and "Wine" a bottle; the rest of
# the package is CC-BY-SA and never used).
WALLPAPERS = {
    'aitzgorri_by_Aitzol_Berasategi.jpg': ('CC-BY-4.0', 'Aitzol Berasategi, 2018'),
    'life_by_Aitzol_Berasategi.jpg': ('CC-BY-4.0', 'Aitzol Berasategi, 2018'),
    'picosdeeuropa_by_Aitzol_Berasategi.jpg': ('CC-BY-4.0', 'Aitzol Berasategi, 2018'),
    'sunset_by_Aitzol_Berasategi.jpg': ('CC-BY-4.0', 'Aitzol Berasategi, 2018'),
    'Picture_0B_by_freespace.jpg': ('CC-BY-4.0', 'Trevor "Freespace", 2018'),
    'Picture_1A_by_freespace.jpg': ('CC-BY-4.0', 'Trevor "Freespace", 2018'),
    'umang_by_Abhishek_Mudgal.jpg': ('CC-BY-4.0', 'Abhishek Mudgal, 2018'),
    'seeding_by_Clements_Engelhardt.jpg': ('CC0-1.0', 'Clemens Engelhardt, 2018'),
}
# scikit-image sample images documented as CC0 / public domain. The grey
# textures get a random tint so they do not all look alike.
SKIMAGE_FILES = {
    'brick.png': 'CC0 (CC0Textures)',
    'grass.png': 'CC0 (DeviantArt linolafett)',
    'gravel.png': 'CC0 (CC0Textures)',
    'rocket.jpg': 'public domain (SpaceX)',
    'coffee.png': 'CC0 (Rachel Michetti)',
    'hubble_deep_field.jpg': 'public domain (NASA)',
}

# Debian package providing each requirement; checked before anything runs.
PY_MODULES = {'numpy': 'python3-numpy', 'PIL': 'python3-pil', 'skimage': 'python3-skimage',
              'fontTools': 'python3-fonttools'}
DATA_FILES = {OPENCLIPART_DIR: 'openclipart-png', EMOJI_FONT: 'fonts-noto-color-emoji',
              os.path.join(WALLPAPER_DIR, next(iter(WALLPAPERS))): 'lomiri-wallpapers-16.04'}

SIZE = 512
MAX_CUTOUT_SIDE = 512          # cut-outs are pre-shrunk to this; no object is drawn larger
# Share of the image an object covers (log-uniform). Photographs are full of objects of a few
# grid cells (ducks on a log, a walker on a beach), which 5-40% never gives, so a share of the
# train objects is drawn small; val keeps its sizes and stays the same set.
OBJECT_AREA = (0.05, 0.4)
OBJECT_COUNTS = (1, 2, 3)                 # objects per image...
OBJECT_COUNT_PROBABILITY = (0.45, 0.35, 0.2)  # ...drawn with these odds
SMALL_OBJECT_AREA = (0.004, 0.05)
SMALL_OBJECT_SHARE = {'train': 0.3, 'val': 0.0}
# Visible share of the image every object keeps: below it a class would be an unfair label
# (train goes lower for its small objects).
MIN_VISIBLE = {'train': 0.003, 'val': 0.01}
MIN_OWN_VISIBLE = 0.3          # of the object itself: keeps occlusion partial
JPEG_QUALITY = 92


def missing_packages():
    missing = [pkg for mod, pkg in PY_MODULES.items() if importlib.util.find_spec(mod) is None]
    missing += [pkg for path, pkg in DATA_FILES.items() if not os.path.exists(path)]
    return missing


def require_packages():
    missing = missing_packages()
    if missing:
        all_pkgs = sorted(set(PY_MODULES.values()) | set(DATA_FILES.values()))
        print('Missing Debian packages: ' + ' '.join(missing), file=sys.stderr)
        print('Install them with:\n  apt-get install -y ' + ' '.join(all_pkgs), file=sys.stderr)
        if sys.executable != '/usr/bin/python3':
            print(f'(or run with /usr/bin/python3 instead of {sys.executable})', file=sys.stderr)
        sys.exit(2)


# The check runs before the third-party imports below, so a missing module
# produces the apt-get hint instead of a bare ImportError.
require_packages()
import numpy as np  # noqa: E402
from PIL import Image, ImageEnhance, ImageFilter  # noqa: E402


def skimage_data_dir():
    return os.path.join(os.path.dirname(importlib.util.find_spec('skimage').origin), 'data')


def read_cutout_list():
    with open(CUTOUT_LIST, newline='') as f:
        return list(csv.DictReader(f, delimiter='\t'))


def cutout_source(row):
    """Attribution record for one cut-out."""
    if row['package'] == 'openclipart-png':
        return {'path': os.path.join(OPENCLIPART_DIR, row['item']), 'package': row['package'],
                'licence': 'public domain (Creative Commons PD dedication)'}
    return {'path': f"{EMOJI_FONT}#{row['item']}", 'package': row['package'],
            'licence': 'Apache-2.0 (Noto Emoji images, Google Inc.)'}


def background_sources():
    out = [{'path': os.path.join(WALLPAPER_DIR, name), 'package': 'lomiri-wallpapers-16.04',
            'licence': lic, 'copyright': holder} for name, (lic, holder) in WALLPAPERS.items()]
    out += [{'path': os.path.join(skimage_data_dir(), name), 'package': 'python3-skimage',
             'licence': lic} for name, lic in SKIMAGE_FILES.items()]
    return out


def load_cutout(row, emoji):
    """RGBA image cropped to its alpha bounding box and shrunk to MAX_CUTOUT_SIDE."""
    if row['package'] == 'openclipart-png':
        im = Image.open(os.path.join(OPENCLIPART_DIR, row['item']))
    else:
        cmap, strike = emoji
        im = Image.open(io.BytesIO(strike[cmap[int(row['item'][2:], 16)]].imageData))
    im = im.convert('RGBA')
    im = im.crop(im.getchannel('A').point(lambda a: 255 if a >= 128 else 0).getbbox())
    im.thumbnail((MAX_CUTOUT_SIDE, MAX_CUTOUT_SIDE), Image.LANCZOS)
    return im


def load_emoji_font():
    from fontTools.ttLib import TTFont
    font = TTFont(EMOJI_FONT)
    return font.getBestCmap(), font['CBDT'].strikeData[0]


def load_backgrounds():
    """Photos shrunk once (shorter side 1024) so random crops stay cheap."""
    photos, textures = [], []
    for src in background_sources():
        im = Image.open(src['path'])
        im.draft('RGB', (1024, 1024))  # JPEG: decode at reduced size
        im = im.convert('L' if im.mode in ('L', 'I', 'I;16') else 'RGB')
        scale = 1024 / min(im.size)
        if scale < 1:
            im = im.resize((round(im.width * scale), round(im.height * scale)), Image.LANCZOS)
        (textures if im.mode == 'L' else photos).append(im)
    return photos, textures


class Sources:
    """Everything a worker needs, loaded once per process."""

    def __init__(self, rows):
        emoji = load_emoji_font()
        self.classes = sorted({VOC_CLASSES.index(r['class']) for r in rows})
        self.cutouts = {}  # (split, voc index) -> [RGBA image]
        for r in rows:
            key = (r['split'], VOC_CLASSES.index(r['class']))
            self.cutouts.setdefault(key, []).append(load_cutout(r, emoji))
        self.photos, self.textures = load_backgrounds()


_SOURCES = None


def init_worker(rows):
    global _SOURCES
    _SOURCES = Sources(rows)


# ---------------------------------------------------------------- backgrounds

def random_crop(rng, im):
    side = int(min(im.size) * rng.uniform(0.35, 1.0))
    x = int(rng.integers(0, im.width - side + 1))
    y = int(rng.integers(0, im.height - side + 1))
    return im.crop((x, y, x + side, y + side)).resize((SIZE, SIZE), Image.BILINEAR)


def jitter_colour(rng, im, strength):
    for enh in (ImageEnhance.Brightness, ImageEnhance.Contrast, ImageEnhance.Color):
        im = enh(im).enhance(rng.uniform(1 - strength, 1 + strength))
    return im


def tint(rng, grey):
    dark, light = rng.integers(0, 120, 3), rng.integers(140, 256, 3)
    g = np.asarray(grey, np.float32)[..., None] / 255
    return Image.fromarray((dark + g * (light - dark)).astype(np.uint8))


def smooth_noise(rng, cells):
    low = rng.uniform(0, 255, (cells, cells, 3)).astype(np.uint8)
    return Image.fromarray(low).resize((SIZE, SIZE), Image.BICUBIC)


def synthetic_background(rng):
    """Gradient blended with smooth colour noise: no photo statistics to lean on."""
    t = np.linspace(0, 1, SIZE, dtype=np.float32)
    ramp = t[None, :] if rng.random() < 0.5 else t[:, None]
    a, b = rng.uniform(0, 255, 3), rng.uniform(0, 255, 3)
    grad = a + ramp[..., None] * (b - a)
    noise = np.asarray(smooth_noise(rng, int(rng.integers(3, 24))), np.float32)
    mix = rng.uniform(0.2, 0.7)
    return Image.fromarray(np.broadcast_to((1 - mix) * grad + mix * noise, (SIZE, SIZE, 3)).astype(np.uint8))


def make_background(rng, src):
    kind = rng.random()
    if kind < 0.6:
        im = random_crop(rng, src.photos[rng.integers(len(src.photos))])
    elif kind < 0.8:
        im = tint(rng, random_crop(rng, src.textures[rng.integers(len(src.textures))]))
    else:
        im = synthetic_background(rng)
    if rng.random() < 0.5:
        im = im.transpose(Image.FLIP_LEFT_RIGHT)
    return jitter_colour(rng, im, 0.25)


# -------------------------------------------------------------------- objects

def reshape_cutout(rng, cutout):
    """Aspect stretch, small rotation and, now and then, a hue turn: eight classes
    have only one to four training cut-outs, so each must yield many looks."""
    stretch = np.exp(rng.uniform(np.log(0.8), np.log(1.25)))
    cutout = cutout.resize((max(8, round(cutout.width * stretch)), cutout.height), Image.BICUBIC)
    if rng.random() < 0.5:
        cutout = cutout.rotate(rng.uniform(-15, 15), Image.BICUBIC, expand=True)
    if rng.random() < 0.3:
        h, s, v = cutout.convert('RGB').convert('HSV').split()
        h = h.point(lambda x, turn=int(rng.integers(32, 224)): (x + turn) % 256)
        rgb = Image.merge('HSV', (h, s, v)).convert('RGB')
        cutout = Image.merge('RGBA', (*rgb.split(), cutout.getchannel('A')))
    return cutout


def object_area(rng, split):
    """Share of the image an object covers; val draws nothing extra, so its images do not change."""
    small = SMALL_OBJECT_SHARE[split] > 0 and rng.random() < SMALL_OBJECT_SHARE[split]
    return SMALL_OBJECT_AREA if small else OBJECT_AREA


def scale_and_flip(rng, cutout, area, max_upscale=np.inf):
    """The cut-out resized so that its opaque part covers a log-uniform share in `area` of the
    image (no side past 95% of the image's, nor enlarged more than `max_upscale` times), flipped
    half the time."""
    opaque = (np.asarray(cutout.getchannel('A')) >= 128).sum()
    target = np.exp(rng.uniform(np.log(area[0]), np.log(area[1]))) * SIZE * SIZE
    scale = min(np.sqrt(target / max(opaque, 1)), 0.95 * SIZE / max(cutout.size), max_upscale)
    obj = cutout.resize((max(8, round(cutout.width * scale)), max(8, round(cutout.height * scale))), Image.BICUBIC)
    return obj.transpose(Image.FLIP_LEFT_RIGHT) if rng.random() < 0.5 else obj


def prepare_object(rng, cutout, area):
    """Reshaped, scaled, flipped, colour-jittered cut-out: (RGB image, alpha in [0, 1])."""
    obj = scale_and_flip(rng, reshape_cutout(rng, cutout), area)
    rgb = jitter_colour(rng, obj.convert('RGB'), 0.15)
    return rgb, np.asarray(obj.getchannel('A'), np.float32) / 255


def place(rng, shape):
    """Top-left corner; up to a quarter of the object may leave the frame (truncation, as in VOC)."""
    h, w = shape
    x = int(rng.integers(-w // 4, SIZE - 3 * w // 4 + 1))
    y = int(rng.integers(-h // 4, SIZE - 3 * h // 4 + 1))
    return x, y


def paste(arr, x, y):
    """arr (alpha or RGB) placed on an empty full-size canvas, clipped to the frame."""
    canvas = np.zeros((SIZE, SIZE) + arr.shape[2:], np.float32)
    h, w = arr.shape[:2]
    x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + w, SIZE), min(y + h, SIZE)
    canvas[y0:y1, x0:x1] = arr[y0 - y:y1 - y, x0 - x:x1 - x]
    return canvas


def visible_ok(layers, min_visible):
    """Every object keeps enough visible pixels once later objects are on top."""
    covered = np.zeros((SIZE, SIZE), bool)
    for alpha, _ in reversed(layers):
        own = alpha >= 0.5
        visible = (own & ~covered).sum()
        if visible < min_visible * SIZE * SIZE or visible < MIN_OWN_VISIBLE * own.sum():
            return False
        covered |= own
    return True


def sample_layers(rng, draw_object, min_visible):
    """1-3 objects (bottom first), each from draw_object(rng) -> (class, RGB image, alpha array)
    and placed at random, whose visibility passes visible_ok; re-sampled until it does."""
    n = rng.choice(OBJECT_COUNTS, p=OBJECT_COUNT_PROBABILITY)
    while True:
        layers = []
        for _ in range(n):
            cls, rgb, alpha = draw_object(rng)
            x, y = place(rng, alpha.shape)
            layers.append((paste(alpha, x, y), (cls, paste(np.asarray(rgb, np.float32), x, y))))
        if visible_ok(layers, min_visible):
            return layers


def draw_clipart(rng, src, split):
    """A class, one of its cut-outs for the split, prepared (prepare_object)."""
    cls = int(src.classes[rng.integers(len(src.classes))])
    pool = src.cutouts[(split, cls)]
    cutout = pool[rng.integers(len(pool))]
    return (cls, *prepare_object(rng, cutout, object_area(rng, split)))


def paint_layers(image, layers):
    """The layers over a float RGB image, bottom first: (image, label map of the top-most class
    with alpha >= 0.5)."""
    mask = np.zeros((SIZE, SIZE), np.uint8)
    for alpha, (cls, rgb) in layers:
        image = image * (1 - alpha[..., None]) + rgb * alpha[..., None]
        mask[alpha >= 0.5] = cls
    return np.clip(image, 0, 255).astype(np.uint8), mask


def degrade(rng, image):
    """Slight blur and sensor-like noise so cut-out edges are not trivially detectable."""
    im = Image.fromarray(image).filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.1)))
    arr = np.asarray(im, np.float32) + rng.normal(0, rng.uniform(1, 5), (SIZE, SIZE, 3))
    return np.clip(arr, 0, 255).astype(np.uint8)


def compose(task):
    """One image: returns (id, split, image bytes, mask, classes) with the worker's shared sources."""
    split, index, seed = task
    rng = np.random.default_rng([seed, 0 if split == 'train' else 1, index])
    src = _SOURCES
    background = np.asarray(make_background(rng, src), np.float32)
    image, mask = paint_layers(background, sample_layers(rng, lambda r: draw_clipart(r, src, split), MIN_VISIBLE[split]))
    image = degrade(rng, image)
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, 'JPEG', quality=JPEG_QUALITY)
    return index, split, buf.getvalue(), mask, sorted(int(c) for c in np.unique(mask) if c)


# --------------------------------------------------------------------- output

def voc_palette():
    """The standard PASCAL VOC colour map (bit-interleaved class index)."""
    pal = []
    for i in range(256):
        r = g = b = 0
        c = i
        for j in range(8):
            r |= ((c >> 0) & 1) << (7 - j)
            g |= ((c >> 1) & 1) << (7 - j)
            b |= ((c >> 2) & 1) << (7 - j)
            c >>= 3
        pal += [r, g, b]
    return pal


def write_sample(out, result, palette):
    index, split, jpeg, mask, classes = result
    sid = f'{index:05d}'
    with open(os.path.join(out, split, 'images', sid + '.jpg'), 'wb') as f:
        f.write(jpeg)
    png = Image.fromarray(mask, 'P')
    png.putpalette(palette)
    png.save(os.path.join(out, split, 'masks', sid + '.png'))
    return sid, classes


def build_split(pool, out, split, count, seed, palette):
    os.makedirs(os.path.join(out, split, 'images'), exist_ok=True)
    os.makedirs(os.path.join(out, split, 'masks'), exist_ok=True)
    labels, started = [], time.time()
    tasks = [(split, i, seed) for i in range(count)]
    for done, result in enumerate(pool.imap(compose, tasks, chunksize=4), 1):
        labels.append(write_sample(out, result, palette))
        if done % 100 == 0 or done == count:
            print(f'  {split}: {done}/{count} images ({time.time() - started:.0f}s)', flush=True)
    with open(os.path.join(out, split, 'labels.tsv'), 'w') as f:
        f.write('id\tclasses\n')
        f.writelines(f"{sid}\t{','.join(map(str, cls))}\n" for sid, cls in labels)
    return labels


def class_counts(labels, classes):
    return {VOC_CLASSES[c]: sum(c in cls for _, cls in labels) for c in classes}


def write_manifest(out, args, rows, classes, labels):
    cut_counts = {VOC_CLASSES[c]: {s: sum(r['split'] == s and r['class'] == VOC_CLASSES[c] for r in rows)
                                  for s in ('train', 'val')} for c in classes}
    manifest = {
        'description': 'AffinityLab synthetic segmentation set (training/data/build_dataset.py)',
        'seed': args.seed,
        'image_size': SIZE,
        'classes': [{'index': c, 'name': VOC_CLASSES[c]} for c in classes],
        'images': {s: len(labels[s]) for s in labels},
        'images_per_class': {s: class_counts(labels[s], classes) for s in labels},
        'cutouts_per_class': cut_counts,
        'cutouts': [dict(cutout_source(r), **{'class': r['class'], 'split': r['split']}) for r in rows],
        'backgrounds': background_sources(),
    }
    with open(os.path.join(out, 'dataset.json'), 'w') as f:
        json.dump(manifest, f, indent=1)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--train', type=int, default=2000, help='number of training images')
    p.add_argument('--val', type=int, default=300, help='number of validation images')
    p.add_argument('--out', default='data/synth', help='output directory')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--workers', type=int, default=2)
    return p.parse_args()


def main():
    args = parse_args()
    rows = read_cutout_list()
    started = time.time()
    print(f'Building {args.train} train + {args.val} val images into {args.out} (seed {args.seed})', flush=True)
    palette = voc_palette()
    with Pool(args.workers, initializer=init_worker, initargs=(rows,)) as pool:
        labels = {s: build_split(pool, args.out, s, n, args.seed, palette)
                  for s, n in (('train', args.train), ('val', args.val))}
    classes = sorted({VOC_CLASSES.index(r['class']) for r in rows})
    write_manifest(args.out, args, rows, classes, labels)
    print(f'Done in {time.time() - started:.0f}s: {args.out}/dataset.json', flush=True)


if __name__ == '__main__':
    main()
