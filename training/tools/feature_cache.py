"""Filling a feature cache (tools/features.py) with the app's own tfjs code:
scripts/extract_features.ts, run in Node, so the heads train on exactly the
features the browser computes."""
import hashlib
import json
import os
import shutil
import subprocess

from .config import ROOT
from .dataset import read_labels
from .features import missing_features
from .seg_mosaics import SPLIT as MOSAIC_SPLIT


def splits(cfg):
    """train and val, and the mosaic split when the segmentation head trains on it."""
    return ('train', 'val') + ((MOSAIC_SPLIT,) if cfg['seg'].get('mosaics') else ())


def sha256(path):
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def drop_stale(feat_dir, model_json, input_size, log):
    """Features cached from an earlier training of the backbone, or at another
    input size, would silently mismatch it."""
    described = os.path.join(feat_dir, 'features.json')
    if not os.path.exists(described):
        return
    with open(described) as f:
        cached = json.load(f)
    folder = os.path.dirname(model_json)
    if any(sha256(os.path.join(folder, name)) != digest for name, digest in cached['model']['sha256'].items()):
        log(f'the backbone changed since {feat_dir} was cached; removing it')
        shutil.rmtree(feat_dir)
    elif cached['input']['size'][0] != input_size:
        log(f'{feat_dir} holds features of {cached["input"]["size"][0]} px inputs; removing it')
        shutil.rmtree(feat_dir)


def fill(cfg, feat_dir, taps, log, model_json=None):
    """Extracts every image's taps of the splits the set trains on into
    feat_dir unless all are there (the extractor itself is resumable). model_json: one of our own
    backbones, or None for the CenterNet graph."""
    data, size = cfg['paths']['data'], cfg['grid']['input_size']
    command = ['npx', 'tsx', 'scripts/extract_features.ts', data, '--out', feat_dir, '--input-size', str(size),
               '--splits', ','.join(splits(cfg))]
    if model_json:
        drop_stale(feat_dir, model_json, size, log)
        command += ['--backbone', model_json]
    missing = sum(len(missing_features(feat_dir, s, taps, [sid for sid, _ in read_labels(data, s)])) for s in splits(cfg))
    if missing:
        log(f'extracting features for {missing} missing image/tap files into {feat_dir}')
        subprocess.run(command, cwd=ROOT, check=True)
