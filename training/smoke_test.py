#!/usr/bin/python3
"""Runs every pipeline stage once on a tiny dataset, in seconds, for CI.

Builds 6 train / 3 val images with the real dataset builder, fakes the
cached backbone features with random float16 maps of the real shapes (the
tfjs extraction needs Node and minutes), trains tiny heads for one step
each, and checks that every output exists and is finite.

    /usr/bin/python3 training/smoke_test.py [--keep]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import aff_label_quality  # noqa: E402
import run_pipeline  # noqa: E402
import walk_ceiling  # noqa: E402
from tools.checks import check  # noqa: E402
from tools import crf, maps  # noqa: E402
from tools.affinity import random_walk, same_label, transition  # noqa: E402
from tools.config import all_taps, load_config  # noqa: E402
from tools.dataset import cam_path, pred_path, read_labels, write_png  # noqa: E402
from networks.cam_guided_seg_head import CLASS_MAP  # noqa: E402
from tools.exported_heads import read_head  # noqa: E402
from tools.features import read_batch  # noqa: E402
from tools.heads import load_head, seg_reads_cams  # noqa: E402
from tools.seg_mosaics import SPLIT as MOSAIC_SPLIT, mosaic_sample, zoom_sample  # noqa: E402
from tools.stages import TRAIN_SEG, is_done, read_summary  # noqa: E402

TAPS = {'fpn_s8': (192, 8), 'bb_s8': (32, 8), 'bb_s16': (88, 16), 'bb_s32': (480, 32), 'det_s4': (18, 4)}
# The network sees the 512 px images at 256 px (as the scratch set does), so
# every image-size output goes through the input-to-image scaling.
INPUT_SIZE = 256
MOSAICS = 2  # one 2x2 and one 4x4
ZOOMS = 2
TINY = {
    'cam': {'hidden': 8, 'epochs': 1, 'batch_size': 6},
    # 4 channels per tap (main); a 3x3 embedding conv as the scratch set's, so its export is checked too
    'aff': {'embed_channels': 8, 'embed_kernel': 3, 'epochs': 1, 'batch_size': 6},
    'rw': {'steps': 2, 'batch_size': 4},
    'seg': {'hidden': 8, 'epochs': 1, 'batch_size': 6},
}


def build_dataset(data_dir):
    subprocess.run([sys.executable, os.path.join(HERE, 'data', 'build_dataset.py'),
                    '--train', '6', '--val', '3', '--out', data_dir], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, os.path.join(HERE, 'data', 'build_mosaics.py'),
                    '--count', str(MOSAICS), '--zooms', str(ZOOMS), '--out', data_dir], check=True, stdout=subprocess.DEVNULL)


def fake_features(data_dir, feat_dir, rng):
    """Random non-negative float16 (C, H, W) maps plus a features.json like the extractor's."""
    for split in ('train', 'val', MOSAIC_SPLIT):
        for sid, _ in read_labels(data_dir, split):
            for tap, (channels, stride) in TAPS.items():
                os.makedirs(os.path.join(feat_dir, split, tap), exist_ok=True)
                shape = (channels, INPUT_SIZE // stride, INPUT_SIZE // stride)
                np.save(os.path.join(feat_dir, split, tap, sid + '.npy'), rng.random(shape, np.float32).astype(np.float16))
    spec = {'model': {'package': 'fake', 'file': 'fake.json', 'sha256': {}}, 'input': {'size': [INPUT_SIZE, INPUT_SIZE]},
            'taps': [{'key': t, 'node': t, 'channels': c, 'stride': s} for t, (c, s) in TAPS.items()]}
    with open(os.path.join(feat_dir, 'features.json'), 'w') as f:
        json.dump(spec, f)


def check_outputs(cfg):
    run, data = cfg['paths']['run'], cfg['paths']['data']
    for name, _ in run_pipeline.STAGES:
        check(is_done(cfg, name), f'stage {name} left no done marker')
    for split in ('train', 'val'):
        for sid, _ in read_labels(data, split):
            check(np.isfinite(np.load(cam_path(run, split, sid))['cams']).all(), f'non-finite CAM {split}/{sid}')
            for method in ('cam', 'rw', 'seg'):
                check(os.path.exists(pred_path(run, split, method, sid)), f'missing {method} prediction {split}/{sid}')
    # Every mosaic, and the zooms whose crop holds a class (random here: check_zoom_sample pins the rule).
    trained = read_summary(cfg, TRAIN_SEG)['mosaics']
    check(MOSAICS <= trained <= MOSAICS + ZOOMS, f'the segmentation head trained on {trained} of the mosaic split')
    with open(os.path.join(run, 'eval.json')) as f:
        results = json.load(f)['miou_percent']
    check(all(np.isfinite(r['miou']) for split in results.values() for r in split.values()), results)
    for head in ('cam', 'aff', 'seg'):
        check_export(os.path.join(cfg['paths']['export'], head))
    with open(os.path.join(cfg['paths']['export'], 'meta.json')) as f:
        meta = json.load(f)
    # The composites hold all 20 VOC classes, and so do the set and both heads.
    check(len(meta['classes']) == 20, meta['classes'])
    check(len(meta.get('headClasses', {'cam': meta['classes']})['cam']) == 20, meta.get('headClasses'))
    check(meta['gridStride'] == 8 and meta['inputSize'] == INPUT_SIZE, meta)
    # The default set's segmentation head reads the detector's stride-4 map and answers on its grid.
    check(meta.get('segGridStride') == 4, meta.get('segGridStride'))


def check_export(folder):
    """weights.bin holds exactly the manifest's float32 values, all finite."""
    with open(os.path.join(folder, 'model.json')) as f:
        manifest = json.load(f)['weightsManifest'][0]
    values = np.fromfile(os.path.join(folder, manifest['paths'][0]), '<f4')
    check(values.size == sum(int(np.prod(w['shape'])) for w in manifest['weights']), folder)
    check(np.isfinite(values).all(), folder)


ACTIVATIONS = {'relu': F.relu, 'elu': F.elu, 'linear': lambda x: x}


def run_exported(folder, feats):
    """Runs an exported head from model.json + weights.bin alone, the way the
    TypeScript side must: HWIO kernels, same padding, activation, then the
    optional resize to the grid of the tap its "then" names; 'concat(a,b)' inputs;
    the class map resized to the grid of the topology's classMapGrid tap, if any."""
    layers, weights = read_head(folder)
    with open(os.path.join(folder, 'model.json')) as f:
        grid = json.load(f)['modelTopology'].get('classMapGrid')
    maps = dict(feats)
    if grid:
        maps[CLASS_MAP] = F.interpolate(maps[CLASS_MAP], size=feats[grid].shape[-2:], mode='bilinear', align_corners=False)
    for layer in layers:
        source = layer['input']
        x = (torch.cat([maps[n] for n in source[len('concat('):-1].split(',')], dim=1)
             if source.startswith('concat(') else maps[source])
        kernel = weights[layer['name'] + '/kernel'].permute(3, 2, 0, 1)
        x = F.conv2d(x, kernel, weights.get(layer['name'] + '/bias'), padding='same', dilation=layer['dilation'])
        x = ACTIVATIONS[layer['activation']](x)
        if 'then' in layer:
            target = layer['then'].split()[-1]
            x = F.interpolate(x, size=feats[target].shape[-2:], mode='bilinear', align_corners=False)
        maps[layer['name']] = x
    return x


def check_export_matches(cfg):
    """The exported heads reproduce the PyTorch heads on real (fake) features."""
    ids = [sid for sid, _ in read_labels(cfg['paths']['data'], 'val')]
    taps = all_taps(cfg)
    feats = read_batch(cfg['paths']['features'], 'val', taps, ids, torch.device('cpu'))
    device = torch.device('cpu')
    with torch.no_grad():
        cams = load_head(cfg, 'cam', device).forward_cam(feats[cfg['taps']['cam']])
        seg = load_head(cfg, 'seg', device)
        # The CAM-guided head is asked about one class, given its CAM; its logit follows background's 0.
        class_cam = maps.normalize_cams(cams[:, :1], cfg['cam']['norm_eps'])
        expected = {'cam': cams, 'aff': load_head(cfg, 'aff', device)(feats),
                    'seg': seg(feats, class_cam)[:, 1:] if seg_reads_cams(cfg) else seg(feats)}
        for head, want in expected.items():
            got = run_exported(os.path.join(cfg['paths']['export'], head), {**feats, CLASS_MAP: class_cam})
            err = float((got - want).abs().max() / want.abs().max().clamp(min=1e-12))
            check(got.shape == want.shape and err < 1e-4, f'{head}: shape {tuple(got.shape)}, relative error {err}')


def dense_crf_reference(probs, colour, p):
    """Mean field with every pair written out in float64 (one image)."""
    labels, h, w = probs.shape
    cells = [(y, x) for y in range(h) for x in range(w)]
    pos = np.array(cells, np.float64) * p['cell']
    rgb = colour.reshape(3, -1).T.astype(np.float64)
    d2 = ((pos[:, None] - pos[None]) ** 2).sum(-1)
    kernels = []
    for sxy, srgb, compat in ((p['bilateral_sxy'], p['bilateral_srgb'], p['bilateral_compat']),
                              (p['gaussian_sxy'], None, p['gaussian_compat'])):
        k = np.exp(-d2 / (2 * sxy ** 2))
        if srgb is not None:
            k *= np.exp(-((rgb[:, None] - rgb[None]) ** 2).sum(-1) / (2 * srgb ** 2))
        norm = 1 / np.sqrt(k.sum(1))  # the diagonal is exp(0) = 1: the cell itself
        np.fill_diagonal(k, 0)
        kernels.append(compat * k * norm[:, None] * norm[None])
    k = sum(kernels)
    unary = np.log(np.clip(probs.reshape(labels, -1).astype(np.float64), 1e-8, None))
    q = probs.reshape(labels, -1) / probs.reshape(labels, -1).sum(0)
    for _ in range(p['iterations']):
        logits = unary + q @ k.T
        q = np.exp(logits - logits.max(0))
        q /= q.sum(0)
    return q.reshape(labels, h, w)


def check_crf():
    """The windowed CRF equals a dense float64 one when the window covers the grid."""
    rng = np.random.default_rng(1)
    p = dict(cell=8, radius=8, iterations=5, bilateral_sxy=80, bilateral_srgb=13, bilateral_compat=10,
             gaussian_sxy=3, gaussian_compat=3)
    probs = rng.random((3, 5, 6)).astype(np.float32)
    colour = (rng.random((3, 5, 6)) * 60).astype(np.float32)
    got = crf.mean_field(torch.from_numpy(probs)[None], torch.from_numpy(colour)[None], p)[0].double().numpy()
    err = np.abs(got - dense_crf_reference(probs, colour, p)).max()
    check(err < 1e-5, f'windowed CRF differs from the dense reference by {err}')


def check_labels_to_image():
    """A 2x2 label map scaled to 4 px repeats each label over a 2x2 block;
    a size that is no whole multiple is refused."""
    got = maps.labels_to_image(torch.tensor([[[1, 2], [3, 4]]], dtype=torch.uint8), 4)
    want = [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]
    check(got.tolist() == [want], got)
    try:
        maps.labels_to_image(got, 6)
    except ValueError:
        return
    raise AssertionError('labels_to_image scaled 4 px labels to 6 px')


def check_ideal_walk():
    """With same-label affinities nothing crosses a label boundary, and within
    a 6x3 segment five steps of a radius-5 walk reach every cell."""
    labels = torch.zeros(1, 1, 6, 6)
    labels[..., 3:] = 1
    scores = torch.zeros(1, 1, 6, 6)
    scores[0, 0, 2, 1] = 1
    offsets, trans = transition(labels, 5, 1, same_label)
    walked = random_walk(scores, offsets, trans, 5)[0, 0]
    check((walked[:, 3:] == 0).all(), f'the ideal walk crossed the boundary: {walked}')
    check((walked[:, :3] > 0).all(), f'the ideal walk left cells of the segment unreached: {walked}')


def check_aff_label_counts():
    """Hand-worked, radius 2 on a 2x4 grid whose left half is background and
    right half class 1: the two sources (0,1), (0,2) have 3 pairs across the
    boundary. Labels leave (1,1) ignored and call (1,3) background, so of
    their 3 negative pairs 2 cross the true boundary."""
    truth = torch.tensor([[[0, 0, 1, 1], [0, 0, 1, 1]]])
    labels = torch.tensor([[[0, 0, 1, 1], [0, 255, 1, 0]]])
    got = aff_label_quality.counts(labels, truth, 2)
    want = {'cells': 8, 'fg': 3, 'fg_right': 3, 'bg': 4, 'bg_right': 3, 'true_cross': 3, 'true_cross_neg': 2, 'neg': 3}
    check(got == want, got)
    check(aff_label_quality.shares(got)['true_boundary_pairs_negative'] == 0.667, aff_label_quality.shares(got))


def check_aff_label_quality(cfg):
    shares = aff_label_quality.measure(cfg, read_labels(cfg['paths']['data'], 'train'))
    check(all(0 <= v <= 1 for v in shares.values()) and len(shares) == 6, shares)


def check_walk_ceiling(cfg):
    images, result = walk_ceiling.measure(cfg, 'val', None, [16], cfg['rw']['beta'], lambda *_: None)
    check(images == 3 and set(result) == {'cam', 'walk_alpha16', 'ideal_alpha16'}, result)
    check(all(0 <= v <= 100 for v in result.values()), result)
    images, ideal = walk_ceiling.measure(cfg, 'val', None, [16], cfg['rw']['beta'], lambda *_: None, trained=False)
    check(set(ideal) == {'cam', 'ideal_alpha16'} and ideal['ideal_alpha16'] == result['ideal_alpha16'], ideal)


def check_mosaic_sample():
    """A hand-worked 2x2 mosaic of four 4x4-cell, 8x8-pixel tiles: tile n has
    one class, a CAM peak at cell (n, n) and pseudo labels on the 2x2 pixels
    of that cell. Shrunk by 2, the peak lands in cell (n//2, n//2) of the
    tile's quadrant and the labels in pixel (n, n) of it (nearest neighbour
    samples pixel 2y+1). A single-cell CAM is its own box evidence, so the
    random swap cannot change the result."""
    tiles, classes = ['a', 'b', 'c', 'd'], [3, 8, 3, 12]
    with tempfile.TemporaryDirectory() as run:
        for n, (tile, c) in enumerate(zip(tiles, classes)):
            cams = np.zeros((1, 4, 4), np.float32)
            cams[0, n, n] = 2.0
            os.makedirs(os.path.dirname(cam_path(run, 'train', tile)), exist_ok=True)
            np.savez(cam_path(run, 'train', tile), cams=cams, classes=np.array([c], np.uint8))
            label = np.zeros((8, 8), np.uint8)
            label[2 * n:2 * n + 2, 2 * n:2 * n + 2] = c
            write_png(pred_path(run, 'train', 'rw', tile), label)
        cams, ids, labels = mosaic_sample(run, 2, tiles, torch.Generator().manual_seed(0), 1e-5)
    check(ids == [3, 8, 12], ids)
    want = np.zeros((3, 4, 4), np.float32)
    want[0, 0, 0] = want[0, 3, 1] = want[1, 0, 2] = want[2, 3, 3] = 1
    check(np.allclose(cams.numpy(), want, atol=1e-4), cams)
    want_labels = np.zeros((8, 8), np.uint8)
    want_labels[0, 0], want_labels[1, 5], want_labels[6, 2], want_labels[7, 7] = 3, 8, 3, 12
    check((labels == want_labels).all(), labels)


def check_zoom_sample():
    """A hand-worked zoom of a 16x16-pixel, 8x8-cell tile holding class 3
    (CAM peak at cell (1, 1), pseudo labels on its 2x2 pixels) and class 8
    (cell (6, 6)). Cropping the top-left 8x8 pixels and enlarging 2x: class 8
    is left out, class 3's CAM is the bilinear (half-pixel) enlargement of a
    one-cell peak, profile [0, 1/4, 3/4, 3/4, 1/4, 0, 0, 0] a side, and its
    labels cover pixels 4-7 (nearest neighbour samples pixel y // 2). The
    peaks are more than three cells apart, so the random box swap (a box
    grown by at most three cells, times the peaks) cannot change the result.
    A crop holding no pseudo label of a class gives None."""
    with tempfile.TemporaryDirectory() as run:
        cams = np.zeros((2, 8, 8), np.float32)
        cams[0, 1, 1] = cams[1, 6, 6] = 2.0
        os.makedirs(os.path.dirname(cam_path(run, 'train', 'a')), exist_ok=True)
        np.savez(cam_path(run, 'train', 'a'), cams=cams, classes=np.array([3, 8], np.uint8))
        label = np.zeros((16, 16), np.uint8)
        label[2:4, 2:4], label[12:14, 12:14] = 3, 8
        write_png(pred_path(run, 'train', 'rw', 'a'), label)
        cams, ids, labels = zoom_sample(run, 'a', (0, 0, 8), torch.Generator().manual_seed(0), 1e-5)
        empty = zoom_sample(run, 'a', (8, 0, 8), torch.Generator().manual_seed(0), 1e-5)
    check(ids == [3] and empty is None, (ids, empty))
    profile = np.array([0, 0.25, 0.75, 0.75, 0.25, 0, 0, 0])
    want = np.outer(profile, profile) / 0.5625
    check(cams.shape == (1, 8, 8) and np.allclose(cams[0].numpy(), want, atol=1e-4), cams)
    want_labels = np.zeros((16, 16), np.uint8)
    want_labels[4:8, 4:8] = 3
    check((labels == want_labels).all(), labels)


def main(keep=False):
    check_crf()
    check_labels_to_image()
    check_ideal_walk()
    check_aff_label_counts()
    check_mosaic_sample()
    check_zoom_sample()
    tmp = tempfile.mkdtemp(prefix='affinitylab-smoke-')
    try:
        paths = {'data': os.path.join(tmp, 'synth'), 'features': os.path.join(tmp, 'features'),
                 'run': os.path.join(tmp, 'run'), 'export': os.path.join(tmp, 'models')}
        build_dataset(paths['data'])
        fake_features(paths['data'], paths['features'], np.random.default_rng(0))
        cfg = load_config(overrides=dict(TINY, name='smoke', paths=paths, grid={'input_size': INPUT_SIZE}))
        cfg['aff']['stage_channels'] = [4] * len(cfg['taps']['aff'])
        run_pipeline.main(cfg)
        check_outputs(cfg)
        check_export_matches(cfg)
        check_walk_ceiling(cfg)
        check_aff_label_quality(cfg)
        print(f'smoke test passed ({tmp})')
    finally:
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--keep', action='store_true', help='keep the temporary directory')
    main(parser.parse_args().keep)
