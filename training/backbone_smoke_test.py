#!/usr/bin/python3
"""Smoke run, in seconds, of a model set's own backbone: train it for one
tiny epoch on a generated 6 + 3 image dataset, export it, extract its
features with the TypeScript backbone (scripts/extract_features.ts, the
app's code, resizing the images to the network input as the app does) and
check them against PyTorch's (backbone_parity.parity); then fine-tune a copy
of it with the affinity head (train_aff with config aff.backbone) on
affinity labels taken from the true masks, and check the copy the same way.

    /usr/bin/python3 training/backbone_smoke_test.py [--keep]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import train_aff  # noqa: E402
import train_backbone  # noqa: E402
from smoke_test import build_dataset  # noqa: E402
from tools.aff_labels import label_path  # noqa: E402
from tools.backbone import TAPS  # noqa: E402
from tools.backbone_parity import parity  # noqa: E402
from tools.checks import check  # noqa: E402
from tools.config import ROOT, aff_feature_dir, load_config  # noqa: E402
from tools.dataset import read_labels, read_mask, write_png  # noqa: E402
from tools.progress import Logger  # noqa: E402

SCRATCH_CONFIG = os.path.join(HERE, 'config', 'scratch.json')
TINY = {'backbone': {'epochs': 1, 'batch_size': 3, 'train_size': 64, 'crop_min': 256, 'eval_every': 1},
        'aff': {'epochs': 1, 'batch_size': 3, 'embed_channels': 8, 'backbone': {'lr_mult': 0.1, 'weight_decay': 1e-5}}}


def mask_aff_labels(cfg):
    """Affinity labels read off the true masks at the grid cells' corners:
    the labels train_aff expects, without CAMs."""
    grid = cfg['grid']['input_size'] // cfg['grid']['stride']
    for sid, _ in read_labels(cfg['paths']['data'], 'train'):
        mask = read_mask(cfg['paths']['data'], 'train', sid)
        step = mask.shape[0] // grid
        write_png(label_path(cfg, sid), mask[::step, ::step])


def check_parity(checks, cfg):
    """parity raises beyond its tolerance; this guards against an empty
    comparison. The scratch config's network sees the 512 px images at 256 px:
    the cached maps are compared with PyTorch's on the same resize."""
    same_pixels, cached = checks['same_pixels'], checks['cached']
    check(set(same_pixels) == set(cached) == set(TAPS), checks)
    check(cfg['grid']['input_size'] == 256 and all(p['max_abs'] > 0 for p in cached.values()), (cfg['grid'], cached))
    return max(p['relative'] for p in same_pixels.values())


def main(keep=False):
    tmp = tempfile.mkdtemp(prefix='affinitylab-backbone-smoke-')
    try:
        paths = {'data': os.path.join(tmp, 'synth'), 'features': os.path.join(tmp, 'features'),
                 'run': os.path.join(tmp, 'run'), 'export': os.path.join(tmp, 'models')}
        build_dataset(paths['data'])
        cfg = load_config(SCRATCH_CONFIG, dict(TINY, name='backbone-smoke', paths=paths))
        summary = train_backbone.main(cfg)
        check(summary['parameters'] > 0 and 'val' in summary['history'][-1], summary)
        subprocess.run(['npx', 'tsx', 'scripts/extract_features.ts', paths['data'], '--out', paths['features'],
                        '--backbone', os.path.join(paths['run'], 'backbone', 'model.json'),
                        '--input-size', str(cfg['grid']['input_size'])],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        worst = check_parity(parity(cfg, Logger(os.path.join(tmp, 'parity.log'))), cfg)
        mask_aff_labels(cfg)
        aff = train_aff.main(cfg)
        check(aff['backbone_parameters'] == summary['parameters'] and aff_feature_dir(cfg) != paths['features'], aff)
        worst_aff = check_parity(aff['parity'], cfg)
        weights = [open(os.path.join(paths['run'], name, 'weights.bin'), 'rb').read() for name in ('backbone', 'aff_backbone')]
        check(weights[0] != weights[1], 'the affinity backbone was not fine-tuned')
        print(f'backbone smoke test passed (worst relative PyTorch/TS difference {worst:.2e}, '
              f'fine-tuned affinity backbone {worst_aff:.2e}; {tmp})')
    finally:
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--keep', action='store_true', help='keep the temporary directory')
    main(parser.parse_args().keep)
