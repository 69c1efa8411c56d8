/**
 * The evaluation tables of models/README.md, made from the summaries
 * committed beside the weights (models/<set>/eval/*.json), so that the
 * README cannot drift from them. Each table sits between
 * `<!-- eval-table:<set> -->` and `<!-- /eval-table -->`; each row names the
 * command that wrote its summary and the file it is read from.
 * `npm run readme:tables` rewrites the tables, `-- --check` only compares.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Reads a summary by its path under models/. */
export type ReadSummary = (file: string) => unknown;

interface Row {
  label: string;
  cells: (read: ReadSummary) => string[];
}

interface Table {
  header: string[];
  rows: Row[];
}

const MARKER = /<!-- eval-table:([\w-]+) -->\n([\s\S]*?)<!-- \/eval-table -->/g;

/** A number at `key` ("a.b.c") of a summary; throws naming the file and key when it is not one. */
function num(read: ReadSummary, file: string, key: string): number {
  const value = key.split('.').reduce<unknown>((obj, k) => (obj !== null && typeof obj === 'object' ? (obj as Record<string, unknown>)[k] : undefined), read(file));
  if (typeof value !== 'number') throw new Error(`${file}: ${key} is not a number`);
  return value;
}

/** mIoU as npm run eval prints it: a 0..1 fraction in %, one decimal. */
const miou = (read: ReadSummary, file: string, key: string) => (100 * num(read, file, key)).toFixed(1);

/** "30/42 (71%)" from the share of a check set's objects found; "0/42" when none. */
function found(read: ReadSummary, file: string, stage: string): string {
  const objects = num(read, file, 'objects');
  const share = num(read, file, `found.${stage}`);
  const count = Math.round(share * objects);
  return count === 0 ? `0/${objects}` : `${count}/${objects} (${Math.round(100 * share)}%)`;
}

const pct = (value: number) => `${Math.round(100 * value)}%`;
const precisionRecall = (read: ReadSummary, file: string, key: string) =>
  `${pct(num(read, file, `${key}.precision`))} / ${pct(num(read, file, `${key}.recall`))}`;

function realRow(label: string, file: string, withLabels: boolean): Row {
  return {
    label,
    cells: (read) => [
      ...['cam', 'rw', 'final'].map((stage) => found(read, file, stage)),
      ...(withLabels ? [precisionRecall(read, file, 'labels')] : []),
    ],
  };
}

function valPredictedRow(label: string, file: string): Row {
  return {
    label,
    cells: (read) => [...['cam', 'rw', 'final'].map((stage) => miou(read, file, `miou.predicted.${stage}`)), precisionRecall(read, file, 'predictedLabels')],
  };
}

const DEFAULT_VAL = 'default/eval/val.json';
const DEFAULT_VAL_CAM_HEAD = 'default/eval/val_cam-head-only.json';
const DEFAULT_PHOTO = 'default/eval/photo_composites.json';
const DEFAULT_PHOTO_CAM_HEAD = 'default/eval/photo_composites_cam-head-only.json';
const SCRATCH_VAL = 'scratch/eval/val.json';

/** mIoU with ground-truth labels, and in brackets the CAM head alone's, for CAM and walk; the segmentation head's (it never reads the labels). */
function groundTruthRow(label: string, file: string, camHeadFile: string): Row {
  return {
    label,
    cells: (read) => [
      `${miou(read, file, 'miou.gt.cam')} (CAM head only ${miou(read, camHeadFile, 'miou.gt.cam')})`,
      `${miou(read, file, 'miou.gt.rw')} (${miou(read, camHeadFile, 'miou.gt.rw')})`,
      miou(read, file, 'miou.gt.final'),
      '',
    ],
  };
}

