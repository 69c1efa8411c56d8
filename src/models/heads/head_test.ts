import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeWasmBackend } from '../node_wasm';
import { seededRandom } from '../../core/seeded_random';
import { bilinearHwc } from '../testing/bilinear_reference';
import { fakeHeadFiles, memoryHandler, type HeadFiles, type LayerJson } from '../testing/fake_model_set';
import { loadHead } from './head';
import type { HeadKind } from './types';

/** An H x W x C feature map in float64 plus the same values as a [1, H, W, C] tensor. */
interface Features {
  h: number;
  w: number;
  c: number;
  data: Float64Array;
}

function randomFeatures(h: number, w: number, c: number, seed: number): Features {
  const random = seededRandom(seed);
  return { h, w, c, data: Float64Array.from({ length: h * w * c }, () => random() * 4 - 1) };
}

const toTensor = (f: Features) => tf.tensor4d(Float32Array.from(f.data), [1, f.h, f.w, f.c]);

/** Weights of a head file as float64 arrays by name. */
function weightsOf(files: HeadFiles): Map<string, Float64Array> {
  const all = new Float32Array(files.weights.buffer, files.weights.byteOffset, files.weights.byteLength / 4);
  const out = new Map<string, Float64Array>();
  let at = 0;
  for (const spec of files.modelJson.weightsManifest[0].weights) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    out.set(spec.name, Float64Array.from(all.subarray(at, at + n)));
    at += n;
  }
  return out;
}

/** Direct float64 'same' convolution with dilation, HWIO kernel: the textbook sum. */
function convRef(x: Features, kernel: Float64Array, k: number, filters: number, dilation: number, bias?: Float64Array): Features {
  const out = new Float64Array(x.h * x.w * filters);
  const half = (k - 1) / 2;
  for (let y = 0; y < x.h; y++) {
    for (let xx = 0; xx < x.w; xx++) {
      for (let o = 0; o < filters; o++) {
        let sum = bias ? bias[o] : 0;
        for (let ky = 0; ky < k; ky++) {
          const sy = y + (ky - half) * dilation;
          if (sy < 0 || sy >= x.h) continue;
          for (let kx = 0; kx < k; kx++) {
            const sx = xx + (kx - half) * dilation;
            if (sx < 0 || sx >= x.w) continue;
            for (let c = 0; c < x.c; c++) sum += x.data[(sy * x.w + sx) * x.c + c] * kernel[((ky * k + kx) * x.c + c) * filters + o];
          }
        }
        out[(y * x.w + xx) * filters + o] = sum;
      }
    }
  }
  return { h: x.h, w: x.w, c: filters, data: out };
}

const relu = (f: Features): Features => ({ ...f, data: f.data.map((v) => Math.max(0, v)) });
const elu = (f: Features): Features => ({ ...f, data: f.data.map((v) => (v > 0 ? v : Math.expm1(v))) });

async function expectClose(t: tf.Tensor, ref: Features, tolerance: number): Promise<void> {
  expect(t.shape).toEqual([1, ref.h, ref.w, ref.c]);
  const got = await t.data();
  let worst = 0;
  ref.data.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - got[i]))));
  expect(worst).toBeLessThan(tolerance);
}

const layer = (name: string, input: string, kernel: number, filters: number, bias: boolean, activation: LayerJson['activation'], dilation = 1, then?: string): LayerJson => ({
  name, type: 'conv2d', input, kernel, dilation, padding: 'same', filters, bias, activation, ...(then ? { then } : {}),
});

