"""Checks `affinitylab walk` against psa's dense method computed in NumPy float64.

Builds random inputs on a 56x56 grid (21 score channels, 64-dim embeddings),
computes T = A / A.sum(0) with A = W^beta over the radius disc, T^256 by eight
squarings as psa does, and compares cam @ T^256 with the CLI's output.
Run with a Python that has NumPy: /usr/bin/python3 scripts/verify_walk_numpy.py
"""
import os
import subprocess
import sys
import tempfile
import time

import numpy as np


def dense_walk(scores, embed, beta=8.0, radius=5, logt=8):
    d, h, w = embed.shape
    f = embed.reshape(d, -1).astype(np.float64)
    ys, xs = np.divmod(np.arange(h * w), w)
    near = (ys[:, None] - ys[None, :]) ** 2 + (xs[:, None] - xs[None, :]) ** 2 < radius ** 2
    dist = np.zeros((h * w, h * w))
    for c in range(d):  # one channel at a time keeps memory at N x N
        dist += np.abs(f[c][:, None] - f[c][None, :])
    a = np.where(near, np.exp(-dist / d), 0.0) ** beta
    t = a / a.sum(axis=0, keepdims=True)
    for _ in range(logt):
        t = t @ t
    return (scores.reshape(scores.shape[0], -1).astype(np.float64) @ t).reshape(scores.shape)


def main():
    rng = np.random.default_rng(0)
    scores = rng.random((21, 56, 56), dtype=np.float32)
    embed = (rng.random((64, 56, 56), dtype=np.float32) * 0.5).astype(np.float32)
    with tempfile.TemporaryDirectory() as tmp:
        s, e, r = (os.path.join(tmp, n) for n in ('s.npy', 'e.npy', 'r.npy'))
        np.save(s, scores)
        np.save(e, embed)
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        start = time.perf_counter()
        subprocess.run([os.path.join(root, 'bin', 'affinitylab.mjs'), 'walk', '--scores', s, '--embed', e, '--out', r], check=True)
        seconds = time.perf_counter() - start
        ours = np.load(r)
    ref = dense_walk(scores, embed)
    diff = np.abs(ours - ref).max()
    print(f'affinitylab walk: {seconds:.2f} s (whole process); max |ours - numpy dense| = {diff:.2e}')
    sys.exit(0 if diff < 1e-4 else 1)


if __name__ == '__main__':
    main()
