#!/usr/bin/python3
"""The PyTorch pipeline's results on one sample image for each shipped model
set, written as the reference src/models/shipped_model_sets_test.ts holds
the TypeScript pipeline to. Run it again whenever a set is retrained or
re-exported (the test names the files that changed):

    npm run reference
    /usr/bin/python3 training/write_set_reference.py models/default [models/scratch ...] [--sample val-cow-cat] [--out DIR]

Writes models/<set>/reference/<sample>.json (DIR/<set>/<sample>.json with
--out, to compare with the committed one): the image-level class scores and
the mean of each normalised grid CAM for every CAM-head class, and the CAM,
walk and segmentation label maps (VOC class ids at image size, zlib +
base64), the CAM and walk maps made with the ground-truth classes, as the
training pipeline makes them (infer_cam, infer_rw), and the segmentation
map as infer_seg makes it. Also the sha256 of
every file the results depend on.

The backbone taps come from the app's own backbone code
(scripts/extract_features.ts --float32), as the training pipeline's feature
cache does: the default set's CenterNet graph has no PyTorch version.
Everything after them is PyTorch: the heads rebuilt from the shipped
weights (tools/exported_heads.py), the score maps (tools/maps.py) and the
walk (tools/affinity.py), with the parameters of the set's meta.json.
"""
import argparse
import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zlib

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tools.affinity import random_walk, transition  # noqa: E402
from tools.config import ROOT  # noqa: E402
from tools.dataset import read_png  # noqa: E402
from tools.class_cams import kept_channels  # noqa: E402
from tools.exported_heads import aff_net, cam_net, reads_cams, seg_net  # noqa: E402
from tools.features import read_batch  # noqa: E402
from tools.maps import (channel_argmax, grid_scores, input_cams, input_labels, labels_to_image,  # noqa: E402
                        normalize_cams, walk_labels_at_image, with_constant_background)

COMMAND = 'npm run reference'
SAMPLE = 'val-cow-cat'
SAMPLES = os.path.join(ROOT, 'public', 'samples')
OWN_BACKBONE = 'affinitylab-backbone'
CPU = torch.device('cpu')


def sha256(path):
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def own_backbones(meta):
    """{meta.json key: model.json path in the set} of the set's own backbones
    (a set without "backbone" here runs the CenterNet graph)."""
    return {k: meta[k]['file'] for k in ('backbone', 'affBackbone') if meta.get(k, {}).get('format') == OWN_BACKBONE}


def set_files(meta):
    """Every file of the set the results depend on: meta.json and each network's model.json and weights."""
    folders = ['cam', 'aff', 'seg'] + [os.path.dirname(f) for f in own_backbones(meta).values()]
    return ['meta.json'] + [os.path.join(d, f) for d in folders for f in ('model.json', 'weights.bin')]


