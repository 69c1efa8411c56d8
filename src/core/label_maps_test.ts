import { describe, expect, it } from 'vitest';
import { camScores, labelsAtInput, resizeLabelsNearest, selectChannels, walkScores } from './label_maps';
import { mapsFrom } from './maps';

describe('label maps', () => {
  it('selects channels in the given order and rejects missing ones', () => {
    const maps = mapsFrom(Float32Array.from([1, 2, 3, 4, 5, 6]), 3, 1, 2);
    expect(Array.from(selectChannels(maps, [2, 0]).data)).toEqual([5, 6, 1, 2]);
    expect(() => selectChannels(maps, [3])).toThrow(/channel 3/);
  });

  it('builds CAM-only and walk scores with background in channel 0', () => {
    const cams = mapsFrom(Float32Array.from([0.9, 0.1, 0.5, 0.5]), 2, 1, 2);
    expect(Array.from(camScores(cams, [1], 0.2).data)).toEqual([0.2, 0.2, 0.5, 0.5].map(Math.fround));
    const walk = walkScores(cams, [0, 1], 2);
    expect(walk.data[0]).toBeCloseTo(0.1 ** 2, 7); // 1 - max(0.9, 0.5)
    expect(walk.data[1]).toBeCloseTo(0.5 ** 2, 7); // 1 - max(0.1, 0.5)
  });

  it('upsamples by the stride, crops the valid region, then argmaxes', () => {
    // 2 channels on a 1x2 grid, stride 2 -> 2x4 input; channel 1 wins on the right.
    const scores = mapsFrom(Float32Array.from([1, 0, 0, 1]), 2, 1, 2);
    // Half-pixel upsampling of [1, 0] to 4: [1, 0.75, 0.25, 0]; of [0, 1]: [0, 0.25, 0.75, 1].
    expect(Array.from(labelsAtInput(scores, 2, { width: 4, height: 2 }))).toEqual([0, 0, 1, 1, 0, 0, 1, 1]);
    expect(Array.from(labelsAtInput(scores, 2, { width: 3, height: 1 }))).toEqual([0, 0, 1]);
    expect(() => labelsAtInput(scores, 2, { width: 5, height: 1 })).toThrow(/exceeds/);
  });

  it('resizes labels without blending', () => {
    const labels = Uint8Array.from([1, 2, 3, 4]); // 2x2
    expect(Array.from(resizeLabelsNearest(labels, 2, 2, 4, 2))).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
  });
});
