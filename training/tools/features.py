"""Cached backbone features (scripts/extract_features.ts): one float16 (C, H, W)
.npy per image and tap under <features>/<split>/<tap>/<id>.npy.

Whole splits are stacked into float16 tensors in RAM (about 2.1 MiB per image
for all four taps, 0.6 MiB more for the detector's stride-4 map) so that epochs never touch the disk; batches are widened
to float32 on the way into a head.
"""
import json
import os

import numpy as np
import torch


def tap_specs(feat_dir):
    """{tap: its features.json entry (node, channels, stride, ...)}."""
    with open(os.path.join(feat_dir, 'features.json')) as f:
        return {t['key']: t for t in json.load(f)['taps']}


def tap_path(feat_dir, split, tap, sid):
    return os.path.join(feat_dir, split, tap, sid + '.npy')


def missing_features(feat_dir, split, taps, ids):
    return [sid for sid in ids for tap in taps if not os.path.exists(tap_path(feat_dir, split, tap, sid))]


def load_split(feat_dir, split, taps, ids, progress=None):
    """{tap: float16 tensor (N, C, H, W)} for the given ids, in order."""
    missing = missing_features(feat_dir, split, taps, ids)
    if missing:
        raise FileNotFoundError(f'{len(missing)} {split} images lack cached features in {feat_dir} '
                                f'(first: {missing[0]}); run `npm run features` first')
    out = {}
    for tap in taps:
        first = np.load(tap_path(feat_dir, split, tap, ids[0]))
        stack = torch.empty((len(ids),) + first.shape, dtype=torch.float16)
        for n, sid in enumerate(ids):
            stack[n] = torch.from_numpy(np.load(tap_path(feat_dir, split, tap, sid)))
        out[tap] = stack
        if progress:
            progress(f'loaded {split}/{tap}: {tuple(stack.shape)}')
    return out


def batch(stacks, index, device):
    """One float32 batch per tap from the RAM stacks."""
    return {tap: stack[index].to(device=device, dtype=torch.float32) for tap, stack in stacks.items()}


def read_batch(feat_dir, split, taps, ids, device):
    """float32 tensors {tap: (B, C, H, W)} read straight from the cache."""
    return {tap: torch.from_numpy(np.stack([np.load(tap_path(feat_dir, split, tap, sid)) for sid in ids]))
            .to(device, torch.float32) for tap in taps}


def channel_rms(stack, chunk=100):
    """Per-channel root mean square of a (N, C, H, W) float16 stack, in float64."""
    total = torch.zeros(stack.shape[1], dtype=torch.float64)
    for start in range(0, len(stack), chunk):
        total += stack[start:start + chunk].double().pow(2).sum(dim=(0, 2, 3))
    return (total / (len(stack) * stack.shape[2] * stack.shape[3])).sqrt().float()