def extract_taps(image, meta, backbone_json, tmp):
    """{tap: float32 (1, C, H, W)} of the image as the app feeds it to the backbone
    (backbone_json None: the CenterNet graph)."""
    data, out = os.path.join(tmp, 'data'), os.path.join(tmp, 'features')
    sid = os.path.splitext(os.path.basename(image))[0]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.join(data, 'val', 'images'), exist_ok=True)
    shutil.copyfile(image, os.path.join(data, 'val', 'images', sid + '.jpg'))
    command = ['npx', 'tsx', 'scripts/extract_features.ts', data, '--out', out, '--splits', 'val',
               '--input-size', str(meta['inputSize']), '--float32']
    subprocess.run(command + (['--backbone', backbone_json] if backbone_json else []), cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    with open(os.path.join(out, 'features.json')) as f:
        taps = [t['key'] for t in json.load(f)['taps']]
    return read_batch(out, 'val', taps, [sid], CPU)


def pack(labels):
    """uint8 label map -> zlib + base64 text (row-major)."""
    return base64.b64encode(zlib.compress(np.ascontiguousarray(labels, np.uint8).tobytes(), 9)).decode('ascii')


@torch.no_grad()
def results(model_dir, meta, image, truth, tmp):
    """Class scores, CAM means and the three label maps of one image."""
    d = meta['defaults']
    cfg = {'grid': {'input_size': meta['inputSize'], 'stride': meta['gridStride']},
           'cam': {'norm_eps': d['camNormEps'], 'bg_score': d['camBgScore']}}
    names = {c['index']: c['name'] for c in meta['classes']}
    heads = meta.get('headClasses', {'cam': list(names), 'seg': list(names)})
    classes = sorted(int(c) for c in np.unique(truth) if c not in (0, 255))
    side = truth.shape[0]  # the PyTorch pipeline takes square images (tools/maps.labels_to_image)

    own = {k: os.path.join(model_dir, f) for k, f in own_backbones(meta).items()}
    feats = extract_taps(image, meta, own.get('backbone'), tmp)
    aff_feats = extract_taps(image, meta, own['affBackbone'], tmp) if 'affBackbone' in own else feats
    tap_cells = {t['tap']: meta['inputSize'] // t['stride'] for t in meta['backbone']['taps']}
    cam, cam_tap = cam_net(os.path.join(model_dir, 'cam'), tap_cells)

    # CAM head (infer_cam): scores, CAMs, the CAM-only mask with the ground-truth classes.
    scores = torch.sigmoid(cam(feats[cam_tap]))[0]
    all_cams = cam.forward_cam(feats[cam_tap])
    means = normalize_cams(all_cams, d['camNormEps']).mean(dim=(2, 3))[0]
    cams = all_cams[:, [heads['cam'].index(c) for c in classes]]
    channel_classes = torch.tensor([[0] + classes])
    cam_labels = channel_argmax(with_constant_background(input_cams(cams, cfg), d['camBgScore']), channel_classes)

    # AffinityNet and the walk (infer_rw.walk_labels).
    offsets, trans = transition(aff_net(os.path.join(model_dir, 'aff'))(aff_feats), d['radius'], d['beta'])
    walked = random_walk(grid_scores(cams, d['alpha'], cfg), offsets, trans, d['steps'])

    # Segmentation head (infer_seg): every class it knows, or, for a CAM-guided
    # head, the classes the CAM head names, each with its CAM.
    seg_dir = os.path.join(model_dir, 'seg')
    if reads_cams(seg_dir):
        kept = kept_channels(scores)
        seg_logits = seg_net(seg_dir)(feats, normalize_cams(all_cams[:, kept], d['camNormEps']))
        seg_classes = [heads['cam'][k] for k in kept]
    else:
        seg_logits, seg_classes = seg_net(seg_dir)(feats), heads['seg']
    return {
        'classes': classes,
        'scores': {names[c]: round(float(v), 8) for c, v in zip(heads['cam'], scores)},
        'camMeans': {names[c]: round(float(v), 8) for c, v in zip(heads['cam'], means)},
        'masks': {
            'width': side, 'height': side, 'encoding': 'uint8 VOC class ids, row-major, zlib, base64',
            'cam': pack(labels_to_image(cam_labels, side)[0]),
            'rw': pack(walk_labels_at_image(walked, channel_classes, cfg, side)[0]),
            'seg': pack(input_labels(seg_logits, torch.tensor([[0] + seg_classes]), cfg, side)[0]),
        },
    }


def write_reference(model_dir, sample, out_dir):
    with open(os.path.join(model_dir, 'meta.json')) as f:
        meta = json.load(f)
    image = os.path.join(SAMPLES, sample + '.jpg')
    truth = read_png(os.path.join(SAMPLES, sample + '.png'))
    inputs = {os.path.relpath(image, ROOT): sha256(image)}
    inputs.update({os.path.relpath(os.path.join(model_dir, f), ROOT): sha256(os.path.join(model_dir, f))
                   for f in set_files(meta)})
    tmp = tempfile.mkdtemp(prefix='affinitylab-reference-')
    try:
        out = {'command': COMMAND, 'generatedBy': f'training/write_set_reference.py (PyTorch {torch.__version__})',
               'sample': sample, 'image': os.path.relpath(image, ROOT), 'inputs': inputs,
               **results(model_dir, meta, image, truth, tmp)}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    path = os.path.join(out_dir, sample + '.json')
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('sets', nargs='+', help='model set folders, e.g. models/default')
    parser.add_argument('--sample', default=SAMPLE, help='public/samples/<sample>.jpg with its ground truth <sample>.png')
    parser.add_argument('--out', help='write DIR/<set>/<sample>.json instead of models/<set>/reference/<sample>.json')
    args = parser.parse_args()
    torch.set_num_threads(1)
    for model_dir in map(os.path.abspath, args.sets):
        out_dir = os.path.join(args.out, os.path.basename(model_dir)) if args.out else os.path.join(model_dir, 'reference')
        print(f'wrote {write_reference(model_dir, args.sample, out_dir)}')


if __name__ == '__main__':
    main()
