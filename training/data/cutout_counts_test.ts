import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VOC_CLASSES } from '../../src/core/constants';

/** models/README.md's cut-outs per class and split, against the list the composites are built from. */
const ROOT = path.join(__dirname, '..', '..');

describe("models/README's training data table", () => {
  it('counts the cut-outs of cutouts_clean.tsv per class and split', () => {
    const counted: Record<string, { train: number; val: number }> = {};
    const [header, ...rows] = readFileSync(path.join(__dirname, 'cutouts_clean.tsv'), 'utf8').trim().split('\n').map((line) => line.split('\t'));
    const [classColumn, splitColumn] = [header.indexOf('class'), header.indexOf('split')];
    for (const row of rows) {
      const split = row[splitColumn] as 'train' | 'val';
      (counted[row[classColumn]] ??= { train: 0, val: 0 })[split]++;
    }
    const readme = readFileSync(path.join(ROOT, 'models', 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('| class | train cut-outs | val cut-outs |'));
    const shown: Record<string, { train: number; val: number }> = {};
    for (const line of table.split('\n').slice(2)) {
      const cells = line.split('|').map((cell) => cell.trim());
      if (cells.length !== 5) break;
      shown[cells[1]] = { train: Number(cells[2]), val: Number(cells[3]) };
    }
    expect(shown).toEqual(counted);
    expect(Object.keys(shown).sort()).toEqual(VOC_CLASSES.slice(1).sort());
  });
});
