import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VOC_CLASSES } from '../src/core/constants';
import { encodeLabelPng } from '../src/io/label_png';
import { readSetReference, type SetReference } from '../src/models/testing/set_reference';

/**
 * npm run eval on a data set of one image whose PyTorch masks are the
 * committed reference of models/default (training/write_set_reference.py):
 * the TS and PyTorch pipelines must agree, and the evaluation must fail
 * when they do not.
 */
const ROOT = path.join(__dirname, '..');
const SET = 'models/default';
const ID = 'sample';

function evaluate(data: string, run: string) {
  return spawnSync('npx', ['tsx', 'scripts/evaluate.ts', '--model', SET, '--data', data, '--run', run], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
}

describe('npm run eval against the PyTorch pipeline', () => {
  let dir: string;
  let data: string;
  let reference: SetReference;
  const writeTorchMasks = (run: string, { cam, rw, seg }: SetReference['masks']) => {
    for (const [stage, labels] of Object.entries({ cam, rw, seg })) {
      mkdirSync(path.join(run, 'pred_val', stage), { recursive: true });
      writeFileSync(path.join(run, 'pred_val', stage, `${ID}.png`), encodeLabelPng({ width: reference.masks.width, height: reference.masks.height, labels }));
    }
  };

  beforeAll(() => {
    reference = readSetReference(ROOT, SET);
    dir = mkdtempSync(path.join(tmpdir(), 'eval-'));
    data = path.join(dir, 'data');
    for (const folder of ['images', 'masks']) mkdirSync(path.join(data, 'val', folder), { recursive: true });
    copyFileSync(path.join(ROOT, reference.image), path.join(data, 'val', 'images', `${ID}.jpg`));
    copyFileSync(path.join(ROOT, reference.image.replace(/\.jpg$/, '.png')), path.join(data, 'val', 'masks', `${ID}.png`));
    writeFileSync(path.join(data, 'val', 'labels.tsv'), `id\tclasses\n${ID}\t${reference.classes.join(',')}\n`);
  });
  // When beforeAll failed there is no folder: its own error is the one to read.
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('passes when TS and PyTorch agree on every stage, as on the reference', () => {
    const run = path.join(dir, 'agree');
    writeTorchMasks(run, reference.masks);
    const result = evaluate(data, run);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(readFileSync(path.join(run, 'eval_ts.json'), 'utf8'));
    for (const stage of ['cam', 'rw', 'final']) expect(report.pytorch.pixelAgreement[stage], stage).toBeGreaterThanOrEqual(0.99);
    // Each of the image's classes occurs once; as many were named as the recall says.
    const perClass: Record<string, { images: number; named: number }> = report.predictedLabels.perClass;
    expect(Object.keys(perClass).sort()).toEqual(reference.classes.map((c) => VOC_CLASSES[c]).sort());
    for (const row of Object.values(perClass)) expect(row.images).toBe(1);
    const named = Object.values(perClass).reduce((sum, row) => sum + row.named, 0);
    expect(named).toBe(Math.round(report.predictedLabels.recall * reference.classes.length));
  }, 150_000);

  it('exits with status 1 and names the stage when they agree on fewer than 99% of pixels', () => {
    const run = path.join(dir, 'disagree');
    // PyTorch's walk mask replaced by background everywhere: only the TS mask's background agrees.
    writeTorchMasks(run, { ...reference.masks, rw: new Uint8Array(reference.masks.rw.length) });
    const result = evaluate(data, run);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/The TypeScript and PyTorch pipelines disagree .*\n {2}rw: \d+\.\d\d% of pixels agree, below the required 99\.0%/);
    expect(result.stderr).not.toMatch(/ (cam|final): /);
  }, 150_000);
});
