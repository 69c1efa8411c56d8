import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resizeBilinear } from '../../core/cam';
import { createMaps } from '../../core/maps';
import { useNodeWasmBackend } from '../node_wasm';
import { networkInput } from './input';
import { placeImage } from './placement';

describe('networkInput', () => {
  beforeAll(async () => {
    await useNodeWasmBackend();
  });

  it('resizes with half-pixel centres like src/core, drops alpha and zero-pads bottom/right', async () => {
    const [w, h, size] = [7, 4, 16];
    const data = Uint8Array.from({ length: w * h * 4 }, (_, i) => (i * 37) % 256);
    const placement = placeImage(w, h, size, 8);
    expect([placement.width, placement.height]).toEqual([16, 9]);

    const input = networkInput({ width: w, height: h, data }, placement, size);
    expect(input.shape).toEqual([size, size, 3]);
    const got = await input.data();
    input.dispose();

    const rgb = createMaps(3, h, w);
    for (let i = 0; i < w * h; i++) for (let c = 0; c < 3; c++) rgb.data[c * w * h + i] = data[i * 4 + c];
    const ref = resizeBilinear(rgb, placement.height, placement.width);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        for (let c = 0; c < 3; c++) {
          const expected = y < placement.height && x < placement.width ? ref.data[(c * placement.height + y) * placement.width + x] : 0;
          expect(got[(y * size + x) * 3 + c]).toBeCloseTo(expected, 3);
        }
      }
    }
  });

  it('passes an image of the input size through unchanged', async () => {
    const data = Uint8Array.from({ length: 8 * 8 * 4 }, (_, i) => i % 251);
    const input = networkInput({ width: 8, height: 8, data }, placeImage(8, 8, 8, 8), 8);
    const got = Array.from(await input.data());
    input.dispose();
    expect(got).toEqual(Array.from(data).filter((_, i) => i % 4 !== 3));
    expect(tf.memory().numTensors).toBe(0);
  });
});