describe('Head', () => {
  beforeAll(async () => {
    await useNodeWasmBackend();
  });

  const camLayers = [layer('conv', 'fpn_s8', 3, 5, true, 'relu'), layer('classifier', 'conv', 1, 3, false, 'relu')];
  const camFiles = fakeHeadFiles('cam', camLayers, { fpn_s8: 4 }, 11, 0.5);
  const load = (files: HeadFiles, kind: HeadKind, tapChannels: Record<string, number>) =>
    loadHead({ modelUrl: memoryHandler(files), kind, tapChannels, name: `${kind}/model.json` });

  it('CAM head: maps and valid-region logits match a float64 computation', async () => {
    const head = await load(camFiles, 'cam', { fpn_s8: 4 });
    const x = randomFeatures(7, 6, 4, 3);
    const w = weightsOf(camFiles);
    const hidden = relu(convRef(x, w.get('conv/kernel')!, 3, 5, 1, w.get('conv/bias')));
    const camsRef = relu(convRef(hidden, w.get('classifier/kernel')!, 1, 3, 1));
    // Logits: classifier on the mean of the hidden features over the valid 5 x 4 cells.
    const logitsRef = [0, 1, 2].map((o) => {
      let sum = 0;
      for (let y = 0; y < 5; y++) for (let xx = 0; xx < 4; xx++) for (let c = 0; c < 5; c++) sum += hidden.data[(y * 6 + xx) * 5 + c] * w.get('classifier/kernel')![c * 3 + o];
      return sum / 20;
    });

    const input = toTensor(x);
    const { cams, logits } = head.classify({ fpn_s8: input }, { height: 5, width: 4 });
    await expectClose(cams, camsRef, 1e-4);
    expect(logits.shape).toEqual([1, 3]);
    Array.from(await logits.data()).forEach((v, i) => expect(v).toBeCloseTo(logitsRef[i], 4));
    tf.dispose([cams, logits, input]);
    head.dispose();
  });

  it('segmentation head: two dilated convolutions match a float64 computation', async () => {
    const layers = [layer('conv1', 'fpn_s8', 3, 6, true, 'relu', 2), layer('conv2', 'conv1', 3, 4, true, 'linear', 2)];
    const files = fakeHeadFiles('seg', layers, { fpn_s8: 3 }, 12, 0.5);
    const head = await load(files, 'seg', { fpn_s8: 3 });
    const x = randomFeatures(9, 8, 3, 4);
    const w = weightsOf(files);
    const h1 = relu(convRef(x, w.get('conv1/kernel')!, 3, 6, 2, w.get('conv1/bias')));
    const ref = convRef(h1, w.get('conv2/kernel')!, 3, 4, 2, w.get('conv2/bias'));
    const input = toTensor(x);
    const out = head.forward({ fpn_s8: input });
    await expectClose(out, ref, 1e-4);
    tf.dispose([out, input]);
    head.dispose();
  });

  it('AffinityNet head: stages, half-pixel bilinear resize, concat and fusion match an independent computation', async () => {
    const resize = 'resize_bilinear (half-pixel centres) to the grid of a';
    const layers = [
      layer('s0', 'a', 1, 2, false, 'elu', 1, resize),
      layer('s1', 'b', 1, 3, false, 'elu', 1, resize),
      layer('embed', 'concat(s0,s1)', 1, 4, false, 'elu'),
    ];
    const channels = { a: 3, b: 5 };
    const files = fakeHeadFiles('aff', layers, channels, 13, 0.5);
    const head = await load(files, 'aff', channels);
    const a = randomFeatures(8, 8, 3, 5);
    const b = randomFeatures(4, 4, 5, 6);
    const w = weightsOf(files);
    const s0 = elu(convRef(a, w.get('s0/kernel')!, 1, 2, 1));
    const up = bilinearHwc(elu(convRef(b, w.get('s1/kernel')!, 1, 3, 1)).data, 4, 4, 3, 8, 8);
    const cat: Features = { h: 8, w: 8, c: 5, data: new Float64Array(64 * 5) };
    for (let i = 0; i < 64; i++) {
      cat.data.set(s0.data.subarray(i * 2, i * 2 + 2), i * 5);
      cat.data.set(up.subarray(i * 3, i * 3 + 3), i * 5 + 2);
    }
    const ref = elu(convRef(cat, w.get('embed/kernel')!, 1, 4, 1));
    const [ta, tb] = [toTensor(a), toTensor(b)];
    const out = head.forward({ a: ta, b: tb });
    await expectClose(out, ref, 1e-4);
    tf.dispose([out, ta, tb]);
    head.dispose();
  });

  it('CAM-guided segmentation head: shared layers once, then one logit map per class from its CAM, as a float64 computation', async () => {
    const layers = [
      layer('trunk', 'fpn_s8', 1, 3, true, 'relu'),
      layer('evidence', 'concat(trunk,class_cam)', 3, 4, true, 'relu', 2),
      layer('out', 'evidence', 3, 1, true, 'linear', 2),
    ];
    const files = fakeHeadFiles('seg', layers, { fpn_s8: 3, class_cam: 1 }, 14, 0.5);
    const topology = files.modelJson.modelTopology as { inputs: { tap: string }[]; classMap?: string };
    topology.inputs = topology.inputs.filter((i) => i.tap !== 'class_cam');
    topology.classMap = 'class_cam';
    const head = await load(files, 'seg', { fpn_s8: 3 });
    const x = randomFeatures(7, 6, 3, 7);
    const cams = [randomFeatures(7, 6, 1, 8), randomFeatures(7, 6, 1, 9)];
    const w = weightsOf(files);
    const trunk = relu(convRef(x, w.get('trunk/kernel')!, 1, 3, 1, w.get('trunk/bias')));
    const input = toTensor(x);
    const classCams = tf.concat(cams.map(toTensor), 0) as tf.Tensor4D;
    const out = head.segmentClasses({ fpn_s8: input }, classCams);
    expect(out.shape).toEqual([2, 7, 6, 1]);
    for (const [k, cam] of cams.entries()) {
      const joined: Features = { h: 7, w: 6, c: 4, data: new Float64Array(42 * 4) };
      for (let i = 0; i < 42; i++) {
        joined.data.set(trunk.data.subarray(i * 3, i * 3 + 3), i * 4);
        joined.data[i * 4 + 3] = cam.data[i];
      }
      const evidence = relu(convRef(joined, w.get('evidence/kernel')!, 3, 4, 2, w.get('evidence/bias')));
      const one = tf.slice(out, [k, 0, 0, 0], [1, 7, 6, 1]);
      await expectClose(one, convRef(evidence, w.get('out/kernel')!, 3, 1, 2, w.get('out/bias')), 1e-4);
      one.dispose();
    }
    expect(() => head.forward({ fpn_s8: input })).toThrow('input class_cam was not given');
    tf.dispose([out, input, classCams]);
    head.dispose();
  });

  it('resizes a layer output to a tap grid with half-pixel centres: a 2x2 -> 4x4 case worked by hand', async () => {
    // One 1x1 conv of weight 1 (identity), then the resize. Along each axis output d reads the input at
    // s = (d + 0.5) / 2 - 0.5 clamped to [0, 1]: 0, 0.25, 0.75, 1, i.e. weights (1, 0), (3/4, 1/4), (1/4, 3/4), (0, 1).
    // Input [[0, 4], [8, 0]], output 4 wy0 wx1 + 8 wy1 wx0; e.g. (1, 1): 4 (3/4)(1/4) + 8 (1/4)(3/4) = 2.25.
    const expected = [0, 1, 3, 4, 2, 2.25, 2.75, 3, 6, 4.75, 2.25, 1, 8, 6, 2, 0];
    const files = { ...fakeHeadFiles('aff', [layer('up', 'a', 1, 1, false, 'linear', 1, 'resize_bilinear (half-pixel centres) to the grid of b')], { a: 1 }, 1), weights: new Uint8Array(Float32Array.of(1).buffer) };
    const head = await load(files, 'aff', { a: 1, b: 1 });
    const [a, b] = [tf.tensor4d([0, 4, 8, 0], [1, 2, 2, 1]), tf.zeros([1, 4, 4, 1]) as tf.Tensor4D];
    const out = head.forward({ a, b });
    expect(out.shape).toEqual([1, 4, 4, 1]);
    Array.from(await out.data()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    expect(Array.from(bilinearHwc([0, 4, 8, 0], 2, 2, 1, 4, 4))).toEqual(expected);
    tf.dispose([out, a, b]);
    head.dispose();
  });

  it('CAM-guided head with a classMapGrid: each class map resized to that tap\'s grid with half-pixel centres (the 2x2 -> 4x4 case above)', async () => {
    const expected = [0, 1, 3, 4, 2, 2.25, 2.75, 3, 6, 4.75, 2.25, 1, 8, 6, 2, 0];
    const files = { ...fakeHeadFiles('seg', [layer('out', 'class_cam', 1, 1, false, 'linear')], { class_cam: 1 }, 1), weights: new Uint8Array(Float32Array.of(1).buffer) };
    const topology = files.modelJson.modelTopology as { inputs: { tap: string; channels: number }[]; classMap?: string; classMapGrid?: string };
    Object.assign(topology, { inputs: [{ tap: 'det_s4', channels: 2 }], classMap: 'class_cam', classMapGrid: 'det_s4' });
    const head = await load(files, 'seg', { det_s4: 2 });
    const [cams, fine] = [tf.tensor4d([0, 4, 8, 0, 1, 1, 1, 1], [2, 2, 2, 1]), tf.zeros([1, 4, 4, 2]) as tf.Tensor4D];
    const out = head.segmentClasses({ det_s4: fine }, cams);
    expect(out.shape).toEqual([2, 4, 4, 1]);
    const got = Array.from(await out.data());
    got.slice(0, 16).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    got.slice(16).forEach((v) => expect(v).toBeCloseTo(1, 6));
    expect(() => head.segmentClasses({}, cams)).toThrow('grid of det_s4, which was not given');
    tf.dispose([out, cams, fine]);
    head.dispose();
  });

  it('leaks no tensors across load, forward and dispose', async () => {
    const input = tf.zeros([1, 4, 4, 4]) as tf.Tensor4D;
    const baseline = tf.memory().numTensors;
    const head = await load(camFiles, 'cam', { fpn_s8: 4 });
    const { cams, logits } = head.classify({ fpn_s8: input }, { height: 4, width: 4 });
    tf.dispose([cams, logits, head.forward({ fpn_s8: input })]);
    head.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
    input.dispose();
  });
});

describe('loadHead validation', () => {
  const layers = [layer('conv', 'fpn_s8', 3, 5, true, 'relu'), layer('classifier', 'conv', 1, 3, false, 'relu')];
  const tapChannels = { fpn_s8: 4 };
  const good = () => fakeHeadFiles('cam', layers, tapChannels, 1);
  const tryLoad = (files: HeadFiles, kind: HeadKind = 'cam', channels: Record<string, number> = tapChannels) =>
    loadHead({ modelUrl: memoryHandler(files), kind, tapChannels: channels, name: 'models/x/cam/model.json' });
  const withSpecs = (files: HeadFiles, edit: (specs: tf.io.WeightsManifestEntry[]) => tf.io.WeightsManifestEntry[]): HeadFiles => ({
    ...files,
    modelJson: { ...files.modelJson, weightsManifest: [{ paths: ['weights.bin'], weights: edit(files.modelJson.weightsManifest[0].weights) }] },
  });

  it('names the file, the weight, and expected vs actual shape', async () => {
    // A layer declared 7 filters wide whose stored kernel has 5.
    const files = good();
    const topology = files.modelJson.modelTopology as { layers: LayerJson[] };
    topology.layers = [{ ...topology.layers[0], filters: 7 }, topology.layers[1]];
    await expect(tryLoad(files)).rejects.toThrow('models/x/cam/model.json: weight conv/kernel has shape [3,3,4,5], expected [3,3,4,7]');
  });

  it('rejects a head trained on taps this backbone does not have', async () => {
    await expect(tryLoad(good(), 'cam', { fpn_s8: 6 })).rejects.toThrow('models/x/cam/model.json: trained on fpn_s8 with 4 channels; this backbone\'s fpn_s8 has 6');
    await expect(tryLoad(good(), 'cam', { other: 4 })).rejects.toThrow('trained on backbone tap fpn_s8, which this backbone lacks (other)');
  });

  it('reports a weight of another dtype', async () => {
    const files = withSpecs(good(), (specs) => specs.map((s) => (s.name === 'conv/bias' ? { ...s, dtype: 'int32' as const } : s)));
    await expect(tryLoad(files)).rejects.toThrow('models/x/cam/model.json: weight conv/bias has dtype int32, expected float32');
  });

  it('reports a missing weight', async () => {
    const files = withSpecs(good(), (specs) => specs.filter((s) => s.name !== 'conv/bias'));
    await expect(tryLoad(files)).rejects.toThrow('models/x/cam/model.json: weight conv/bias is missing (expected shape [5])');
  });

  it('reports short weight data', async () => {
    const files = good();
    await expect(tryLoad({ ...files, weights: files.weights.subarray(0, 40) })).rejects.toThrow(/weight shards hold 40 bytes, the manifest needs \d+/);
  });

  it('reports weights the topology does not use', async () => {
    const files = withSpecs(good(), (specs) => [...specs, { name: 'stray', shape: [0], dtype: 'float32' }]);
    await expect(tryLoad(files)).rejects.toThrow('weights stray are not used by the topology');
  });

  it('reports a CAM head without a 1x1 classifier, an unknown input and an unsupported activation', async () => {
    const seg = fakeHeadFiles('seg', [layer('conv1', 'fpn_s8', 3, 5, true, 'relu'), layer('conv2', 'conv1', 3, 3, true, 'linear')], tapChannels, 1);
    await expect(tryLoad(seg, 'cam')).rejects.toThrow("the CAM head's last layer (conv2) must be a 1x1 conv of one input without resize");
    const unknownInput = fakeHeadFiles('cam', [layers[0], layer('classifier', 'nope', 1, 3, false, 'relu')], { ...tapChannels, nope: 5 }, 1);
    const topology = unknownInput.modelJson.modelTopology as { inputs: { tap: string }[] };
    topology.inputs = topology.inputs.filter((i) => i.tap !== 'nope');
    await expect(tryLoad(unknownInput)).rejects.toThrow('layer classifier: input nope is neither a backbone tap (fpn_s8) nor an earlier layer');
    const badActivation = good();
    (badActivation.modelJson.modelTopology as { layers: LayerJson[] }).layers = [layers[0], { ...layers[1], activation: 'gelu' as 'relu' }];
    await expect(tryLoad(badActivation)).rejects.toThrow('activation "gelu" is not one of linear, relu, elu');
    const alignCorners = good();
    (alignCorners.modelJson.modelTopology as { layers: LayerJson[] }).layers = [{ ...layers[0], then: 'resize_bilinear (align corners) to the grid of fpn_s8' }, layers[1]];
    await expect(tryLoad(alignCorners)).rejects.toThrow('then "resize_bilinear (align corners) to the grid of fpn_s8" is not supported (supported: "resize_bilinear (half-pixel centres) to the grid of <tap>")');
  });

  it('reports a classMapGrid without a class map, or naming no input tap', async () => {
    const seg = () => fakeHeadFiles('seg', [layer('conv1', 'fpn_s8', 3, 5, true, 'relu'), layer('conv2', 'conv1', 3, 3, true, 'linear')], tapChannels, 1);
    const withTopology = (extra: object) => {
      const files = seg();
      Object.assign(files.modelJson.modelTopology as object, extra);
      return tryLoad(files, 'seg');
    };
    await expect(withTopology({ classMapGrid: 'fpn_s8' })).rejects.toThrow('modelTopology.classMapGrid must name a tap, and needs a classMap');
    await expect(withTopology({ classMap: 'class_cam', classMapGrid: 'det_s4' })).rejects.toThrow('modelTopology.classMapGrid "det_s4" is not one of the head\'s input taps');
  });

  it('reports a missing shard file by its path', async () => {
    const { fileModelHandler } = await import('../node_io');
    const dir = mkdtempSync(path.join(tmpdir(), 'head-'));
    writeFileSync(path.join(dir, 'model.json'), JSON.stringify(good().modelJson));
    await expect(loadHead({ modelUrl: fileModelHandler(path.join(dir, 'model.json')), kind: 'cam', tapChannels })).rejects.toThrow(
      path.join(dir, 'weights.bin'),
    );
    rmSync(dir, { recursive: true });
  });
});
