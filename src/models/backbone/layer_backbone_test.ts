import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/seeded_random';
import { useNodeWasmBackend } from '../node_wasm';
import { TINY_INPUT, tinyLayerBackbone } from '../testing/tiny_layer_backbone';
import { loadLayerBackbone } from './layer_backbone';
import type { TapName } from './types';

/** An H x W x C map in float64, HWC order. */
interface Map64 {
  h: number;
  w: number;
  c: number;
  data: Float64Array;
}

type Act = 'linear' | 'relu' | 'relu6';
const act = (v: number, a: Act) => (a === 'relu' ? Math.max(0, v) : a === 'relu6' ? Math.min(6, Math.max(0, v)) : v);

/** Textbook float64 convolution with symmetric zero padding, HWIO kernel; depthwise when `depthwise`. */
function convRef(x: Map64, kernel: Float64Array, k: number, stride: number, pad: number, filters: number, bias: Float64Array, a: Act, depthwise = false): Map64 {
  const h = Math.floor((x.h + 2 * pad - k) / stride) + 1;
  const w = Math.floor((x.w + 2 * pad - k) / stride) + 1;
  const data = new Float64Array(h * w * filters);
  for (let y = 0; y < h; y++) {
    for (let xx = 0; xx < w; xx++) {
      for (let o = 0; o < filters; o++) {
        let sum = bias[o];
        for (let ky = 0; ky < k; ky++) {
          for (let kx = 0; kx < k; kx++) {
            const sy = y * stride + ky - pad, sx = xx * stride + kx - pad;
            if (sy < 0 || sy >= x.h || sx < 0 || sx >= x.w) continue;
            const at = (sy * x.w + sx) * x.c;
            if (depthwise) sum += x.data[at + o] * kernel[(ky * k + kx) * x.c + o];
            else for (let c = 0; c < x.c; c++) sum += x.data[at + c] * kernel[((ky * k + kx) * x.c + c) * filters + o];
          }
        }
        data[(y * w + xx) * filters + o] = act(sum, a);
      }
    }
  }
  return { h, w, c: filters, data };
}

function addRef(maps: Map64[], a: Act): Map64 {
  return { ...maps[0], data: maps[0].data.map((_, i) => act(maps.reduce((s, m) => s + m.data[i], 0), a)) };
}

/** Bilinear resize with half-pixel centres (source = (i + 0.5) * in / out - 0.5, clamped at the edges). */
function resizeRef(x: Map64, h: number, w: number): Map64 {
  const taps = (o: number, n: number, out: number) => {
    const src = Math.max(0, ((o + 0.5) * n) / out - 0.5);
    const i0 = Math.min(n - 1, Math.floor(src));
    return [i0, Math.min(n - 1, i0 + 1), src - i0];
  };
  const data = new Float64Array(h * w * x.c);
  for (let y = 0; y < h; y++) {
    const [y0, y1, fy] = taps(y, x.h, h);
    for (let xx = 0; xx < w; xx++) {
      const [x0, x1, fx] = taps(xx, x.w, w);
      for (let c = 0; c < x.c; c++) {
        const v = (yy: number, xv: number) => x.data[(yy * x.w + xv) * x.c + c];
        data[(y * w + xx) * x.c + c] = (1 - fy) * ((1 - fx) * v(y0, x0) + fx * v(y0, x1)) + fy * ((1 - fx) * v(y1, x0) + fx * v(y1, x1));
      }
    }
  }
  return { h, w, c: x.c, data };
}

/** The tiny network in float64, layer by layer. */
function reference(image: Float64Array, size: number, w: Map<string, Float64Array>): Record<TapName, Map64> {
  const x: Map64 = { h: size, w: size, c: 3, data: image.map((v) => v * TINY_INPUT.scale + TINY_INPUT.offset) };
  const stem = convRef(x, w.get('stem/kernel')!, 3, 2, 1, 4, w.get('stem/bias')!, 'relu6');
  const dw = convRef(stem, w.get('dw/kernel')!, 3, 1, 1, 4, w.get('dw/bias')!, 'relu', true);
  const project = convRef(dw, w.get('project/kernel')!, 1, 1, 0, 4, w.get('project/bias')!, 'linear');
  const sum = addRef([stem, project], 'linear');
  const down = convRef(sum, w.get('down/kernel')!, 3, 2, 1, 6, w.get('down/bias')!, 'relu6');
  const up = resizeRef(convRef(down, w.get('up/kernel')!, 1, 1, 0, 4, w.get('up/bias')!, 'linear'), sum.h, sum.w);
  return { fpn_s8: addRef([sum, up], 'relu'), bb_s8: sum, bb_s16: dw, bb_s32: down };
}

