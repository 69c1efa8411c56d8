import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VOC_CLASSES } from '../../src/core/constants';
import { decodeImage } from '../../src/io/node_image_decode';
import { decodeLabelPng } from '../../src/io/label_png';

/**
 * npm run data:photo on a few images (training/data/build_photo_composites.py):
 * every label a composite lists is in its mask and nothing else is, and the
 * cut-outs are the check set's not-difficult objects less the unusable ones.
 * Needs Debian's python3 with python3-opencv (scripts/install_test_deps.sh).
 */
const ROOT = path.join(__dirname, '..', '..');
const IMAGES = 4;

interface CheckPhoto {
  file: string;
  objects: { class: string; difficult?: boolean }[];
}

describe('photographic composites', () => {
  let out: string;
  let build: ReturnType<typeof spawnSync>;
  beforeAll(() => {
    out = mkdtempSync(path.join(tmpdir(), 'photo-composites-'));
    build = spawnSync('/usr/bin/python3', ['training/data/build_photo_composites.py', '--images', String(IMAGES), '--out', out], { cwd: ROOT, encoding: 'utf8', timeout: 170_000 });
  }, 180_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('lists in labels.tsv exactly the classes each mask holds', async () => {
    expect(build.status, `${build.stdout}\n${build.stderr}`).toBe(0);
    const rows = readFileSync(path.join(out, 'val', 'labels.tsv'), 'utf8').trim().split('\n').slice(1);
    expect(rows).toHaveLength(IMAGES);
    for (const row of rows) {
      const [id, classes] = row.split('\t');
      const mask = decodeLabelPng(readFileSync(path.join(out, 'val', 'masks', `${id}.png`)));
      const image = await decodeImage(readFileSync(path.join(out, 'val', 'images', `${id}.jpg`)));
      expect([image.width, image.height, mask.width, mask.height]).toEqual([512, 512, 512, 512]);
      const present = [...new Set(mask.labels)].filter((c) => c !== 0).sort((a, b) => a - b);
      expect(present.join(','), id).toBe(classes);
      // Each listed object keeps at least 1% of the image.
      for (const c of present) expect(mask.labels.filter((v) => v === c).length, `${id} class ${c}`).toBeGreaterThanOrEqual(0.01 * 512 * 512);
    }
  });

  it('cuts out every not-difficult object of the check set but the unusable ones', () => {
    const photos: CheckPhoto[] = JSON.parse(readFileSync(path.join(ROOT, 'eval', 'real', 'photos.json'), 'utf8'));
    const manifest = JSON.parse(readFileSync(path.join(out, 'dataset.json'), 'utf8'));
    const unusable = new Set(manifest.unusable.map((u: { photo: string; object: number }) => `${u.photo}#${u.object}`));
    const expected = photos.flatMap((p) => p.objects.map((o, k) => ({ key: `${p.file}#${k}`, o })).filter(({ key, o }) => !o.difficult && !unusable.has(key)));
    expect(manifest.cutouts.map((c: { photo: string; object: number }) => `${c.photo}#${c.object}`)).toEqual(expected.map((e) => e.key));
    const perClass: Record<string, number> = {};
    for (const { o } of expected) perClass[o.class] = (perClass[o.class] ?? 0) + 1;
    expect(manifest.cutouts_per_class).toEqual(perClass);
    expect(Object.keys(perClass).every((c) => VOC_CLASSES.includes(c as (typeof VOC_CLASSES)[number]))).toBe(true);
  });
});
