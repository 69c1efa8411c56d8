import * as tf from '@tensorflow/tfjs';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { pixelAgreement } from '../core/agreement';
import { decodeImage } from '../io/node_image_decode';
import { META_FILE, validateMeta } from './model_set';
import { modelSetFromDir } from './node_model_set';
import { useNodeWasmBackend } from './node_wasm';
import { channelsOfClasses, imageMasks, loadPipeline } from './pipeline';
import { readSetReference, REFERENCE_COMMAND } from './testing/set_reference';
import { seededRandom } from '../core/seeded_random';

/** Every model set committed under models/ (none until training has exported one). */
const ROOT = path.join(__dirname, '..', '..');
const MODELS_DIR = path.join(ROOT, 'models');
const sets = existsSync(MODELS_DIR)
  ? readdirSync(MODELS_DIR).filter((name) => existsSync(path.join(MODELS_DIR, name, META_FILE)))
  : [];

describe.skipIf(sets.length === 0)('shipped model sets', () => {
  beforeAll(async () => {
    await useNodeWasmBackend();
  });

  it.each(sets)('models/%s: meta.json is valid and says the weights are trained', (id) => {
    const meta = validateMeta(JSON.parse(readFileSync(path.join(MODELS_DIR, id, META_FILE), 'utf8')), id, `models/${id}/${META_FILE}`);
    expect(meta.trained).toBe(true);
    expect(meta.classes.length).toBeGreaterThan(0);
  });

  it.each(sets)('models/%s: loads on wasm, gives finite maps of the right shapes, frees every tensor', async (id) => {
    const baseline = tf.memory().numTensors;
    const pipeline = await loadPipeline(modelSetFromDir(path.join(MODELS_DIR, id)));
    const classes = pipeline.meta.classes.length;
    const grid = pipeline.meta.inputSize / pipeline.meta.gridStride;
    // A segmentation head on the detector's stride-4 map answers on a finer grid (docs/algorithm.md §6b).
    const segGrid = pipeline.meta.inputSize / pipeline.meta.segGridStride;
    const random = seededRandom(4);
    const [width, height] = [400, 300];
    const image = { width, height, data: Uint8Array.from({ length: width * height * 4 }, () => Math.floor(random() * 256)) };

    const result = await pipeline.run(image);
    expect(result.classScores.length).toBe(classes);
    expect([result.cams.channels, result.cams.height, result.cams.width]).toEqual([classes, grid, grid]);
    expect([result.embedding.height, result.embedding.width]).toEqual([grid, grid]);
    expect(result.embedding.channels).toBeGreaterThan(0);
    expect([result.segLogits.channels, result.segLogits.height, result.segLogits.width]).toEqual([1 + classes, segGrid, segGrid]);
    for (const values of [result.classScores, result.cams.data, result.embedding.data, result.segLogits.data]) {
      expect(values.every(Number.isFinite)).toBe(true);
    }
    pipeline.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  /*
   * The TS pipeline against the PyTorch pipeline's results from the same shipped weights
   * on one sample (models/<set>/reference/, written by training/write_set_reference.py;
   * after retraining or re-exporting a set, run `npm run reference`). Both start from the
   * same backbone features in float32, so they differ by float32 summation order only:
   * - scores and CAM means within 1e-4 (absolute, both in [0, 1]; measured < 1e-6);
   * - each label map (CAM, walk, segmentation) the same on >= 99.5% of pixels: rounding
   *   can flip an argmax only where two classes tie, along a boundary (measured 100%).
   */
  const SCORE_TOLERANCE = 1e-4;
  const MIN_AGREEMENT = 0.995;

  it.each(sets)(`models/%s: matches the PyTorch pipeline on its reference image (\`${REFERENCE_COMMAND}\` writes it)`, async (id) => {
    const reference = readSetReference(ROOT, path.join('models', id));
    const pipeline = await loadPipeline(modelSetFromDir(path.join(MODELS_DIR, id)));
    const { meta } = pipeline;
    const image = await decodeImage(readFileSync(path.join(ROOT, reference.image)));
    const result = await pipeline.run(image);
    pipeline.dispose();
    // PyTorch has the CAM head only, not the detector's class evidence (docs/algorithm.md §1b).
    expect(result.classEvidence.source).toBe('cam-head');

    const channelOf = (name: string) => meta.classes.findIndex((c) => c.name === name);
    const { cams } = result;
    const camMean = (c: number) => cams.data.subarray(c * cams.height * cams.width, (c + 1) * cams.height * cams.width).reduce((a, b) => a + b, 0) / (cams.height * cams.width);
    for (const [name, score] of Object.entries(reference.scores)) expect(Math.abs(result.classScores[channelOf(name)] - score), `score of ${name}`).toBeLessThanOrEqual(SCORE_TOLERANCE);
    for (const [name, mean] of Object.entries(reference.camMeans)) expect(Math.abs(camMean(channelOf(name)) - mean), `CAM mean of ${name}`).toBeLessThanOrEqual(SCORE_TOLERANCE);

    const [masks] = imageMasks(result, meta, [channelsOfClasses(meta, reference.classes)], { ...meta.defaults, order: 'psa' });
    expect([image.width, image.height]).toEqual([reference.masks.width, reference.masks.height]);
    for (const [stage, torch] of [['cam', reference.masks.cam], ['rw', reference.masks.rw], ['final', reference.masks.seg]] as const) {
      expect(pixelAgreement(masks[stage], torch), `${stage} mask`).toBeGreaterThanOrEqual(MIN_AGREEMENT);
    }
  });
});
