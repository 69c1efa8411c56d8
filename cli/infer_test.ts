import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { scoreObjects } from '../src/core/box_localisation';
import { decodeLabelPng } from '../src/io/label_png';
import { seededRandom } from '../src/core/seeded_random';
import { boxIou } from '../src/core/testing/box_iou';
import { writeFakeModelSet } from '../src/models/testing/fake_model_set';
import { main } from './main';

// In-process (no tsx start-up per call): a fake model set with the real backbone.
const dir = mkdtempSync(path.join(tmpdir(), 'affinitylab-infer-'));
const at = (...parts: string[]) => path.join(dir, ...parts);

function noise(width: number, height: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  return Uint8Array.from({ length: width * height * 4 }, (_, i) => (i % 4 === 3 ? 255 : Math.floor(random() * 256)));
}

beforeAll(() => {
  writeFakeModelSet(at('model'), 3);
  writeFileSync(at('photo.jpg'), jpeg.encode({ width: 64, height: 40, data: noise(64, 40, 1) }, 90).data);
  writeFileSync(at('drawing.png'), encodePng({ width: 30, height: 50, data: noise(30, 50, 2), channels: 4, depth: 8 }));
  writeFileSync(at('broken.jpg'), 'not an image');
  writeFileSync(at('empty.png'), '');
  const formats = (name: string) => readFileSync(path.join(__dirname, '../src/io/testdata/formats', name));
  // Stored 12x16 with EXIF orientation 6: shown (and masked) 16x12.
  writeFileSync(at('rotated.jpg'), formats('orientation_6.jpg'));
  writeFileSync(at('anim.gif'), formats('animated.gif'));
  writeFileSync(at('lossless.webp'), formats('lossless.webp'));
  writeFileSync(at('paint.bmp'), formats('rle8.bmp'));
  const photo = readFileSync(at('photo.jpg'));
  writeFileSync(at('cut.jpg'), photo.subarray(0, Math.floor(photo.length * 0.7)));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

let errors: string[] = [];
beforeAll(() => {
  vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
});
afterEach(() => {
  errors = [];
});

const infer = (...args: string[]) => main(['infer', '--model', at('model'), ...args]);

describe('affinitylab infer', () => {
  it('writes three indexed VOC-palette PNGs per image at the image size', async () => {
    expect(await infer(at('photo.jpg'), at('drawing.png'), '--out', at('out'))).toBe(0);
    expect(errors).toEqual([]);
    for (const [name, width, height] of [['photo', 64, 40], ['drawing', 30, 50]] as const) {
      for (const stage of ['cam', 'rw', 'final']) {
        const bytes = readFileSync(at('out', `${name}_${stage}.png`));
        expect(bytes[25]).toBe(3); // IHDR colour type: indexed
        const png = decodeLabelPng(bytes);
        expect([png.width, png.height]).toEqual([width, height]);
        // Only background and the fake set's classes: cat 8, dog 12, person 15.
        expect([...new Set(png.labels)].every((v) => [0, 8, 12, 15].includes(v))).toBe(true);
      }
    }
  });

  it('uses only the given labels, and a background score above every CAM gives an all-background CAM mask', async () => {
    expect(await infer(at('photo.jpg'), '--out', at('labels'), '--labels', '8', '--cam-bg', '1.5', '--steps', '4', '--order', 'grid')).toBe(0);
    const rw = decodeLabelPng(readFileSync(at('labels', 'photo_rw.png'))).labels;
    expect([...new Set(rw)].every((v) => v === 0 || v === 8)).toBe(true);
    const cam = decodeLabelPng(readFileSync(at('labels', 'photo_cam.png'))).labels;
    expect(cam.every((v) => v === 0)).toBe(true);
    // The fake set has no detector: the CAM head's scores, the given class, no boxes.
    const report = JSON.parse(readFileSync(at('labels', 'photo_classes.json'), 'utf8'));
    expect(report).toMatchObject({ source: 'cam-head', labels: 'given', belowThreshold: false, boxes: [] });
    expect(report.kept.map((k: { voc: number }) => k.voc)).toEqual([8]);
    expect(Object.keys(report.scores).sort()).toEqual(['cat', 'dog', 'person']);
  });

  it('finds the dog of a photograph with the shipped default set, and keeps the best class when none passes the threshold', async () => {
    const root = path.join(__dirname, '..');
    const photo = path.join(root, 'eval/real/dog_daisy.jpg');
    const [dog] = JSON.parse(readFileSync(path.join(root, 'eval/real/photos.json'), 'utf8')).find((p: { file: string }) => p.file === 'dog_daisy.jpg').objects;
    // No class can reach 0.99: the CLI, like the app, keeps the best class alone rather than giving an empty mask.
    for (const extra of [[], ['--threshold', '0.99']]) {
      const out = at(`dog${extra.length}`);
      expect(await main(['infer', photo, '--model', path.join(root, 'models/default'), '--out', out, ...extra])).toBe(0);
      const rw = decodeLabelPng(readFileSync(path.join(out, 'dog_daisy_rw.png')));
      expect([...new Set(rw.labels)].sort((a, b) => a - b)).toEqual([0, 12]);
      // The hand-drawn box of eval/real/photos.json, at the photo's own size.
      expect(scoreObjects(rw.labels, rw.width, rw.height, [{ classId: 12, box: dog.box }])[0].found).toBe(true);
      // The report says the detector named the dog, whether it passed the threshold, and gives its one box,
      // which overlaps the hand-drawn one with IoU > 0.7.
      const report = JSON.parse(readFileSync(path.join(out, 'dog_daisy_classes.json'), 'utf8'));
      // The salient region on the dog names it as well, whatever the threshold.
      expect(report).toMatchObject({ source: 'detector', labels: 'predicted', belowThreshold: extra.length > 0, regionNamed: ['dog'], beta: 32 });
      expect(report.kept.map((k: { name: string }) => k.name)).toEqual(['dog']);
      expect(report.boxes).toHaveLength(1);
      expect(boxIou(report.boxes[0].box, dog.box)).toBeGreaterThan(0.7);
    }
  });

  it('reports unreadable images on one line each, processes the rest, exits 1', async () => {
    expect(await infer(at('broken.jpg'), at('missing.png'), at('photo.jpg'), '--out', at('mixed'), '--steps', '1')).toBe(1);
    expect(errors).toEqual([
      `affinitylab infer: ${at('broken.jpg')}: cannot decode: it is not an image (JPEG, PNG, GIF, WebP, AVIF or BMP)`,
      `affinitylab infer: ${at('missing.png')}: cannot read (ENOENT)`,
    ]);
    expect(existsSync(at('mixed', 'photo_final.png'))).toBe(true);
  });

  it('reads GIF, WebP and BMP, and writes the masks of an EXIF-rotated JPEG at its upright size', async () => {
    const files = ['rotated.jpg', 'anim.gif', 'lossless.webp', 'paint.bmp'];
    expect(await infer(...files.map((f) => at(f)), '--out', at('formats'), '--steps', '1')).toBe(0);
    expect(errors).toEqual([]);
    const size = (name: string) => {
      const png = decodeLabelPng(readFileSync(at('formats', `${name}_final.png`)));
      return [png.width, png.height];
    };
    for (const name of ['rotated', 'anim', 'lossless', 'paint']) expect(size(name)).toEqual([16, 12]);
  });

  it('processes a truncated JPEG with a warning naming the file, and refuses an empty one', async () => {
    expect(await infer(at('cut.jpg'), at('empty.png'), '--out', at('damaged'), '--steps', '1')).toBe(1);
    expect(errors).toEqual([
      `affinitylab infer: ${at('cut.jpg')}: warning: damaged image (premature end of JPEG image): decoded as far as the data goes`,
      `affinitylab infer: ${at('empty.png')}: cannot decode: the file is empty`,
    ]);
    expect(decodeLabelPng(readFileSync(at('damaged', 'cut_final.png'))).width).toBe(64);
  });

  it.each([
    [['--out', 'x'], 'affinitylab infer: give at least one IMAGE'],
    [['a.jpg'], 'affinitylab infer: --out is required'],
    [['a.jpg', '--out', 'x', '--threshold', 'high'], "affinitylab infer: --threshold must be a number >= 0, got 'high'"],
    [['a.jpg', '--out', 'x', '--labels', '8', '--threshold', '0.3'], 'affinitylab infer: give --labels or --threshold, not both'],
    [['a.jpg', '--out', 'x', '--order', 'dense'], "affinitylab infer: --order must be one of psa, grid, got 'dense'"],
    [['a.jpg', 'b/a.png', '--out', 'x'], 'affinitylab infer: a.jpg and b/a.png would both write a_*'],
    [['a.jpg', '--out', at('x'), '--labels', '8,9'], 'affinitylab infer: --labels: 9 is not a class of this model set (8 cat, 12 dog, 15 person)'],
  ])('exits 2 with one line for %j', async (args, message) => {
    expect(await infer(...args)).toBe(2);
    expect(errors).toEqual([message]);
  });

  it('exits 2 naming a model folder that is not a model set', async () => {
    expect(await main(['infer', at('photo.jpg'), '--out', at('x'), '--model', at('nowhere')])).toBe(2);
    expect(errors).toEqual([`affinitylab infer: cannot load model set ${at('nowhere')}: ${at('nowhere', 'meta.json')}: not found`]);
  });
});
