"""Loading training/config/*.json and preparing torch for a stage.

Every hyperparameter lives in the config file; scripts read it through the
dict returned here and never repeat a number.
"""
import copy
import json
import os

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_CONFIG = os.path.join(ROOT, 'training', 'config', 'default.json')


def load_config(path=DEFAULT_CONFIG, overrides=None):
    """Reads a config and deep-merges `overrides` (a dict) into it.

    Relative paths in cfg['paths'] are resolved against the repository root,
    so the scripts work from any working directory.
    """
    with open(path) as f:
        cfg = json.load(f)
    merge(cfg, overrides or {})
    cfg['paths'] = {k: v if os.path.isabs(v) else os.path.join(ROOT, v) for k, v in cfg['paths'].items()}
    return cfg


def merge(base, extra):
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merge(base[key], value)
        else:
            base[key] = copy.deepcopy(value)


def seg_taps(cfg):
    """The taps the segmentation head reads: taps.seg, then seg.fine_tap if any."""
    fine = cfg['seg'].get('fine_tap')
    return list(cfg['taps']['seg']) + ([fine] if fine else [])


def all_taps(cfg):
    """Every backbone tap some head reads, each once, sorted."""
    return sorted({cfg['taps']['cam'], *seg_taps(cfg), *cfg['taps']['aff']})


def run_path(cfg, *parts):
    """A path inside this model set's run directory (data/runs/<name>/...)."""
    return os.path.join(cfg['paths']['run'], *parts)


def setup_torch(cfg):
    """Thread count and seed; Debian's torch starts with a single thread."""
    torch.set_num_threads(cfg['threads'])
    torch.manual_seed(cfg['seed'])
    return torch.device(cfg['device'])


def aff_finetunes_backbone(cfg):
    """True for a set whose AffinityNet fine-tunes its own copy of the backbone
    (config aff.backbone, as psa's AffinityNet does) instead of reading the
    shared frozen features."""
    return 'backbone' in cfg['aff']


def aff_feature_dir(cfg):
    """Where the affinity head's input taps are cached: the shared feature
    cache, or, for a fine-tuned affinity backbone, a second one beside it."""
    return cfg['paths']['features'] + '_aff' if aff_finetunes_backbone(cfg) else cfg['paths']['features']
