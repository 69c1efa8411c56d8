import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resizeLabelsNearest } from '../../src/core/label_maps';
import { keptByEvidence, SCORE_ORDERS, type ScoreOrder } from '../../src/core/masks';
import { decodeImage, ImageDecodeError, MAX_DECODE_SIDE } from '../../src/io/node_image_decode';
import { encodeLabelPng } from '../../src/io/label_png';
import { modelSetFromDir } from '../../src/models/node_model_set';
import { useNodeWasmBackend } from '../../src/models/node_wasm';
import { classesReport, classesReportJson, loadPipeline, resultMasks, resultParameters, type EvidenceMaskParameters, type LabPipeline, type ModelSetMeta } from '../../src/models/pipeline';
import { numberOption, requiredOption } from '../args';
import { errorText, type CommandOptions } from '../command';
import { UsageError } from '../usage_error';

export const DEFAULT_MODEL_DIR = 'models/default';
export const INFER_HELP = `affinitylab infer IMAGE... --out DIR [--model ${DEFAULT_MODEL_DIR}] [--labels 8,15 | --threshold T]
                 [--alpha A] [--beta B] [--steps T] [--radius R] [--cam-bg S] [--order psa|grid]

Runs the model set on images (JPEG, PNG, GIF, WebP, AVIF, BMP; Node, tfjs wasm
backend, the app's TypeScript pipeline) and writes, per image, at the image's
upright size (EXIF orientation applied, as a browser shows it):
  NAME_cam.png    CAM argmax against a constant background score (psa's CAM evaluation)
  NAME_rw.png     after AffinityNet's random walk
  NAME_final.png  the segmentation head
Each is an indexed PNG whose pixel values are PASCAL VOC class indices
(0 background) with the VOC palette. And:
  NAME_classes.json  which source named the classes (the detector or the CAM head), every
                     class score, the classes kept for the masks (and whether none reached
                     the threshold, so the best alone was kept), the walk's beta, and the
                     detector's boxes that became CAMs (of every class it boxed, kept
                     or not), in image pixels

  --out DIR        output folder (created if missing)
  --model DIR      model set folder with meta.json and cam/ aff/ seg/ (default ${DEFAULT_MODEL_DIR})
  --labels L       image-level labels as VOC indices, e.g. 8,15 (as psa's label generation uses
                   ground truth); otherwise classes whose score reaches --threshold,
                   or the best class alone when none does (as the app)
  --threshold T    class-score threshold for predicted labels (default: the one that goes with
                   the image's class evidence: the detector's or the CAM head's, see meta.json)
  --alpha A        background exponent (1 - max CAM)^A for the walk (default: the model set's, psa 16)
  --beta B         power applied to the affinities (default: the model set's, psa 8;
                   the default set walks its detector's box CAMs with its own, sharper one)
  --steps T        random-walk steps (default: the model set's, psa 256)
  --radius R       walk neighbourhood dy^2 + dx^2 < R^2 (default: the model set's, psa 5)
  --cam-bg S       constant background score for NAME_cam.png (default: the model set's, psa 0.2)
  --order O        psa: CAMs normalised and given their background at input resolution, then
                   pooled to the grid for the walk, as psa, training/ and the app do (default);
                   grid: the same steps on the grid (cheaper, not the same map)

Images over ${MAX_DECODE_SIDE} pixels on a side are analysed shrunk to that, as in
the app; their masks are still written at full size. A damaged image that
still decodes (a truncated JPEG) is analysed as far as its data goes, with a
warning. An image that cannot be read or processed is reported on stderr; the
others are still processed and the exit code is 1.`;

