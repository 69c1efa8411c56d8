import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { modelSetFromDir } from '../src/models/node_model_set';
import { useNodeWasmBackend } from '../src/models/node_wasm';
import { loadPipeline } from '../src/models/pipeline';
import { evaluateReal } from './evaluate_real';

const ROOT = path.join(__dirname, '..');
const CHECK_SET = path.join(ROOT, 'eval/real');

describe('npm run eval -- --real', () => {
  let dir: string;
  beforeAll(async () => {
    await useNodeWasmBackend();
    dir = mkdtempSync(path.join(tmpdir(), 'real-eval-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('scores a check set of one photo, prints the table first and writes its report into folders it makes', async () => {
    // The dachshund photo, with its hand-drawn box and a second, wrong box of a class the photo lacks.
    const dog = JSON.parse(readFileSync(path.join(CHECK_SET, 'photos.json'), 'utf8')).find((p: { file: string }) => p.file === 'dog_daisy.jpg');
    const photos = path.join(dir, 'photos');
    mkdirSync(photos);
    copyFileSync(path.join(CHECK_SET, dog.file), path.join(photos, dog.file));
    writeFileSync(path.join(photos, 'photos.json'), JSON.stringify([{ ...dog, objects: [...dog.objects, { class: 'sheep', box: [0, 0, 50, 50], difficult: true }] }]));

    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
    const pipeline = await loadPipeline(modelSetFromDir(path.join(ROOT, 'models/default')));
    const out = path.join(dir, 'not', 'yet', 'there', 'eval_real.json');
    try {
      await evaluateReal(pipeline, photos, { ...pipeline.meta.defaults, order: 'psa' }, out);
    } finally {
      pipeline.dispose();
      log.mockRestore();
    }
    const report = JSON.parse(readFileSync(out, 'utf8'));
    // The detector names the dog only: precision 1/1, recall 1/2 (the sheep box is not in the photo).
    expect(report.labels).toEqual({ precision: 1, recall: 0.5 });
    expect(report.perPhoto[0]).toMatchObject({ file: 'dog_daisy.jpg', evidence: 'detector', actual: ['dog', 'sheep'], predicted: ['dog'] });
    expect(report.perPhoto[0].stages.rw[0]).toBe('found');
    expect(report.perPhoto[0].stages.rw[1]).toMatch(/^missed \(inside 0%, covered 0%\)$/);
    expect(report.found.rw).toBe(0.5);
    expect(report.notDifficult).toEqual({ objects: 1, found: expect.objectContaining({ rw: 1 }) });
    expect(printed[0]).toMatch(/^Model set `default` on the real-photo check set \(1 photos, 2 objects/);
    expect(printed.at(-1)).toBe(`Written to ${out}.`);
  });
});
