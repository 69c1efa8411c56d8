import * as tf from '@tensorflow/tfjs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { keptClasses, stageMasks } from '../../core/masks';
import { seededRandom } from '../../core/seeded_random';
import { HEAD_KINDS, type HeadKind } from '../heads';
import { modelSetFromDir } from '../node_model_set';
import { useNodeWasmBackend } from '../node_wasm';
import { FAKE_META, fakeHeadFiles, fakeHeadLayers, memoryHandler } from '../testing/fake_model_set';
import { tinyLayerBackbone } from '../testing/tiny_layer_backbone';
import { maskGeometry } from './mask_geometry';
import { loadPipeline } from './pipeline';
import type { ModelSetSource } from '../model_set';

/** A small set (own backbone and an affinity backbone, fake heads) so that 50 runs take seconds on wasm. */
function tinySet() {
  // The tiny backbone with its stem at stride 8, so that its taps lie on the meta's grid.
  const onGrid = (json: Record<string, unknown>) => {
    const topology = json.modelTopology as { layers: { name: string; stride?: number }[]; taps: Record<string, { stride: number }> };
    topology.layers.find((l) => l.name === 'stem')!.stride = 8;
    for (const tap of Object.values(topology.taps)) tap.stride *= 4;
  };
  const layers = fakeHeadLayers(FAKE_META.classes.length);
  const own = (file: string) => ({ format: 'affinitylab-backbone', file });
  return {
    id: 'tiny',
    meta: { ...FAKE_META, inputSize: 64, backbone: own('backbone/model.json'), affBackbone: own('aff_backbone/model.json') },
    backbone: tinyLayerBackbone(2, onGrid).handler,
    affBackbone: tinyLayerBackbone(3, onGrid).handler,
    heads: Object.fromEntries(HEAD_KINDS.map((kind, i) => [kind, memoryHandler(fakeHeadFiles(kind, layers[kind], { fpn_s8: 4, bb_s8: 4, bb_s16: 4, bb_s32: 6 }, 9 + i))])) as Record<HeadKind, tf.io.IOHandler>,
  };
}

function randomImage(width: number, height: number, seed: number) {
  const random = seededRandom(seed);
  return { width, height, data: Uint8Array.from({ length: width * height * 4 }, () => Math.floor(random() * 256)) };
}

/** The shipped default set (CenterNet and its detector), with the detector always naming the classes, so its box path runs every time. */
function defaultSetWithDetector(): ModelSetSource {
  const source = modelSetFromDir(path.join(__dirname, '../../../models/default'));
  const meta = source.meta as { classEvidence: Record<string, unknown> };
  return { ...source, meta: { ...meta, classEvidence: { ...meta.classEvidence, gate: 0, threshold: 0 } } };
}

describe('the pipeline run over and over (Node, wasm)', () => {
  beforeAll(async () => {
    await useNodeWasmBackend();
  });

  // The default set takes ~0.8 s a run on two cores: fewer runs, the same check.
  it.each([
    ['a tiny set with an affinity backbone', 50, tinySet],
    ['the default set, detector boxes on', 10, defaultSetWithDetector],
  ])('%s, %i runs: tensor count and bytes return to their baseline after each, and to the start after dispose', async (_, runs, source) => {
    const before = tf.memory();
    const pipeline = await loadPipeline(source());
    const loaded = tf.memory();
    for (let i = 0; i < runs; i++) {
      // Images of changing sizes and shapes, as a batch of files would be.
      const result = await pipeline.run(randomImage(20 + ((i * 7) % 90), 20 + ((i * 13) % 70), i));
      const params = { ...pipeline.meta.defaults, steps: 4, order: 'psa' as const };
      stageMasks(result, maskGeometry(pipeline.meta, result.placement), [keptClasses(result.classScores, 0.5)], params);
      if (i === 0) expect(result.classEvidence.source).toBe(pipeline.meta.classEvidence ? 'detector' : 'cam-head');
      const now = tf.memory();
      expect([now.numTensors, now.numBytes], `after run ${i + 1}`).toEqual([loaded.numTensors, loaded.numBytes]);
    }
    pipeline.dispose();
    const after = tf.memory();
    expect([after.numTensors, after.numBytes]).toEqual([before.numTensors, before.numBytes]);
  }, 120_000);
});