export async function inferCommand(argv: string[], { debug }: CommandOptions): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      model: { type: 'string', default: DEFAULT_MODEL_DIR },
      labels: { type: 'string' },
      threshold: { type: 'string' },
      alpha: { type: 'string' },
      beta: { type: 'string' },
      steps: { type: 'string' },
      radius: { type: 'string' },
      'cam-bg': { type: 'string' },
      order: { type: 'string', default: 'psa' },
    },
    strict: true,
  });
  const outDir = requiredOption(values.out, 'out');
  if (positionals.length === 0) throw new UsageError('give at least one IMAGE');
  if (values.labels !== undefined && values.threshold !== undefined) throw new UsageError('give --labels or --threshold, not both');
  const outputNames = uniqueNames(positionals);
  if (!SCORE_ORDERS.includes(values.order as ScoreOrder)) throw new UsageError(`--order must be one of ${SCORE_ORDERS.join(', ')}, got '${values.order}'`);

  await useNodeWasmBackend();
  let pipeline: LabPipeline;
  try {
    pipeline = await loadPipeline(modelSetFromDir(values.model));
  } catch (e) {
    throw new UsageError(`cannot load model set ${values.model}: ${(e as Error).message}`);
  }
  try {
    const { meta } = pipeline;
    const d = meta.defaults;
    const params: EvidenceMaskParameters = {
      alpha: numberOption(values.alpha, 'alpha', d.alpha, { min: 0 }),
      beta: numberOption(values.beta, 'beta', undefined, { min: 0 }),
      steps: numberOption(values.steps, 'steps', d.steps, { integer: true, min: 0 }),
      radius: numberOption(values.radius, 'radius', d.radius, { integer: true, min: 1 }),
      camBackground: numberOption(values['cam-bg'], 'cam-bg', d.camBackground, { min: 0 }),
      order: values.order as ScoreOrder,
    };
    const threshold = numberOption(values.threshold, 'threshold', undefined, { min: 0 });
    const givenLabels = values.labels === undefined ? undefined : labelChannels(values.labels, meta);
    try {
      await mkdir(outDir, { recursive: true });
    } catch (e) {
      throw new UsageError(`cannot create the output folder ${outDir} (${(e as NodeJS.ErrnoException).code ?? errorText(e, false)})`);
    }

    let failed = 0;
    for (const [i, file] of positionals.entries()) {
      try {
        await inferOne(pipeline, file, path.join(outDir, outputNames[i]), params, { given: givenLabels, threshold });
      } catch (e) {
        failed++;
        console.error(`affinitylab infer: ${file}: ${errorText(e, debug)}`);
      }
    }
    return failed > 0 ? 1 : 0;
  } finally {
    pipeline.dispose();
  }
}

/** --labels' channels, or --threshold (else the one that goes with each image's class evidence). */
interface LabelChoice {
  given?: number[];
  threshold?: number;
}

async function inferOne(pipeline: LabPipeline, file: string, outStem: string, params: EvidenceMaskParameters, labels: LabelChoice): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new Error(`cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let image;
  try {
    image = await decodeImage(bytes);
  } catch (e) {
    if (e instanceof ImageDecodeError) throw new Error(`cannot decode: ${e.message}`);
    throw e;
  }
  if (image.warning) console.error(`affinitylab infer: ${file}: warning: ${image.warning}`);
  const result = await pipeline.run(image);
  const threshold = labels.threshold ?? result.classEvidence.threshold;
  const keep = labels.given ?? keptByEvidence(result.classScores, { ...result.classEvidence, threshold });
  const maskParams = resultParameters(params, result);
  const [masks] = resultMasks(result, pipeline.meta, [keep], maskParams);
  const { width, height } = result.placement;
  const { fullWidth, fullHeight } = image;
  for (const [stage, labelMap] of Object.entries(masks)) {
    const atImageSize = resizeLabelsNearest(labelMap, width, height, fullWidth, fullHeight);
    await writeFile(`${outStem}_${stage}.png`, encodeLabelPng({ width: fullWidth, height: fullHeight, labels: atImageSize }));
  }
  const report = classesReport(result, pipeline.meta, { keep, given: labels.given !== undefined, threshold, beta: maskParams.beta, width: fullWidth, height: fullHeight });
  await writeFile(`${outStem}_classes.json`, classesReportJson(report));
}

/** "8,15" -> channel indices of those VOC classes; names the classes the model set knows otherwise. */
function labelChannels(text: string, meta: ModelSetMeta): number[] {
  const known = meta.classes.map((c) => `${c.voc} ${c.name}`).join(', ');
  return [...new Set(text.split(',').map((s) => s.trim()).filter((s) => s !== ''))].map((s) => {
    const channel = meta.classes.findIndex((c) => String(c.voc) === s);
    if (channel < 0) throw new UsageError(`--labels: ${s} is not a class of this model set (${known})`);
    return channel;
  });
}

/** Output stems from input names; two inputs with the same name would overwrite each other. */
function uniqueNames(files: string[]): string[] {
  const names = files.map((f) => path.basename(f).replace(/\.[^.]*$/, ''));
  const seen = new Map<string, string>();
  names.forEach((name, i) => {
    const other = seen.get(name);
    if (other !== undefined) throw new UsageError(`${other} and ${files[i]} would both write ${name}_*`);
    seen.set(name, files[i]);
  });
  return names;
}
