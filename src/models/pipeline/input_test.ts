import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bilinearHwc } from '../testing/bilinear_reference';
import { useNodeWasmBackend } from '../node_wasm';
import { networkInput } from './input';
import { placeImage } from './placement';

/** A 2x2 RGBA image from its three channels, each [top-left, top-right, bottom-left, bottom-right]; alpha 255. */
function rgba2x2(r: number[], g: number[], b: number[]): { width: number; height: number; data: Uint8Array } {
  return { width: 2, height: 2, data: Uint8Array.from([0, 1, 2, 3].flatMap((i) => [r[i], g[i], b[i], 255])) };
}

describe('networkInput', () => {
  beforeAll(async () => {
    await useNodeWasmBackend();
  });

  it('upsamples 2x2 to 4x4 with half-pixel centres: a case worked by hand', async () => {
    // Output index d reads the input at s = (d + 0.5) / 2 - 0.5, clamped to [0, 1]:
    // d = 0, 1, 2, 3 -> s = 0 (clamped from -0.25), 0.25, 0.75, 1 (clamped from 1.25),
    // so the weights of (input 0, input 1) are (1, 0), (3/4, 1/4), (1/4, 3/4), (0, 1) along each axis.
    // Red [[0, 4], [8, 0]], at output (y, x): 4 wy0 wx1 + 8 wy1 wx0, e.g.
    //   (1, 1): 4 (3/4)(1/4) + 8 (1/4)(3/4) = 0.75 + 1.5 = 2.25;  (2, 1): 4 (1/4)(1/4) + 8 (3/4)(3/4) = 0.25 + 4.5 = 4.75.
    // Green [[0, 4], [8, 12]] is 8 y + 4 x, affine, so bilinear keeps it: 8 sy + 4 sx with s = 0, 0.25, 0.75, 1.
    // Blue is constant 7.
    const red = [0, 1, 3, 4, 2, 2.25, 2.75, 3, 6, 4.75, 2.25, 1, 8, 6, 2, 0];
    const green = [0, 1, 3, 4, 2, 3, 5, 6, 6, 7, 9, 10, 8, 9, 11, 12];
    const image = rgba2x2([0, 4, 8, 0], [0, 4, 8, 12], [7, 7, 7, 7]);
    const placement = placeImage(2, 2, 4, 4);
    expect([placement.width, placement.height]).toEqual([4, 4]);

    const input = networkInput(image, placement, 4);
    const got = Array.from(await input.data());
    input.dispose();
    const byPixel = red.flatMap((v, i) => [v, green[i], 7]);
    got.forEach((v, i) => expect(v).toBeCloseTo(byPixel[i], 5));
    // The float64 reference the next test uses gives the same hand-worked values.
    expect(Array.from(bilinearHwc([0, 0, 7, 4, 4, 7, 8, 8, 7, 0, 12, 7], 2, 2, 3, 4, 4))).toEqual(byPixel);
  });

  it('resizes with half-pixel centres like a float64 reference, drops alpha and zero-pads bottom/right', async () => {
    const [w, h, size] = [7, 4, 16];
    const data = Uint8Array.from({ length: w * h * 4 }, (_, i) => (i * 37) % 256);
    const placement = placeImage(w, h, size, 8);
    expect([placement.width, placement.height]).toEqual([16, 9]);

    const input = networkInput({ width: w, height: h, data }, placement, size);
    expect(input.shape).toEqual([size, size, 3]);
    const got = await input.data();
    input.dispose();

    const rgb = Array.from(data).filter((_, i) => i % 4 !== 3);
    const ref = bilinearHwc(rgb, h, w, 3, placement.height, placement.width);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        for (let c = 0; c < 3; c++) {
          const expected = y < placement.height && x < placement.width ? ref[(y * placement.width + x) * 3 + c] : 0;
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