describe('LayerBackbone', () => {
  beforeAll(async () => {
    await useNodeWasmBackend();
  });

  it('matches a float64 hand computation of every tap and leaks no tensors', async () => {
    const { handler, weights } = tinyLayerBackbone(3);
    const backbone = await loadLayerBackbone({ modelUrl: handler, name: 'tiny' });
    expect(backbone.tapShapes).toEqual({ fpn_s8: { channels: 4, stride: 2 }, bb_s8: { channels: 4, stride: 2 }, bb_s16: { channels: 4, stride: 2 }, bb_s32: { channels: 6, stride: 4 } });
    const size = 12;
    const random = seededRandom(11);
    const pixels = Float64Array.from({ length: size * size * 3 }, () => Math.floor(random() * 256));
    const image = tf.tensor3d(Float32Array.from(pixels), [size, size, 3]);
    const baseline = tf.memory().numTensors;
    const maps = backbone.extract(image);
    const expected = reference(pixels, size, weights);
    for (const key of Object.keys(expected) as TapName[]) {
      const want = expected[key];
      expect(maps[key].shape).toEqual([1, want.h, want.w, want.c]);
      const got = await maps[key].data();
      const err = Math.max(...Array.from(got, (v, i) => Math.abs(v - want.data[i])));
      expect(err, key).toBeLessThan(1e-5);
    }
    tf.dispose(Object.values(maps));
    expect(tf.memory().numTensors).toBe(baseline);
    image.dispose();
    backbone.dispose();
  });

  it('rejects inputs whose size the strides do not divide', async () => {
    const backbone = await loadLayerBackbone({ modelUrl: tinyLayerBackbone(1).handler });
    const odd = tf.zeros([10, 10, 3]) as tf.Tensor3D;
    expect(() => backbone.extract(odd)).toThrow('multiples of 4, got 10x10x3');
    odd.dispose();
    backbone.dispose();
  });

  const load = (edit: (json: Record<string, unknown>) => void) => loadLayerBackbone({ modelUrl: tinyLayerBackbone(1, edit).handler, name: 'models/x/backbone/model.json' });
  const topology = (json: Record<string, unknown>) => json.modelTopology as { layers: Record<string, unknown>[]; taps: Record<string, unknown> };
  const manifest = (json: Record<string, unknown>) => (json.weightsManifest as tf.io.WeightsManifestConfig)[0].weights;

  it('names the file and the weight when a weight is missing or misshapen', async () => {
    await expect(load((j) => manifest(j).splice(2, 1))).rejects.toThrow('models/x/backbone/model.json: weight dw/kernel is missing (expected shape [3,3,4,1])');
    await expect(load((j) => (manifest(j)[0].shape = [3, 3, 4, 3]))).rejects.toThrow('weight stem/kernel has shape [3,3,4,3], expected [3,3,3,4]');
  });

  it('rejects weights the topology does not use', async () => {
    await expect(load((j) => manifest(j).push({ name: 'up/extra', shape: [2], dtype: 'float32' }))).rejects.toThrow('weights up/extra are not used by the topology');
  });

  it('rejects bad topologies with the layer named', async () => {
    await expect(load((j) => (j.format = 'graph-model'))).rejects.toThrow('format is "graph-model", expected "affinitylab-backbone"');
    await expect(load((j) => (topology(j).layers[3].input = 'add(stem,down)'))).rejects.toThrow('layer sum: input down is neither "input" nor an earlier layer');
    await expect(load((j) => (topology(j).layers[6].input = 'add(sum,down)'))).rejects.toThrow('layer fused: adds sum (4 ch, stride 2) + down (6 ch, stride 4); they must match');
    await expect(load((j) => (topology(j).layers[0].type = 'conv3d'))).rejects.toThrow('(stem): type "conv3d" is not supported (supported: conv2d, depthwise_conv2d, add)');
    await expect(load((j) => (topology(j).taps.bb_s32 = { layer: 'down', stride: 32 }))).rejects.toThrow('taps.bb_s32: layer down has stride 4, the tap says 32');
    await expect(load((j) => delete topology(j).taps.fpn_s8)).rejects.toThrow('taps.fpn_s8 is missing');
  });
});
