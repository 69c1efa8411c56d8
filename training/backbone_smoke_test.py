#!/usr/bin/python3
"""Smoke run, in seconds, of a model set's own backbone: train it for one
tiny epoch on a generated 6 + 3 image dataset, export it, extract its
features with the TypeScript backbone (scripts/extract_features.ts, the
app's code, resizing the images to the network input as the app does) and
check them against PyTorch's (train_backbone.parity).

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
import train_backbone  # noqa: E402
from smoke_test import build_dataset  # noqa: E402
from tools.config import ROOT, load_config  # noqa: E402
from tools.progress import Logger  # noqa: E402

SCRATCH_CONFIG = os.path.join(HERE, 'config', 'scratch.json')
TINY = {'backbone': {'epochs': 1, 'batch_size': 3, 'train_size': 64, 'crop_min': 256, 'eval_every': 1}}


def main(keep=False):
    tmp = tempfile.mkdtemp(prefix='affinitylab-backbone-smoke-')
    try:
        paths = {'data': os.path.join(tmp, 'synth'), 'features': os.path.join(tmp, 'features'),
                 'run': os.path.join(tmp, 'run'), 'export': os.path.join(tmp, 'models')}
        build_dataset(paths['data'])
        cfg = load_config(SCRATCH_CONFIG, dict(TINY, name='backbone-smoke', paths=paths))
        summary = train_backbone.main(cfg)
        assert summary['parameters'] > 0 and 'val' in summary['history'][-1], summary
        subprocess.run(['npx', 'tsx', 'scripts/extract_features.ts', paths['data'], '--out', paths['features'],
                        '--backbone', os.path.join(paths['run'], 'backbone', 'model.json'),
                        '--input-size', str(cfg['grid']['input_size'])],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        # parity raises beyond its tolerance; the assert guards against an empty comparison.
        # The scratch config's network sees the 512 px images at 256 px: the
        # cached maps are compared with PyTorch's on the same resize.
        checks = train_backbone.parity(cfg, Logger(os.path.join(tmp, 'parity.log')))
        parity, cached = checks['same_pixels'], checks['cached']
        assert set(parity) == set(cached) == set(train_backbone.REFERENCE_TAPS), checks
        assert cfg['grid']['input_size'] == 256 and all(p['max_abs'] > 0 for p in cached.values()), (cfg['grid'], cached)
        worst = max(p['relative'] for p in parity.values())
        print(f'backbone smoke test passed (worst relative PyTorch/TS difference {worst:.2e}; {tmp})')
    finally:
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--keep', action='store_true', help='keep the temporary directory')
    main(parser.parse_args().keep)
