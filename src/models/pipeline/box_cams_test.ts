import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { keptBoxRegions, placeChannels, type Detection } from '../../core/class_evidence';
import { boxCams, objectness, withFallbackCams } from '../../core/testing/box_cams_reference';
import { createMaps } from '../../core/maps';
import { seededRandom } from '../../core/seeded_random';
import { useNodeWasmBackend } from '../node_wasm';
import { boxCamsOnDevice, inSetChannels } from './box_cams';

describe('box CAMs on the device', () => {
  beforeAll(async () => {
    await useNodeWasmBackend();
  });

  it("equal the core's boxCams with the CAM head's fallback, channel for channel", async () => {
    const [height, width, stride] = [12, 10, 8];
    const region = { height: 11, width: 9 };
    // The head knows set channels 0, 1, 3 and 4 (in the order 3, 0, 4, 1); set channel 2 it lacks.
    const headChannelOf = [1, 3, -1, 0, 2];
    const random = seededRandom(3);
    const head = createMaps(4, height, width);
    for (let k = 0; k < 4; k++) {
      for (let y = 0; y < region.height; y++) for (let x = 0; x < region.width; x++) head.data[(k * height + y) * width + x] = random();
    }
    // Two overlapping boxes of channel 1, a tiny one of channel 2, a weak one of channel 1 (dropped), a big one of channel 0.
    const detections: Detection[] = [
      { box: [3, 5, 50, 60], score: 0.8, channel: 1 },
      { box: [30, 20, 70, 90], score: 0.5, channel: 1 },
      { box: [41, 41, 43, 43], score: 0.4, channel: 2 },
      { box: [0, 0, 80, 20], score: 0.2, channel: 1 },
      { box: [-10, -10, 200, 200], score: 0.6, channel: 0 },
    ];
    const regions = keptBoxRegions(detections, 5, stride, region, { relative: 0.5, minScore: 0.1 });
    expect(regions.map((r) => r.channel)).toEqual([1, 1, 2, 0]);
    const headToSet = headChannelOf.flatMap((k, c) => (k < 0 ? [] : [[k, c]])).sort((a, b) => a[0] - b[0]).map(([, c]) => c);
    const expected = withFallbackCams(boxCams(regions, objectness(head), 5, { height, width }), placeChannels(head, headToSet, 5));

    const headTensor = tf.tidy(() => tf.transpose(tf.tensor3d(head.data, [4, height, width]), [1, 2, 0]).expandDims(0) as tf.Tensor4D);
    const setCams = inSetChannels(headTensor, headChannelOf);
    const before = tf.memory().numTensors;
    const onDevice = boxCamsOnDevice(regions, setCams);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(onDevice.shape).toEqual([1, height, width, 5]);
    const got = (await tf.tidy(() => tf.transpose(tf.squeeze(onDevice, [0]), [2, 0, 1])).data()) as Float32Array;
    tf.dispose([headTensor, setCams, onDevice]);
    let maxDiff = 0;
    for (let i = 0; i < got.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i] - expected.data[i]));
    expect(maxDiff).toBeLessThan(1e-6);
    // Every set channel holds something: regions for 0, 1 and 2, the head's CAM for 3 and 4.
    for (let c = 0; c < 5; c++) expect(Math.max(...expected.data.subarray(c * height * width, (c + 1) * height * width))).toBeGreaterThan(0.5);
  });

  it('fall back to the head (zeros where it lacks the class) when no box is kept', async () => {
    const head = tf.fill([1, 2, 2, 1], 0.25) as tf.Tensor4D;
    const setCams = inSetChannels(head, [-1, 0]);
    const out = boxCamsOnDevice([], setCams);
    expect(Array.from(await out.data())).toEqual([0, 0.25, 0, 0.25, 0, 0.25, 0, 0.25]);
    tf.dispose([head, setCams, out]);
  });

  it("use the head's own CAMs when its channels are the set's, and stay apart from them", async () => {
    const head = tf.tensor4d([0.5, 0.1, 1, 0.2, 0.25, 0.3, 0, 0.4], [1, 2, 2, 2]);
    const region = { channel: 1, weight: 0.5, y0: 0, y1: 1, x0: 0, x1: 2 };
    const setCams = inSetChannels(head, [0, 1]);
    const out = boxCamsOnDevice([region], setCams);
    // Channel 0 is the head's; channel 1 the region's: objectness [0.5, 1] over its peak 1, times 0.5, on row 0 only.
    const expected = [0.5, 0.25 / (1 + 1e-5), 1, 0.5 / (1 + 1e-5), 0.25, 0, 0, 0];
    Array.from(await out.data()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    tf.dispose([setCams, out]);
    expect(Array.from(await head.data())).toEqual([0.5, 0.1, 1, 0.2, 0.25, 0.3, 0, 0.4].map(Math.fround));
    head.dispose();
  });
});
