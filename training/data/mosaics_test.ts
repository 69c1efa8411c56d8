import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/io/node_image_decode';
import { decodeLabelPng, type LabelImage } from '../../src/io/label_png';

/**
 * The mosaic split (training/data/build_mosaics.py, the second half of `npm run data`):
 * each tile is its train image shrunk by the grid, each zoom a crop of its
 * train image enlarged to the full size, the labels are the classes each
 * mask holds, and a mosaic's tiles share a theme of at most three classes.
 * Needs Debian's python3 (scripts/install_test_deps.sh).
 */
const ROOT = path.join(__dirname, '..', '..');
const MOSAICS = 4;
const ZOOMS = 2;
const SIZE = 512;

function readTsv(file: string): string[][] {
  return readFileSync(file, 'utf8').trim().split('\n').slice(1).map((row) => row.split('\t'));
}

describe('mosaic split', () => {
  let out: string;
  let build: ReturnType<typeof spawnSync>;
  beforeAll(() => {
    out = mkdtempSync(path.join(tmpdir(), 'mosaics-'));
    const python = (args: string[]) => spawnSync('/usr/bin/python3', args, { cwd: ROOT, encoding: 'utf8', timeout: 170_000 });
    build = python(['training/data/build_dataset.py', '--train', '12', '--val', '1', '--out', out]);
    if (build.status === 0) build = python(['training/data/build_mosaics.py', '--count', String(MOSAICS), '--zooms', String(ZOOMS), '--out', out]);
  }, 180_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  const mask = (split: string, id: string): LabelImage => decodeLabelPng(readFileSync(path.join(out, split, 'masks', `${id}.png`)));

  it('shrinks each train mask into its tile by nearest neighbour', () => {
    expect(build.status, `${build.stdout}\n${build.stderr}`).toBe(0);
    const layout = readTsv(path.join(out, 'mosaic', 'layout.tsv'));
    expect(layout.map((r) => r[1])).toEqual(['2', '4', '2', '4', '1', '1']);
    for (const [id, grid, tiles] of layout.slice(0, MOSAICS)) {
      const g = Number(grid);
      const tile = SIZE / g;
      const mosaic = mask('mosaic', id);
      tiles.split(',').forEach((tileId, n) => {
        const source = mask('train', tileId);
        let differ = 0;
        for (let y = 0; y < tile; y++) {
          for (let x = 0; x < tile; x++) {
            // Nearest neighbour at scale g samples the source pixel whose centre is nearest the tile pixel's centre.
            const sy = Math.floor((y + 0.5) * g);
            const sx = Math.floor((x + 0.5) * g);
            const at = (Math.floor(n / g) * tile + y) * SIZE + (n % g) * tile + x;
            if (mosaic.labels[at] !== source.labels[sy * SIZE + sx]) differ++;
          }
        }
        expect(differ, `mosaic ${id} tile ${n} (${tileId})`).toBe(0);
      });
    }
  });

  it('enlarges each zoom\'s crop of its train mask by nearest neighbour', () => {
    expect(build.status, `${build.stdout}\n${build.stderr}`).toBe(0);
    const zooms = readTsv(path.join(out, 'mosaic', 'layout.tsv')).slice(MOSAICS);
    expect(zooms.map((r) => r[3].split(',').map(Number)[2])).toEqual([256, 176]);
    for (const [id, , tileId, crop] of zooms) {
      const [x0, y0, side] = crop.split(',').map(Number);
      expect(x0 + side).toBeLessThanOrEqual(SIZE);
      expect(y0 + side).toBeLessThanOrEqual(SIZE);
      const zoomed = mask('mosaic', id);
      const source = mask('train', tileId);
      let differ = 0;
      for (let y = 0; y < SIZE; y++) {
        for (let x = 0; x < SIZE; x++) {
          // Nearest neighbour at scale side / SIZE samples the crop pixel whose centre is nearest.
          const sy = y0 + Math.floor(((y + 0.5) * side) / SIZE);
          const sx = x0 + Math.floor(((x + 0.5) * side) / SIZE);
          if (zoomed.labels[y * SIZE + x] !== source.labels[sy * SIZE + sx]) differ++;
        }
      }
      expect(differ, `zoom ${id} of ${tileId}`).toBe(0);
    }
  });

  it('lists the classes each mask holds, at most three per mosaic', async () => {
    const trainClasses = new Map(readTsv(path.join(out, 'train', 'labels.tsv')).map(([id, c]) => [id, c.split(',').filter(Boolean)]));
    const layout = new Map(readTsv(path.join(out, 'mosaic', 'layout.tsv')).map(([id, , tiles]) => [id, tiles.split(',')]));
    for (const [id, classes] of readTsv(path.join(out, 'mosaic', 'labels.tsv'))) {
      const present = [...new Set(mask('mosaic', id).labels)].filter((c) => c !== 0).sort((a, b) => a - b);
      expect(present.join(','), id).toBe(classes);
      // A zoom's one tile holds at most its train image's classes (three at most).
      const themed = new Set(layout.get(id)!.flatMap((t) => trainClasses.get(t)!));
      expect(themed.size, id).toBeLessThanOrEqual(3);
      const image = await decodeImage(readFileSync(path.join(out, 'mosaic', 'images', `${id}.jpg`)));
      expect([image.width, image.height]).toEqual([SIZE, SIZE]);
    }
  });
});