/** One table per model set, by the id its markers carry. */
export const TABLES: Record<string, Table> = {
  default: {
    header: ['', 'CAM', 'CAM + walk', 'segmentation head', 'labels precision / recall'],
    rows: [
      realRow('real photos, objects found (`npm run eval -- --real`; `default/eval/eval_real.json`)', 'default/eval/eval_real.json', true),
      realRow(
        'real photos, CAM head only (`--real --cam-head-only`; `default/eval/eval_real_cam-head-only.json`)',
        'default/eval/eval_real_cam-head-only.json',
        true,
      ),
      valPredictedRow(`val composites, mIoU, predicted labels (\`npm run eval -- --split val\`; \`${DEFAULT_VAL}\`)`, DEFAULT_VAL),
      valPredictedRow(`val composites, CAM head only (\`--split val --cam-head-only\`; \`${DEFAULT_VAL_CAM_HEAD}\`)`, DEFAULT_VAL_CAM_HEAD),
      groundTruthRow('val composites, mIoU, ground-truth labels (same commands and files)', DEFAULT_VAL, DEFAULT_VAL_CAM_HEAD),
      valPredictedRow(
        `photographic composites, mIoU, predicted labels (\`npm run data:photo\`, then \`npm run eval -- --data data/photo_composites --run data/runs/photo_composites\`; \`${DEFAULT_PHOTO}\`)`,
        DEFAULT_PHOTO,
      ),
      valPredictedRow(`photographic composites, CAM head only (the same with \`--cam-head-only\`; \`${DEFAULT_PHOTO_CAM_HEAD}\`)`, DEFAULT_PHOTO_CAM_HEAD),
      groundTruthRow('photographic composites, mIoU, ground-truth labels (same commands and files)', DEFAULT_PHOTO, DEFAULT_PHOTO_CAM_HEAD),
    ],
  },
  scratch: {
    header: ['', 'CAM', 'CAM + walk', 'segmentation head'],
    rows: [
      {
        // The TypeScript pipeline with the walk mask of today; the training's own evaluation
        // (scratch/meta.json → eval) predates the class-peak normalisation of the walked maps.
        label: 'val composites, mIoU, ground-truth labels (`npm run eval -- --model models/scratch --run data/runs/scratch`; `scratch/eval/val.json`)',
        cells: (read) => ['cam', 'rw', 'final'].map((stage) => miou(read, SCRATCH_VAL, `miou.gt.${stage}`)),
      },
      realRow(
        'real photos, objects found, predicted labels (`npm run eval -- --real --model models/scratch --run models/scratch/eval`; `scratch/eval/eval_real.json`)',
        'scratch/eval/eval_real.json',
        false,
      ),
    ],
  },
};

/** Markdown lines of one table, from the summaries. */
export function renderTable(table: Table, read: ReadSummary): string {
  const line = (cells: string[]) => `|${cells.map((cell) => (cell ? ` ${cell} ` : ' ')).join('|')}|`;
  return [line(table.header), `|${'---|'.repeat(table.header.length)}`, ...table.rows.map((row) => line([row.label, ...row.cells(read)]))].join('\n') + '\n';
}

/** Summaries read from a models/ folder, each file parsed once. */
export function summariesIn(modelsDir: string): ReadSummary {
  const cache = new Map<string, unknown>();
  return (file) => {
    if (!cache.has(file)) cache.set(file, JSON.parse(readFileSync(path.join(modelsDir, file), 'utf8')));
    return cache.get(file);
  };
}

function markedTables(readme: string): string[] {
  return [...readme.matchAll(MARKER)].map((m) => m[1]);
}

/** The README with every marked table written from the summaries. */
export function rewriteReadme(readme: string, read: ReadSummary): string {
  const missing = Object.keys(TABLES).filter((id) => !markedTables(readme).includes(id));
  if (missing.length > 0) throw new Error(`no <!-- eval-table:${missing.join(' / ')} --> markers in the README`);
  return readme.replace(MARKER, (_, id: string) => {
    const table = TABLES[id];
    if (!table) throw new Error(`unknown table <!-- eval-table:${id} -->`);
    return `<!-- eval-table:${id} -->\n${renderTable(table, read)}<!-- /eval-table -->`;
  });
}

/** Where the README and the summaries disagree, one message per table; empty when they agree. */
export function readmeProblems(readme: string, read: ReadSummary): string[] {
  const found = new Map([...readme.matchAll(MARKER)].map((m) => [m[1], m[2]]));
  return Object.entries(TABLES).flatMap(([id, table]) => {
    const actual = found.get(id);
    if (actual === undefined) return [`table ${id}: no <!-- eval-table:${id} --> … <!-- /eval-table --> in the README`];
    const expected = renderTable(table, read);
    if (actual === expected) return [];
    const [want, have] = [expected.split('\n'), actual.split('\n')];
    const wrong = Array.from({ length: Math.max(want.length, have.length) }, (_, i) => i)
      .filter((i) => want[i] !== have[i])
      .map((i) => `  README:    ${have[i] ?? '(missing)'}\n  summaries: ${want[i] ?? '(missing)'}`);
    return [`table ${id} differs from its summaries:\n${wrong.join('\n')}`];
  });
}
