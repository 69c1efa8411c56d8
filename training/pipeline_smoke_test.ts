import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * Every training stage once on a tiny generated dataset (training/smoke_test.py).
 * Needs Debian's python3 with python3-torch and the dataset's Debian packages
 * (scripts/install_test_deps.sh).
 */
const PYTHON = '/usr/bin/python3';

describe('training pipeline', () => {
  it.skipIf(!existsSync(PYTHON))('runs every stage on a tiny dataset', () => {
    const run = spawnSync(PYTHON, ['training/smoke_test.py'], { encoding: 'utf8', timeout: 180_000 });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain('smoke test passed');
  }, 200_000);
});
