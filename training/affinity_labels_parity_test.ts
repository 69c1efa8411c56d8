import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { combineAlphaLabels, pairLabels } from '../src/core/affinity_labels';
import { halfDiscPairs } from '../src/core/pairs';
import { seededRandom } from '../src/core/seeded_random';

/**
 * src/core/affinity_labels.ts mirrors training/tools/affinity.py (the labels
 * AffinityNet is trained on): both compute the labels of one small case,
 * which must agree pair for pair. Needs Debian's python3 with python3-torch.
 */
const TRAINING = path.join(__dirname);
const PYTHON = `
import json, sys
import torch
sys.path.insert(0, ${JSON.stringify(TRAINING)})
from tools.affinity import combine_alpha_labels, pair_labels
case = json.load(sys.stdin)
shape = (1, case['height'], case['width'])
low = torch.tensor(case['low'], dtype=torch.uint8).reshape(shape)
high = torch.tensor(case['high'], dtype=torch.uint8).reshape(shape)
labels = combine_alpha_labels(low, high)
bg, fg, neg = pair_labels(labels, case['radius'])
print(json.dumps({'labels': labels.flatten().tolist(), 'bg': bg.flatten().int().tolist(), 'fg': fg.flatten().int().tolist(), 'neg': neg.flatten().int().tolist()}))
`;

describe('affinity labels, TypeScript against the training code', () => {
  it('agree on the grid labels and on every pair of a random 9x12 case', () => {
    const [height, width, radius] = [9, 12, 3];
    const random = seededRandom(7);
    const pick = (values: number[]) => Uint8Array.from({ length: height * width }, () => values[Math.floor(random() * values.length)]);
    const low = pick([0, 0, 3, 8]);
    const high = pick([0, 3, 8, 8]);
    const run = spawnSync('/usr/bin/python3', ['-c', PYTHON], { input: JSON.stringify({ height, width, radius, low: [...low], high: [...high] }), encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    const python = JSON.parse(run.stdout) as { labels: number[]; bg: number[]; fg: number[]; neg: number[] };

    const labels = combineAlphaLabels(low, high);
    expect([...labels]).toEqual(python.labels);
    const pairs = pairLabels(labels, halfDiscPairs(height, width, radius));
    expect([...pairs.bgPos]).toEqual(python.bg);
    expect([...pairs.fgPos]).toEqual(python.fg);
    expect([...pairs.neg]).toEqual(python.neg);
    // The case exercises every kind of label and pair.
    expect(new Set(labels)).toEqual(new Set([0, 3, 8, 255]));
    for (const kind of [pairs.bgPos, pairs.fgPos, pairs.neg]) expect(kind.some((v) => v === 1)).toBe(true);
  });
});
