/**
 * Evaluates a model set with the TypeScript pipeline (the app's, on the tfjs
 * wasm backend) on the synthetic data set, and compares its masks with the
 * PyTorch pipeline's (training/), which must agree on >= 99% of pixels per
 * stage: below that it exits with status 1 after writing its report.
 *
 *   npm run eval -- [--split val] [--model models/default] [--data data/synth] [--run data/runs/default] [--limit N] [--order psa|grid]
 *                   [--alpha A] [--beta B] [--steps T]
 *   npm run eval -- --real [--photos eval/real] [--model ...] [--run ...]   (real photographs with boxes: evaluate_real.ts)
 *   --cam-head-only: the set without its detector class evidence (docs/algorithm.md §1b), for comparison
 *
 * mIoU (VOC style: mean over the classes present in ground truth or
 * prediction) of CAM (constant background 0.2), CAM + random walk (alpha,
 * beta, steps from meta.json unless given; psa's are 16, 8, 256) and the segmentation head,
 * with ground-truth image labels (as psa's label generation) and with
 * predicted labels (class score >= the threshold of the image's class
 * evidence: the CAM head's, 0.5 unless meta.json says otherwise, or the
 * detector's, docs/algorithm.md §1b; the best class alone when none passes,
 * as the app and the CLI). Reads PyTorch's masks from
 * RUN/pred_<split>/{cam,rw,seg}/<id>.png (made with ground-truth labels)
 * when present (the walk's only when alpha, beta and steps are meta.json's,
 * which PyTorch used). Masks are made at the network input, as the app makes
 * them, and scaled to the image (nearest neighbour) for both comparisons, as
 * the PyTorch pipeline scales its own. Writes RUN/eval_ts[_<split>][_<order>][_walk-aA-bB-tT].json
 * and prints a markdown table.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { numberOption } from '../cli/args';
import { agreementShortfalls } from '../src/core/agreement';
import { VOC_CLASSES } from '../src/core/constants';
import { keptByEvidence, SCORE_ORDERS, type ScoreOrder, type StageMasks } from '../src/core/masks';
import { addConfusion, classesOnlyPredicted, confusionMatrix, iouPerClass, meanIoU, meanIoUOverTruth } from '../src/core/metrics';
import { decodeImage } from '../src/io/node_image_decode';
import { decodeLabelPng } from '../src/io/label_png';
import { modelSetFromDir, withoutClassEvidence } from '../src/models/node_model_set';
import { useNodeWasmBackend } from '../src/models/node_wasm';
import { channelsOfClasses, imageMasks, loadPipeline, reportedParameters, resultParameters, type EvidenceMaskParameters } from '../src/models/pipeline';
import { evaluateReal } from './evaluate_real';

const STAGES = ['cam', 'rw', 'final'] as const;
type Stage = (typeof STAGES)[number];
/** How the summary names each stage. */
const STAGE_NAMES: Record<Stage, string> = { cam: 'CAM', rw: 'CAM + RW', final: 'segmentation head' };
/** PyTorch's folder name for each stage. */
const TORCH_DIR: Record<Stage, string> = { cam: 'cam', rw: 'rw', final: 'seg' };
const LABEL_SOURCES = ['gt', 'predicted'] as const;
type LabelSource = (typeof LABEL_SOURCES)[number];
const NUM_CLASSES = VOC_CLASSES.length;
const PROGRESS_EVERY_MS = 10_000;
/**
 * Share of pixels on which TS and PyTorch must agree per stage. Both run the
 * same weights on the same backbone's features, but PyTorch read them from
 * the float16 training cache: argmax ties near class boundaries may flip.
 */
const MIN_TORCH_AGREEMENT = 0.99;

function options() {
  const { values } = parseArgs({
    options: {
      split: { type: 'string', default: 'val' },
      model: { type: 'string', default: 'models/default' },
      data: { type: 'string', default: 'data/synth' },
      run: { type: 'string', default: 'data/runs/default' },
      limit: { type: 'string' },
      order: { type: 'string', default: 'psa' },
      alpha: { type: 'string' },
      beta: { type: 'string' },
      steps: { type: 'string' },
      real: { type: 'boolean', default: false },
      'cam-head-only': { type: 'boolean', default: false },
      photos: { type: 'string', default: 'eval/real' },
    },
  });
  if (!SCORE_ORDERS.includes(values.order as ScoreOrder)) throw new Error(`--order must be one of ${SCORE_ORDERS.join(', ')}`);
  const limit = numberOption(values.limit, 'limit', Infinity, { integer: true, above: 0 });
  const walk = {
    alpha: numberOption(values.alpha, 'alpha', undefined, { above: 0 }),
    beta: numberOption(values.beta, 'beta', undefined, { above: 0 }),
    steps: numberOption(values.steps, 'steps', undefined, { integer: true, above: 0 }),
  };
  return { ...values, limit, order: values.order as ScoreOrder, walk };
}

