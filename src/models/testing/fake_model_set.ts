/**
 * Test support only: model sets with the shipped topology but small random
 * weights, built in memory or written to a temporary folder. Never used to
 * make files that ship.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { seededRandom } from '../../core/seeded_random';
import { BACKBONE_TAPS } from '../backbone';
import { HEAD_FORMAT, HEAD_KINDS, type HeadKind } from '../heads';
import { HEAD_FILES, META_FILE } from '../model_set';

export interface LayerJson {
  name: string;
  type: 'conv2d';
  input: string;
  kernel: number;
  dilation: number;
  padding: 'same';
  filters: number;
  bias: boolean;
  activation: 'linear' | 'relu' | 'elu';
  then?: string;
}

export interface HeadFiles {
  modelJson: tf.io.ModelJSON;
  weights: Uint8Array;
}

/** model.json + weights.bin for layers with random weights of uniform(-scale, scale). */
export function fakeHeadFiles(kind: HeadKind, layers: LayerJson[], tapChannels: Record<string, number>, seed: number, scale = 0.2): HeadFiles {
  const random = seededRandom(seed);
  const channels = new Map(Object.entries(tapChannels));
  const specs: tf.io.WeightsManifestEntry[] = [];
  const values: number[] = [];
  for (const layer of layers) {
    const concat = /^concat\((.*)\)$/.exec(layer.input);
    const inputs = concat ? concat[1].split(',') : [layer.input];
    const inChannels = inputs.reduce((sum, name) => sum + channels.get(name)!, 0);
    const shapes: [string, number[]][] = [[`${layer.name}/kernel`, [layer.kernel, layer.kernel, inChannels, layer.filters]]];
    if (layer.bias) shapes.push([`${layer.name}/bias`, [layer.filters]]);
    for (const [name, shape] of shapes) {
      specs.push({ name, shape, dtype: 'float32' });
      const n = shape.reduce((a, b) => a * b, 1);
      for (let i = 0; i < n; i++) values.push((random() * 2 - 1) * scale);
    }
    channels.set(layer.name, layer.filters);
  }
  const weights = new Uint8Array(Float32Array.from(values).buffer);
  return {
    modelJson: {
      format: HEAD_FORMAT,
      // As training/export_tfjs.py writes it.
      modelTopology: { inputs: usedTaps(layers, tapChannels), layers, output: `fake ${kind} head` },
      weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
    } as tf.io.ModelJSON,
    weights,
  };
}

/** {tap, channels} of every tap some layer reads. */
function usedTaps(layers: LayerJson[], tapChannels: Record<string, number>): { tap: string; channels: number }[] {
  const names = new Set(layers.flatMap((l) => (/^concat\((.*)\)$/.exec(l.input)?.[1].split(',') ?? [l.input])));
  return Object.entries(tapChannels).filter(([tap]) => names.has(tap)).map(([tap, channels]) => ({ tap, channels }));
}

export function memoryHandler({ modelJson, weights }: HeadFiles): tf.io.IOHandler {
  return tf.io.fromMemory({
    format: modelJson.format,
    modelTopology: modelJson.modelTopology,
    weightSpecs: modelJson.weightsManifest[0].weights,
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
  });
}

const conv = (name: string, input: string, kernel: number, filters: number, bias: boolean, activation: LayerJson['activation'], dilation = 1): LayerJson => ({
  name, type: 'conv2d', input, kernel, dilation, padding: 'same', filters, bias, activation,
});

/** The three heads as training/networks/*.py describe them, with small widths. */
export function fakeHeadLayers(classes: number, hidden = 8, embed = 6): Record<HeadKind, LayerJson[]> {
  const stages = (['bb_s8', 'bb_s16', 'bb_s32'] as const).map((tap, i) => ({
    ...conv(`stage${i}`, tap, 1, 4, false, 'elu'),
    then: 'resize_bilinear (half-pixel centres) to the grid of bb_s8',
  }));
  return {
    cam: [conv('conv', 'fpn_s8', 3, hidden, true, 'relu'), conv('classifier', 'conv', 1, classes, false, 'relu')],
    aff: [...stages, conv('embed', 'concat(stage0,stage1,stage2)', 1, embed, false, 'elu')],
    seg: [conv('conv1', 'fpn_s8', 3, hidden, true, 'relu', 2), conv('conv2', 'conv1', 3, 1 + classes, true, 'linear', 2)],
  };
}

export const BACKBONE_TAP_CHANNELS: Record<string, number> = Object.fromEntries(Object.entries(BACKBONE_TAPS).map(([k, t]) => [k, t.channels]));

/** meta.json in training/export_tfjs.py's format: VOC cat (8), dog (12), person (15). */
export const FAKE_META = {
  name: 'fake',
  classes: [{ channel: 0, index: 8, name: 'cat' }, { channel: 1, index: 12, name: 'dog' }, { channel: 2, index: 15, name: 'person' }],
  inputSize: 512,
  gridStride: 8,
  defaults: { alpha: 16, beta: 8, steps: 256, radius: 5, camBgScore: 0.2, camNormEps: 1e-5, alphaLow: 4, alphaHigh: 32 },
  trained: false,
};

export function fakeModelSetHeads(seed = 1): Record<HeadKind, HeadFiles> {
  const layers = fakeHeadLayers(FAKE_META.classes.length);
  return Object.fromEntries(HEAD_KINDS.map((kind, i) => [kind, fakeHeadFiles(kind, layers[kind], BACKBONE_TAP_CHANNELS, seed + i)])) as Record<HeadKind, HeadFiles>;
}

/** Writes meta.json and the three heads under dir (models/<id>/ layout). */
export function writeFakeModelSet(dir: string, seed = 1, meta: unknown = FAKE_META): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, META_FILE), JSON.stringify(meta));
  for (const [kind, files] of Object.entries(fakeModelSetHeads(seed))) {
    const modelPath = path.join(dir, HEAD_FILES[kind as HeadKind]);
    mkdirSync(path.dirname(modelPath), { recursive: true });
    writeFileSync(modelPath, JSON.stringify(files.modelJson));
    writeFileSync(path.join(path.dirname(modelPath), 'weights.bin'), files.weights);
  }
}
