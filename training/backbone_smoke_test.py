#!/usr/bin/python3
"""Smoke run, in seconds, of a model set's own backbone: train it for one
tiny epoch on a generated 6 + 3 image dataset, export it, extract its
features with the TypeScript backbone (scripts/extract_features.ts, the
app's code) and check them against PyTorch's (train_backbone.parity).

    /usr/bin/python3 training/backbone_smoke_test.py [--keep]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import train_backbone  # noqa: E402
from smoke_test import build_dataset  # noqa: E402
from tools.config import ROOT, load_config  # noqa: E402
from tools.progress import Logger  # noqa: E402

SCRATCH_CONFIG = os.path.join(HERE, 'config', 'scratch.json')
# Every augmentation on, so each runs at least once.
TINY = {'backbone': {'epochs': 1, 'batch_size': 3, 'train_size': 64, 'crop_min': 256, 'eval_every': 1,
                     'hue': 180, 'grayscale': 0.5, 'hide': {'patch': 16, 'p': 0.5}}}


def check_augmentations():
    """Hand-worked cases: a 120-degree hue rotation turns pure red into pure
    green and leaves grey alone; hiding every patch leaves mid-grey."""
    rgb = torch.tensor([[255.0, 0.0, 0.0], [90.0, 90.0, 90.0]]).T
    turned = train_backbone.hue_rotation(120) @ rgb
    assert torch.allclose(turned, torch.tensor([[0.0, 255.0, 0.0], [90.0, 90.0, 90.0]]).T, atol=1e-3), turned
    crop = torch.rand(3, 40, 40) * 255
    assert torch.equal(train_backbone.hide_patches(crop, 16, 1.0, torch.Generator()), torch.full_like(crop, 127.5))
    assert torch.equal(train_backbone.hide_patches(crop, 16, 0.0, torch.Generator()), crop)


def main(keep=False):
    check_augmentations()
    tmp = tempfile.mkdtemp(prefix='affinitylab-backbone-smoke-')
    try:
        paths = {'data': os.path.join(tmp, 'synth'), 'features': os.path.join(tmp, 'features'),
                 'run': os.path.join(tmp, 'run'), 'export': os.path.join(tmp, 'models')}
        build_dataset(paths['data'])
        cfg = load_config(SCRATCH_CONFIG, dict(TINY, name='backbone-smoke', paths=paths))
        summary = train_backbone.main(cfg)
        assert summary['parameters'] > 0 and 'val' in summary['history'][-1], summary
        subprocess.run(['npx', 'tsx', 'scripts/extract_features.ts', paths['data'], '--out', paths['features'],
                        '--backbone', os.path.join(paths['run'], 'backbone', 'model.json')],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        # parity raises beyond its tolerance; the assert guards against an empty comparison.
        parity = train_backbone.parity(cfg, Logger(os.path.join(tmp, 'parity.log')))['same_pixels']
        assert set(parity) == set(train_backbone.REFERENCE_TAPS), parity
        worst = max(p['relative'] for p in parity.values())
        print(f'backbone smoke test passed (worst relative PyTorch/TS difference {worst:.2e}; {tmp})')
    finally:
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--keep', action='store_true', help='keep the temporary directory')
    main(parser.parse_args().keep)
