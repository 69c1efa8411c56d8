import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pixelAgreement } from '../src/core/agreement';
import { readReferenceFile, readSetReference, REFERENCE_SAMPLE } from '../src/models/testing/set_reference';

/**
 * The committed PyTorch references (models/<set>/reference/) are what
 * training/write_set_reference.py writes today: the PyTorch pipeline has not
 * drifted from them, and `npm run reference` still works. Needs Debian's
 * python3 with python3-torch. Another torch build may round differently, so
 * floats must agree to 1e-6 and label maps on 99.9% of pixels.
 */
const ROOT = path.join(__dirname, '..');
const SETS = ['default', 'scratch'];

describe('training/write_set_reference.py', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'reference-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes again the references committed for the shipped sets', () => {
    const run = spawnSync('/usr/bin/python3', ['training/write_set_reference.py', ...SETS.map((id) => `models/${id}`), '--out', out], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    for (const id of SETS) {
      const committed = readSetReference(ROOT, path.join('models', id));
      const fresh = readReferenceFile(path.join(out, id, `${REFERENCE_SAMPLE}.json`), ROOT);
      expect(fresh.classes).toEqual(committed.classes);
      for (const key of ['scores', 'camMeans'] as const) {
        expect(Object.keys(fresh[key])).toEqual(Object.keys(committed[key]));
        for (const [name, value] of Object.entries(committed[key])) expect(Math.abs(fresh[key][name] - value), `${id} ${key} ${name}`).toBeLessThanOrEqual(1e-6);
      }
      for (const stage of ['cam', 'rw', 'seg'] as const) expect(pixelAgreement(fresh.masks[stage], committed.masks[stage]), `${id} ${stage}`).toBeGreaterThanOrEqual(0.999);
    }
  }, 150_000);
});
