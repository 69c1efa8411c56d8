import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readmeProblems, rewriteReadme, summariesIn, type ReadSummary } from './readme_tables';

const MODELS = path.join(__dirname, '..', 'models');
const README = readFileSync(path.join(MODELS, 'README.md'), 'utf8');
const committed = summariesIn(MODELS);

/** The committed summaries with `file`'s value at `key` ("a.b") replaced. */
function withValue(file: string, key: string, value: unknown): ReadSummary {
  const changed = structuredClone(committed(file)) as Record<string, unknown>;
  const keys = key.split('.');
  const parent = keys.slice(0, -1).reduce((obj, k) => obj[k] as Record<string, unknown>, changed);
  parent[keys[keys.length - 1]] = value;
  return (name) => (name === file ? changed : committed(name));
}

describe('models/README.md evaluation tables (npm run readme:tables)', () => {
  it('match the committed summaries', () => {
    expect(readmeProblems(README, committed)).toEqual([]);
    expect(rewriteReadme(README, committed)).toBe(README);
  });

  it('fail the check when the README has a wrong number, and the rewrite restores it', () => {
    // The CAM cell of the real-photo row, one object more than the summary says.
    const row = README.split('\n').find((line) => line.startsWith('| real photos, objects found (`npm run eval -- --real`'))!;
    const [cell, found, total] = /\| (\d+)\/(\d+) \(\d+%\) \|/.exec(row)!;
    const wrongCell = `| ${Number(found) + 1}/${total} (${Math.round((100 * (Number(found) + 1)) / Number(total))}%) |`;
    const wrong = README.replace(row, row.replace(cell, wrongCell));
    expect(wrong).not.toBe(README);
    const problems = readmeProblems(wrong, committed);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('table default differs');
    expect(problems[0]).toContain(wrongCell.slice(2, -2));
    expect(rewriteReadme(wrong, committed)).toBe(README);
  });

  it('fail the check when a summary changes under the README', () => {
    const problems = readmeProblems(README, withValue('scratch/eval/val.json', 'miou.gt.rw', 0.4004));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/table scratch differs[\s\S]*\| 23\.1 \| 40\.0 \| 12\.7 \|/);
  });

  it('round as npm run eval prints, and give no share for nothing found', () => {
    const read = withValue('default/eval/eval_real.json', 'found.cam', 0);
    const { objects } = committed('default/eval/eval_real.json') as { objects: number };
    const row = rewriteReadme(README, read).split('\n').find((line) => line.startsWith('| real photos, objects found (`npm run eval -- --real`'));
    expect(row).toMatch(new RegExp(`\\) \\| 0/${objects} \\| \\d+/${objects} \\(\\d+%\\) \\| \\d+/${objects} \\(\\d+%\\) \\| \\d+% / \\d+% \\|$`));
  });

  it('name the file and key of a missing figure, and a missing table', () => {
    expect(() => readmeProblems(README, withValue('default/eval/val.json', 'miou', {}))).toThrow('default/eval/val.json: miou.predicted.cam is not a number');
    const unmarked = README.replace('<!-- eval-table:scratch -->\n', '');
    expect(readmeProblems(unmarked, committed)).toEqual([expect.stringContaining('table scratch: no <!-- eval-table:scratch -->')]);
    expect(() => rewriteReadme(unmarked, committed)).toThrow('no <!-- eval-table:scratch --> markers');
  });
});
