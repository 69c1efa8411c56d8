import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMaps, mapsFrom, type ChannelMaps } from '../../core/maps';
import { walkInput } from '../../core/masks';
import { seededRandom } from '../../core/seeded_random';
import { packChannels } from '../../gpu/walk_layout';
import { useNodeWasmBackend } from '../node_wasm';
import { packOnDevice, uploadMaps, walkInputOnDevice } from './walk_input';

/** Normalised-looking CAMs with cells in the padding, some negative: (C, H, W). */
function randomCams(channels: number, height: number, width: number, seed: number): ChannelMaps {
  const random = seededRandom(seed);
  const maps = createMaps(channels, height, width);
  for (let i = 0; i < maps.data.length; i++) maps.data[i] = random() * 1.1 - 0.1;
  return maps;
}

/** [1, H, W, C] back to (C, H, W). */
async function downloaded(t: tf.Tensor4D): Promise<ChannelMaps> {
  const [, h, w, c] = t.shape;
  const chw = tf.tidy(() => tf.transpose(tf.squeeze(t, [0]), [2, 0, 1]));
  const data = (await chw.data()) as Float32Array;
  chw.dispose();
  return mapsFrom(data, c, h, w);
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

describe('the walk input on the tfjs device (Node, wasm)', () => {
  beforeAll(async () => {
    await useNodeWasmBackend();
  });

  it.each(['psa', 'grid'] as const)("equals core/masks.ts walkInput within 1e-5 (score order '%s')", async (order) => {
    // 7 x 9 grid at stride 4, the image 25 x 30 of its 28 x 36 pixels: the crop cuts through cells.
    const cams = randomCams(5, 7, 9, 1);
    const g = { stride: 4, region: { width: 30, height: 25 } };
    const keep = [3, 0, 4];
    const before = tf.memory().numTensors;
    const onCpu = walkInput(cams, keep, g, 16, order);
    const tensor = uploadMaps(cams);
    const scores = walkInputOnDevice(tensor, keep, g, 16, order);
    const onDevice = await downloaded(scores);
    tf.dispose([tensor, scores]);
    expect(tf.memory().numTensors).toBe(before);
    expect([onDevice.channels, onDevice.height, onDevice.width]).toEqual([onCpu.channels, onCpu.height, onCpu.width]);
    expect(maxAbsDiff(onDevice.data, onCpu.data)).toBeLessThan(1e-5);
  });

  it('packs [1, H, W, C] as gpu/walk_layout.ts packChannels packs (C, H, W)', async () => {
    const maps = randomCams(6, 3, 5, 2);
    const tensor = uploadMaps(maps);
    const packed = packOnDevice(tensor);
    expect(packed.shape).toEqual([2, 15, 4]);
    expect(Array.from(await packed.data())).toEqual(Array.from(packChannels(maps)));
    expect(await downloaded(tensor)).toEqual(maps);
    tf.dispose([tensor, packed]);
  });

  it('refuses a walk without a kept class', () => {
    const tensor = uploadMaps(randomCams(2, 2, 2, 3));
    expect(() => walkInputOnDevice(tensor, [], { stride: 2, region: { width: 4, height: 4 } }, 16, 'psa')).toThrow('at least one kept class');
    tensor.dispose();
  });
});