/** The `name` in DATA/dataset.json, or null (the clip-art composites' manifest has none). */
function datasetName(data: string): string | null {
  const file = path.join(data, 'dataset.json');
  if (!existsSync(file)) return null;
  const name: unknown = JSON.parse(readFileSync(file, 'utf8')).name;
  return typeof name === 'string' ? name : null;
}

/** labels.tsv: "id<TAB>8,15" per line after a header. */
function readLabels(file: string): { id: string; classes: number[] }[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [id, classes = ''] = line.split('\t');
      return { id, classes: classes.split(',').filter(Boolean).map(Number) };
    });
}

const zeros = () => new Float64Array(NUM_CLASSES * NUM_CLASSES);
const percent = (v: number) => (Number.isNaN(v) ? 'n/a' : (100 * v).toFixed(1));

async function main(): Promise<void> {
  const opt = options();
  await useNodeWasmBackend();
  const source = modelSetFromDir(opt.model);
  const pipeline = await loadPipeline(opt['cam-head-only'] ? withoutClassEvidence(source) : source);
  const { meta } = pipeline;
  const walk = {
    alpha: opt.walk.alpha ?? meta.defaults.alpha,
    // Unless given, beta goes with each image's class evidence (resultParameters).
    beta: opt.walk.beta,
    steps: opt.walk.steps ?? meta.defaults.steps,
  };
  const params: EvidenceMaskParameters = { ...meta.defaults, ...walk, order: opt.order };
  const reported = reportedParameters(params, meta);
  if (opt.real) {
    try {
      await evaluateReal(pipeline, opt.photos, params, path.join(opt.run, `eval_real${opt['cam-head-only'] ? '_cam-head-only' : ''}.json`));
    } finally {
      pipeline.dispose();
    }
    return;
  }
  const threshold = meta.defaults.classThreshold;
  const predictedLabel = meta.classEvidence ? 'predicted (detector or CAM head, per image)' : `predicted (score >= ${threshold})`;
  // PyTorch's walk masks were made with meta.json's parameters.
  const ownWalk = walk.alpha !== meta.defaults.alpha || (walk.beta !== undefined && walk.beta !== meta.defaults.beta) || walk.steps !== meta.defaults.steps;
  const torchStages = STAGES.filter((stage) => !(stage === 'rw' && ownWalk));
  const rows = readLabels(path.join(opt.data, opt.split, 'labels.tsv')).slice(0, opt.limit);
  const torchDir = path.join(opt.run, `pred_${opt.split}`);
  const haveTorch = existsSync(torchDir);

  const confusion: Record<LabelSource, Record<Stage, Float64Array>> = {
    gt: { cam: zeros(), rw: zeros(), final: zeros() },
    predicted: { cam: zeros(), rw: zeros(), final: zeros() },
  };
  const torchConfusion: Record<Stage, Float64Array> = { cam: zeros(), rw: zeros(), final: zeros() };
  const agree: Record<Stage, { same: number; total: number; missing: number }> = {
    cam: { same: 0, total: 0, missing: 0 },
    rw: { same: 0, total: 0, missing: 0 },
    final: { same: 0, total: 0, missing: 0 },
  };
  let agreeSkipped = 0;
  const labelStats = { exact: 0, truePositives: 0, predicted: 0, actual: 0 };
  // Per ground-truth class: in how many images it occurs, and in how many of those it was named.
  const perClassLabels: Record<string, { images: number; named: number }> = {};
  const evidenceCounts: Record<string, number> = {};
  const timings: Record<string, number> = {};
  const start = performance.now();
  let lastReport = start;

  for (const [n, { id, classes }] of rows.entries()) {
    const image = await decodeImage(readFileSync(path.join(opt.data, opt.split, 'images', `${id}.jpg`)));
    const gt = decodeLabelPng(readFileSync(path.join(opt.data, opt.split, 'masks', `${id}.png`)));
    if (gt.width !== image.width || gt.height !== image.height) throw new Error(`${id}: mask ${gt.width}x${gt.height} vs image ${image.width}x${image.height}`);
    const result = await pipeline.run(image);
    for (const [k, v] of Object.entries(result.timings)) timings[k] = (timings[k] ?? 0) + v;
    const gtKeep = channelsOfClasses(meta, classes);
    const predictedKeep = keptByEvidence(result.classScores, result.classEvidence);
    evidenceCounts[result.classEvidence.source] = (evidenceCounts[result.classEvidence.source] ?? 0) + 1;
    const tp = predictedKeep.filter((c) => gtKeep.includes(c)).length;
    labelStats.truePositives += tp;
    labelStats.predicted += predictedKeep.length;
    labelStats.actual += gtKeep.length;
    if (tp === gtKeep.length && tp === predictedKeep.length) labelStats.exact++;
    for (const c of gtKeep) {
      const row = (perClassLabels[meta.classes[c].name] ??= { images: 0, named: 0 });
      row.images++;
      if (predictedKeep.includes(c)) row.named++;
    }

    // The masks depend on the label set only (not its order): skip a second walk when they agree.
    const sameLabels = predictedKeep.length === gtKeep.length && predictedKeep.every((c) => gtKeep.includes(c));
    const [gtMasks, predictedMasks = gtMasks] = imageMasks(result, meta, sameLabels ? [gtKeep] : [gtKeep, predictedKeep], resultParameters(params, result));
    const masks: Record<LabelSource, StageMasks> = { gt: gtMasks, predicted: predictedMasks };
    for (const source of LABEL_SOURCES) {
      for (const stage of STAGES) addConfusion(confusion[source][stage], confusionMatrix(masks[source][stage], gt.labels, NUM_CLASSES));
    }
    // The PyTorch pipeline has no detector (docs/algorithm.md §1b): compare the images the CAM head speaks for.
    if (haveTorch && result.classEvidence.source !== 'cam-head') agreeSkipped++;
    else if (haveTorch) {
      for (const stage of torchStages) {
        const file = path.join(torchDir, TORCH_DIR[stage], `${id}.png`);
        if (!existsSync(file)) {
          agree[stage].missing++;
          continue;
        }
        const torch = decodeLabelPng(readFileSync(file)).labels;
        const ours = masks.gt[stage];
        if (torch.length !== ours.length) throw new Error(`${file}: ${torch.length} pixels, expected ${ours.length}`);
        for (let i = 0; i < ours.length; i++) if (torch[i] === ours[i]) agree[stage].same++;
        agree[stage].total += ours.length;
        addConfusion(torchConfusion[stage], confusionMatrix(torch, gt.labels, NUM_CLASSES));
      }
    }

    const now = performance.now();
    if (now - lastReport >= PROGRESS_EVERY_MS || n === rows.length - 1) {
      lastReport = now;
      const rate = (n + 1) / ((now - start) / 1000);
      console.error(`${opt.split}: ${n + 1}/${rows.length}  ${rate.toFixed(2)} img/s  ETA ${Math.round((rows.length - n - 1) / rate)}s`);
    }
  }
  pipeline.dispose();

  const miou = (c: Float64Array) => meanIoU(c, NUM_CLASSES);
  const perClass = (c: Float64Array) =>
    Object.fromEntries([0, ...meta.classes.map((k) => k.voc)].map((voc) => [VOC_CLASSES[voc], iouPerClass(c, NUM_CLASSES)[voc]]));
  const report = {
    modelSet: meta.id,
    // What the data set calls itself (build_photo_composites.py names its composites), for the model card.
    dataset: datasetName(opt.data),
    split: opt.split,
    images: rows.length,
    parameters: { ...reported, classThreshold: threshold },
    backend: 'tfjs wasm (Node)',
    miou: Object.fromEntries(LABEL_SOURCES.map((s) => [s, Object.fromEntries(STAGES.map((st) => [st, miou(confusion[s][st])]))])),
    iouPerClass: Object.fromEntries(STAGES.map((st) => [st, perClass(confusion.gt[st])])),
    // Predicted labels can name classes the set never shows; VOC's mean counts each at IoU 0.
    predictedOnly: Object.fromEntries(STAGES.map((st) => [st, {
      classes: classesOnlyPredicted(confusion.predicted[st], NUM_CLASSES).map((c) => VOC_CLASSES[c]),
      miouOverTruthClasses: meanIoUOverTruth(confusion.predicted[st], NUM_CLASSES),
    }])),
    predictedLabels: {
      threshold,
      evidenceSources: evidenceCounts,
      exactImages: labelStats.exact / rows.length,
      precision: labelStats.truePositives / labelStats.predicted,
      recall: labelStats.truePositives / labelStats.actual,
      perClass: perClassLabels,
    },
    pytorch: haveTorch
      ? {
          dir: torchDir,
          miou: Object.fromEntries(STAGES.map((st) => [st, miou(torchConfusion[st])])),
          // NaN (null in the JSON) for a stage PyTorch has not written, or a walk with other parameters.
          pixelAgreement: Object.fromEntries(STAGES.map((st) => [st, agree[st].total > 0 ? agree[st].same / agree[st].total : NaN])),
          missingFiles: Object.fromEntries(STAGES.map((st) => [st, agree[st].missing])),
          imagesNotCompared: agreeSkipped,
        }
      : null,
    msPerImage: Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, v / rows.length])),
  };
  const suffix =
    `${opt.split === 'val' ? '' : `_${opt.split}`}${opt.order === 'psa' ? '' : `_${opt.order}`}` +
    (ownWalk ? `_walk-a${walk.alpha}-b${reported.beta}-t${walk.steps}` : '') +
    (opt['cam-head-only'] ? '_cam-head-only' : '');
  const outFile = path.join(opt.run, `eval_ts${suffix}.json`);

  const lines = [
    `Model set \`${meta.id}\`, ${opt.split} split, ${rows.length} images (mIoU %, VOC-style; TypeScript pipeline, tfjs wasm; score order ${opt.order}):`,
    '',
    `| image labels | CAM (bg ${params.camBackground}) | CAM + RW (alpha ${params.alpha}, beta ${reported.beta}${reported.detectorBeta === undefined ? '' : `, ${reported.detectorBeta} where the detector speaks`}, t ${params.steps}) | segmentation head |`,
    '|---|---|---|---|',
    ...LABEL_SOURCES.map((s) => `| ${s === 'gt' ? 'ground truth' : predictedLabel} | ${STAGES.map((st) => percent(report.miou[s][st])).join(' | ')} |`),
  ];
  if (report.pytorch) {
    lines.push(`| PyTorch pipeline, ground truth${agreeSkipped ? ` (the ${rows.length - agreeSkipped} CAM-head images)` : ''} | ${STAGES.map((st) => percent(report.pytorch!.miou[st])).join(' | ')} |`);
    const agreement = (v: number) => (Number.isNaN(v) ? 'n/a' : `${(100 * v).toFixed(2)}%`);
    lines.push(`| pixel agreement TS vs PyTorch${agreeSkipped ? ` (the ${rows.length - agreeSkipped} CAM-head images)` : ''} | ${STAGES.map((st) => agreement(report.pytorch!.pixelAgreement[st])).join(' | ')} |`);
  }
  lines.push('', `Predicted labels: ${percent(report.predictedLabels.exactImages)}% of images exactly right, precision ${percent(report.predictedLabels.precision)}%, recall ${percent(report.predictedLabels.recall)}%.`);
  const absent = [...new Set(STAGES.flatMap((st) => report.predictedOnly[st].classes))];
  if (absent.length > 0) {
    lines.push(
      `They name classes the ground truth never shows (${absent.join(', ')}), each at IoU 0 in the mean; over the ground truth's classes only: ` +
        `${STAGES.map((st) => `${STAGE_NAMES[st]} ${percent(report.predictedOnly[st].miouOverTruthClasses)}`).join(', ')}.`,
    );
  }
  // The table first: a reader who has not trained has no run folder yet.
  console.log(lines.join('\n'));
  mkdirSync(opt.run, { recursive: true });
  writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`Written to ${outFile}.`);
  const shortfalls = report.pytorch ? agreementShortfalls(report.pytorch.pixelAgreement, MIN_TORCH_AGREEMENT) : [];
  if (shortfalls.length > 0) {
    console.error(`The TypeScript and PyTorch pipelines disagree (masks in ${torchDir}):\n${shortfalls.map((s) => `  ${s}`).join('\n')}`);
    process.exitCode = 1;
  }
}

// Report errors here: the wasm backend's unhandled-rejection hook would print its whole source.
main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
