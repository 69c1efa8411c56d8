import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * `affinitylab walk` against psa's dense walk in NumPy float64
 * (scripts/verify_walk_numpy.py exits 1 above 1e-4). Needs Debian's python3
 * with python3-numpy (scripts/install_test_deps.sh), as CI has.
 */
const ROOT = path.join(__dirname, '..');

describe('the CLI walk against a dense NumPy walk', () => {
  it('matches cam @ T^256 on a 56x56 grid to within 1e-4', () => {
    const run = spawnSync('/usr/bin/python3', [path.join(ROOT, 'scripts/verify_walk_numpy.py')], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const diff = Number(/max \|ours - numpy dense\| = (\S+)/.exec(run.stdout)?.[1]);
    expect(diff).toBeLessThan(1e-4);
  }, 150_000);
});
