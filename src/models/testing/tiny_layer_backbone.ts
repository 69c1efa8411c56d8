/**
 * Test support only: a tiny "affinitylab-backbone" with every construct
 * training/tools/backbone_export.py writes, held in memory.
 */
import type * as tf from '@tensorflow/tfjs';
import { seededRandom } from '../../core/seeded_random';
import { LAYER_BACKBONE_FORMAT } from '../backbone/constants';

export const TINY_INPUT = { scale: 1 / 127.5, offset: -1 };

const conv = (name: string, input: string, kernel: number, stride: number, padding: number, filters: number, activation: string, extra: object = {}) => ({
  name, type: 'conv2d', input, kernel, stride, dilation: 1, padding, filters, bias: true, activation, ...extra,
});

/**
 * A tiny network with every construct the exporter writes: a stride-2 conv
 * (PyTorch padding), a depthwise conv, a residual add, a second stride-2
 * conv, a 1x1 conv resized back up, and a fusing add with ReLU.
 */
const LAYERS = [
  conv('stem', 'input', 3, 2, 1, 4, 'relu6'),
  { ...conv('dw', 'stem', 3, 1, 1, 4, 'relu'), type: 'depthwise_conv2d' },
  conv('project', 'dw', 1, 1, 0, 4, 'linear'),
  { name: 'sum', type: 'add', input: 'add(stem,project)', activation: 'linear' },
  conv('down', 'sum', 3, 2, 1, 6, 'relu6'),
  conv('up', 'down', 1, 1, 0, 4, 'linear', { then: 'resize_bilinear (half-pixel centres) to the grid of sum' }),
  { name: 'fused', type: 'add', input: 'add(sum,up)', activation: 'relu' },
];
/** Tap channels: fpn_s8, bb_s8, bb_s16 4 (stride 2), bb_s32 6 (stride 4). */
const TAPS = { fpn_s8: { layer: 'fused', stride: 2 }, bb_s8: { layer: 'sum', stride: 2 }, bb_s16: { layer: 'dw', stride: 2 }, bb_s32: { layer: 'down', stride: 4 } };
const SHAPES: [string, number[]][] = [
  ['stem/kernel', [3, 3, 3, 4]], ['stem/bias', [4]], ['dw/kernel', [3, 3, 4, 1]], ['dw/bias', [4]],
  ['project/kernel', [1, 1, 4, 4]], ['project/bias', [4]], ['down/kernel', [3, 3, 4, 6]], ['down/bias', [6]],
  ['up/kernel', [1, 1, 6, 4]], ['up/bias', [4]],
];

/** The tiny network with seeded uniform(-0.5, 0.5) weights; `edit` may break its model.json. */
export function tinyLayerBackbone(seed: number, edit: (json: Record<string, unknown>) => void = () => {}) {
  const random = seededRandom(seed);
  const weights = new Map(SHAPES.map(([name, shape]) => [name, Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random() - 0.5)]));
  const bytes = Float32Array.from(SHAPES.flatMap(([name]) => Array.from(weights.get(name)!)));
  const modelJson: Record<string, unknown> = {
    format: LAYER_BACKBONE_FORMAT,
    modelTopology: { input: { channels: 3, range: [0, 255], ...TINY_INPUT }, layers: structuredClone(LAYERS), taps: structuredClone(TAPS) },
    weightsManifest: [{ paths: ['weights.bin'], weights: SHAPES.map(([name, shape]) => ({ name, shape, dtype: 'float32' })) }],
  };
  edit(modelJson);
  const manifest = modelJson.weightsManifest as tf.io.WeightsManifestConfig;
  const handler: tf.io.IOHandler = {
    load: async () => ({
      format: modelJson.format as string,
      modelTopology: modelJson.modelTopology as object,
      weightSpecs: manifest[0].weights,
      weightData: bytes.buffer,
    }),
  };
  // As files: model.json names its one shard, weights.bin.
  return { handler, weights, modelJson: JSON.stringify(modelJson), bytes: new Uint8Array(bytes.buffer) };
}

