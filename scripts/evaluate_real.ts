/**
 * `npm run eval -- --real [--photos eval/real] [--model models/default]`: the
 * TypeScript pipeline on the real-photo check set (eval/real/photos.json:
 * licence-clean photographs with a hand-drawn box per object). Reports, per
 * stage (CAM, CAM + walk, segmentation head), the predicted labels'
 * precision and recall and how many objects the mask finds with the right
 * class (core/box_localisation.ts: at least half of the class's pixels inside
 * its boxes, at least 30% of the object's box covered).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { scaleBox, scoreObjects, type Box, type BoxedObject } from '../src/core/box_localisation';
import { VOC_CLASSES } from '../src/core/constants';
import { keptByEvidence, type StageMasks } from '../src/core/masks';
import { decodeImage } from '../src/io/node_image_decode';
import type { LabPipeline } from '../src/models/pipeline';
import { reportedParameters, resultMasks, resultParameters, type EvidenceMaskParameters } from '../src/models/pipeline';

export interface CheckPhoto {
  file: string;
  licence: string;
  /** `difficult`: tiny or mostly hidden; counted, and also reported apart. */
  objects: { class: string; box: Box; difficult?: boolean }[];
}

const STAGES = ['cam', 'rw', 'final'] as const satisfies readonly (keyof StageMasks)[];
const STAGE_NAMES: Record<(typeof STAGES)[number], string> = { cam: 'CAM', rw: 'CAM + walk', final: 'segmentation head' };

/** photos.json, with every class name checked against VOC's. */
export function readCheckSet(dir: string): CheckPhoto[] {
  const photos = JSON.parse(readFileSync(path.join(dir, 'photos.json'), 'utf8')) as CheckPhoto[];
  for (const p of photos) {
    for (const o of p.objects) if (VOC_CLASSES.indexOf(o.class as (typeof VOC_CLASSES)[number]) <= 0) throw new Error(`${p.file}: "${o.class}" is not a VOC class`);
  }
  return photos;
}

export async function evaluateReal(pipeline: LabPipeline, dir: string, params: EvidenceMaskParameters, outFile: string): Promise<void> {
  const { meta } = pipeline;
  const photos = readCheckSet(dir);
  const found = { cam: 0, rw: 0, final: 0 };
  const foundPlain = { cam: 0, rw: 0, final: 0 };
  let objects = 0;
  let plain = 0;
  const labels = { truePositives: 0, predicted: 0, actual: 0 };
  const perPhoto: unknown[] = [];
  const sources: Record<string, number> = {};
  for (const photo of photos) {
    const image = await decodeImage(readFileSync(path.join(dir, photo.file)));
    const result = await pipeline.run(image);
    const { placement } = result;
    const keep = keptByEvidence(result.classScores, result.classEvidence);
    sources[result.classEvidence.source] = (sources[result.classEvidence.source] ?? 0) + 1;
    const [masks] = resultMasks(result, meta, [keep], resultParameters(params, result));
    const boxed: BoxedObject[] = photo.objects.map((o) => ({
      classId: VOC_CLASSES.indexOf(o.class as (typeof VOC_CLASSES)[number]),
      box: scaleBox(o.box, image.width, placement.width),
    }));
    const predicted = keep.map((c) => meta.classes[c].voc);
    const actual = [...new Set(boxed.map((o) => o.classId))];
    labels.truePositives += predicted.filter((v) => actual.includes(v)).length;
    labels.predicted += predicted.length;
    labels.actual += actual.length;
    objects += boxed.length;
    plain += photo.objects.filter((o) => !o.difficult).length;
    const stages = Object.fromEntries(
      STAGES.map((stage) => {
        const scores = scoreObjects(masks[stage], placement.width, placement.height, boxed);
        found[stage] += scores.filter((s) => s.found).length;
        foundPlain[stage] += scores.filter((s, i) => s.found && !photo.objects[i].difficult).length;
        return [stage, scores.map((s) => (s.found ? 'found' : `missed (inside ${(100 * s.inside).toFixed(0)}%, covered ${(100 * s.covered).toFixed(0)}%)`))];
      }),
    );
    perPhoto.push({ file: photo.file, evidence: result.classEvidence.source, actual: actual.map((v) => VOC_CLASSES[v]), predicted: predicted.map((v) => VOC_CLASSES[v]), stages });
  }
  const share = (n: number, of: number) => `${n}/${of} (${((100 * n) / of).toFixed(0)}%)`;
  const report = {
    modelSet: meta.id,
    photos: photos.length,
    objects,
    parameters: reportedParameters(params, meta),
    classEvidence: { config: meta.classEvidence ?? null, sources },
    labels: { precision: labels.truePositives / labels.predicted, recall: labels.truePositives / labels.actual },
    found: Object.fromEntries(STAGES.map((s) => [s, found[s] / objects])),
    notDifficult: { objects: plain, found: Object.fromEntries(STAGES.map((s) => [s, foundPlain[s] / plain])) },
    perPhoto,
  };
  console.log(
    [
      `Model set \`${meta.id}\` on the real-photo check set (${photos.length} photos, ${objects} objects; predicted labels):`,
      '',
      '| stage | objects found with the right class | without the difficult ones |',
      '|---|---|---|',
      ...STAGES.map((s) => `| ${STAGE_NAMES[s]} | ${share(found[s], objects)} | ${share(foundPlain[s], plain)} |`),
      '',
      `Class evidence: ${Object.entries(sources).map(([k, v]) => `${k} on ${v} photos`).join(', ')}.`,
      `Predicted labels: precision ${share(labels.truePositives, labels.predicted)}, recall ${share(labels.truePositives, labels.actual)}.`,
    ].join('\n'),
  );
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`Written to ${outFile}.`);
}
