import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageFilePath } from '../../io/node_package_path';
import { fileModelHandler } from '../node_io';
import { useNodeWasmBackend } from '../node_wasm';
import { Backbone, BACKBONE_INPUT_SIZE, BACKBONE_MODEL_FILE, BACKBONE_MODEL_PACKAGE, BACKBONE_TAPS, loadBackbone, TAP_NAMES } from './index';

// Runs the real CenterNet graph from node_modules: one 512x512 pass is ~0.3 s on wasm.
describe('Backbone', () => {
  let backbone: Backbone;

  beforeAll(async () => {
    await useNodeWasmBackend();
    backbone = await loadBackbone({ modelUrl: fileModelHandler(packageFilePath(BACKBONE_MODEL_PACKAGE, BACKBONE_MODEL_FILE)) });
  });

  afterAll(() => backbone?.dispose());

  it('returns every tap with its documented shape, finite, and leaks no tensors', async () => {
    const image = tf.randomUniform([BACKBONE_INPUT_SIZE, BACKBONE_INPUT_SIZE, 3], 0, 255, 'float32', 7) as tf.Tensor3D;
    const baseline = tf.memory().numTensors;

    const maps = backbone.extract(image);
    expect(Object.keys(maps).sort()).toEqual([...TAP_NAMES].sort());
    for (const key of TAP_NAMES) {
      const { channels, stride } = BACKBONE_TAPS[key];
      const cells = BACKBONE_INPUT_SIZE / stride;
      expect(maps[key].shape).toEqual([1, cells, cells, channels]);
      const values = await maps[key].data();
      // Finite and inside float16's range, since features are cached as half floats.
      expect(values.every((v) => Math.abs(v) < 65504)).toBe(true);
    }
    tf.dispose(Object.values(maps));

    expect(tf.memory().numTensors).toBe(baseline);
    image.dispose();
  });

  it('rejects inputs the fixed-size graph cannot run', () => {
    const small = tf.zeros([256, 256, 3]) as tf.Tensor3D;
    expect(() => backbone.extract(small)).toThrow(/512x512x3/);
    small.dispose();
  });

  it('names the allowed taps when given an unknown one', async () => {
    await expect(loadBackbone({ taps: ['nope' as never] })).rejects.toThrow(/fpn_s8, bb_s8, bb_s16, bb_s32/);
  });
});
