import * as tf from '@tensorflow/tfjs';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { META_FILE, validateMeta } from './model_set';
import { modelSetFromDir } from './node_model_set';
import { useNodeWasmBackend } from './node_wasm';
import { loadPipeline } from './pipeline';
import { seededRandom } from '../core/seeded_random';

/** Every model set committed under models/ (none until training has exported one). */
const MODELS_DIR = path.join(__dirname, '..', '..', 'models');
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
    const random = seededRandom(4);
    const [width, height] = [400, 300];
    const image = { width, height, data: Uint8Array.from({ length: width * height * 4 }, () => Math.floor(random() * 256)) };

    const result = await pipeline.run(image);
    expect(result.classScores.length).toBe(classes);
    expect([result.cams.channels, result.cams.height, result.cams.width]).toEqual([classes, grid, grid]);
    expect([result.embedding.height, result.embedding.width]).toEqual([grid, grid]);
    expect(result.embedding.channels).toBeGreaterThan(0);
    expect([result.segLogits.channels, result.segLogits.height, result.segLogits.width]).toEqual([1 + classes, grid, grid]);
    for (const values of [result.classScores, result.cams.data, result.embedding.data, result.segLogits.data]) {
      expect(values.every(Number.isFinite)).toBe(true);
    }
    pipeline.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });
});
