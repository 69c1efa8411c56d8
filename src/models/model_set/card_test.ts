import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SYNTHETIC_META } from '../synthetic_pipeline';
import { CARD_FILE, modelCard, parseCardFile } from './card';
import { META_FILE } from './constants';
import { validateMeta } from './meta';

const MODELS_DIR = path.join(__dirname, '..', '..', '..', 'models');
const json = (id: string, file: string): unknown => JSON.parse(readFileSync(path.join(MODELS_DIR, id, file), 'utf8'));

/** The card of a shipped set, as the app builds it from the files it serves. */
function shippedCard(id: string) {
  const meta = validateMeta(json(id, META_FILE), id, `models/${id}/${META_FILE}`);
  const card = parseCardFile(json(id, CARD_FILE), `models/${id}/${CARD_FILE}`);
  const evals = Object.fromEntries(card.evaluations.map((file) => [file, json(id, file)]));
  return modelCard(meta, card, evals, true);
}

describe('modelCard', () => {
  it('reads the default set as a card: classes, backbone, data, licences, evaluation table', () => {
    const card = shippedCard('default');
    expect(card.summary).toMatch(/^CenterNet, a COCO object detector/);
    expect(card.classes).toHaveLength(20);
    expect(card.headClasses).toBeNull(); // the heads were trained on every class of the set
    expect(card.backbone).toBe('models/centernet.json from the npm package @vladmandic/human@3.3.6 (frozen)');
    expect(card.trainingData).toBe('AffinityLab synthetic segmentation set (training/data/build_dataset.py): 2000 train, 300 val images');
    expect(card.licences.map((l) => l.licence)).toContain('MIT (trained by this project)');
    // The table shows what the set's summaries say, one decimal, found objects as counts.
    const meta = json('default', META_FILE) as { eval: { val: Record<'cam' | 'rw' | 'seg', number> } };
    const val = json('default', 'eval/val.json') as { miou: { gt: Record<'cam' | 'rw' | 'final', number> } };
    const real = json('default', 'eval/eval_real.json') as { objects: number; found: Record<'cam' | 'rw' | 'final', number> };
    const pct = (v: number) => (100 * v).toFixed(1);
    const found = (share: number) => `${Math.round(share * real.objects)}/${real.objects}`;
    expect(card.evaluation).toContainEqual({ what: 'val composites, mIoU, true labels (PyTorch)', cam: meta.eval.val.cam.toFixed(1), rw: meta.eval.val.rw.toFixed(1), seg: meta.eval.val.seg.toFixed(1) });
    expect(card.evaluation).toContainEqual({ what: 'val composites, mIoU, true labels (app pipeline)', cam: pct(val.miou.gt.cam), rw: pct(val.miou.gt.rw), seg: pct(val.miou.gt.final) });
    expect(card.evaluation).toContainEqual({ what: 'real photos (19), objects found', cam: found(real.found.cam), rw: found(real.found.rw), seg: found(real.found.final) });
    // A summary of a data set with a name (the photographic composites) is shown under that name.
    const photo = json('default', 'eval/photo_composites.json') as { miou: { predicted: Record<'cam' | 'rw' | 'final', number> } };
    expect(card.evaluation).toContainEqual({ what: 'photographic composites, mIoU, predicted labels (app pipeline)', cam: pct(photo.miou.predicted.cam), rw: pct(photo.miou.predicted.rw), seg: pct(photo.miou.predicted.final) });
    expect(card.rawMetaUrl).toBe('/models/default/meta.json');
    // No hashes or raw JSON: those stay behind the raw meta.json link.
    expect(JSON.stringify(card)).not.toMatch(/[0-9a-f]{64}/);
  });

  it('reads the scratch set, whose backbone is its own', () => {
    const card = shippedCard('scratch');
    expect(card.backbone).toBe('mobilenet_v2 width 0.5, trained by this project (backbone/model.json)');
    expect(card.headClasses).toBeNull();
    expect(card.evaluation[0]).toEqual({ what: 'val composites, mIoU, true labels (PyTorch)', cam: '23.1', rw: '25.8', seg: '12.7' });
    expect(card.evaluation).toContainEqual({ what: 'real photos (19), objects found', cam: '0/45', rw: '0/45', seg: '0/45' });
  });

  it('makes do with meta.json alone, e.g. the synthetic stand-in', () => {
    const card = modelCard(SYNTHETIC_META, null, {}, false);
    expect(card.summary).toMatch(/^UI development and tests only/);
    expect(card.trained).toBe(false);
    expect([card.licences, card.evaluation, card.rawMetaUrl]).toEqual([[], [], null]);
  });
});

describe('parseCardFile', () => {
  it('names the field that is wrong', () => {
    expect(() => parseCardFile([], 'c.json')).toThrow('c.json must be a JSON object');
    expect(() => parseCardFile({ licences: [{ part: 'x' }] }, 'c.json')).toThrow('c.json: licences[0] must be {part, licence} with two strings');
    expect(() => parseCardFile({ evaluations: 'eval/val.json' }, 'c.json')).toThrow('c.json: evaluations must be a list of file names');
    expect(parseCardFile({}, 'c.json')).toEqual({ summary: null, supervision: null, licences: [], evaluations: [] });
  });
});
