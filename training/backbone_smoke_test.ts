import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * A model set's own backbone on a tiny generated dataset: train, export,
 * extract with the TypeScript backbone, compare with PyTorch; then the same
 * for AffinityNet's fine-tuned copy of it (training/backbone_smoke_test.py). Needs Debian's python3 with python3-torch.
 */
const PYTHON = '/usr/bin/python3';

describe('own backbone training', () => {
  it.skipIf(!existsSync(PYTHON))('trains, exports and matches the TypeScript backbone, and fine-tunes its affinity copy', () => {
    const run = spawnSync(PYTHON, ['training/backbone_smoke_test.py'], { encoding: 'utf8', timeout: 180_000 });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain('backbone smoke test passed');
  }, 200_000);
});
