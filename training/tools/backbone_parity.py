"""Checks that the TypeScript backbone computes what PyTorch does, from the
reference maps backbone_export writes beside an exported backbone."""
import json
import os
import subprocess

import numpy as np

from .backbone_export import RESIZED, reference_dir
from .config import ROOT, run_path

# float32 on both sides; summation order alone differs.
PARITY_TOLERANCE = 1e-4
# The cache is float16 (relative step 1e-3); a different JPEG decoder moved the scratch taps by up to 28%.
CACHED_TOLERANCE = 5e-3


def compare(torch_map, ts_map, what):
    if torch_map.shape != ts_map.shape:
        raise ValueError(f'{what}: PyTorch shape {torch_map.shape}, TS {ts_map.shape}')
    diff, scale = float(np.abs(torch_map - ts_map).max()), float(np.abs(torch_map).max())
    significant = lambda v: float(f'{v:.3g}')  # noqa: E731
    return {'max_abs_diff': significant(diff), 'max_abs': significant(scale), 'relative': significant(diff / max(scale, 1e-12))}


def parity(cfg, log, exported=None, feat_dir=None):
    """PyTorch vs the TS backbone (scripts/extract_features.ts --reference) on
    the same lossless pixels, and PyTorch (PIL's JPEG decode) vs the cached
    features (the pipeline's decoder, which must match PIL's and the
    browser's); fails beyond PARITY_TOLERANCE or CACHED_TOLERANCE.
    `exported` is the backbone's folder (<run>/backbone unless told) and
    `feat_dir` its feature cache (paths.features unless told)."""
    exported = exported or run_path(cfg, 'backbone')
    feat_dir = feat_dir or cfg['paths']['features']
    folder = reference_dir(exported)
    with open(os.path.join(folder, 'reference.json')) as f:
        ref = json.load(f)
    subprocess.run(['npx', 'tsx', 'scripts/extract_features.ts', '--reference', folder,
                    '--backbone', os.path.join(exported, 'model.json')], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    out, cached = {}, {}
    for role in ref['taps']:
        torch_map = np.load(os.path.join(folder, f'{ref["id"]}_{role}.npy'))
        out[role] = compare(torch_map, np.load(os.path.join(folder, 'ts', role + '.npy')), f'parity {role}')
        log(f'parity PyTorch vs TS backbone, {ref["split"]}/{ref["id"]} {role}, same pixels: '
            f'max |diff| {out[role]["max_abs_diff"]:.3g} of max |value| {out[role]["max_abs"]:.4g} (relative {out[role]["relative"]:.1e})')
        cached_map = np.load(os.path.join(feat_dir, ref['split'], role, ref['id'] + '.npy')).astype(np.float32)
        resized = os.path.join(folder, f'{ref["id"]}_{role}{RESIZED}.npy')
        cached[role] = compare(np.load(resized) if os.path.exists(resized) else torch_map, cached_map, f'cached {role}')
        log(f'  cached features (the JPEG decoded by the pipeline, float16): max |diff| {cached[role]["max_abs_diff"]:.3g} '
            f'(relative {cached[role]["relative"]:.1e})')
    worst = max(p['relative'] for p in out.values())
    if worst > PARITY_TOLERANCE:
        raise ValueError(f'the TS backbone disagrees with PyTorch on identical pixels: relative difference {worst:.2e} '
                         f'> {PARITY_TOLERANCE:g}; see {folder}')
    worst = max(p['relative'] for p in cached.values())
    if worst > CACHED_TOLERANCE:
        raise ValueError(f'the cached features differ from PyTorch by {worst:.2e} relative (> {CACHED_TOLERANCE:g}): '
                         'does the pipeline decode JPEGs differently from PIL?')
    return {'same_pixels': out, 'cached': cached}
