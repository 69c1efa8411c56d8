import { describe, expect, it } from 'vitest';
import { mapsFrom } from './maps';
import { camMask, channelLabelsToClassIds, keptBelowThreshold, keptByEvidence, keptClasses, maskMiou, segmentationMask, stageMasks, walkMask, type MaskParameters, type Walker } from './masks';

describe('kept classes', () => {
  it('keeps every class at or above the threshold, best first', () => {
    expect(keptClasses(Float32Array.from([0.1, 0.7, 0.5, 0.9]), 0.5)).toEqual([3, 1, 2]);
  });

  it('keeps the best class alone when none passes, and says so', () => {
    const scores = Float32Array.from([0.1, 0.3, 0.2]);
    const keep = keptClasses(scores, 0.5);
    expect(keep).toEqual([1]);
    expect(keptBelowThreshold(scores, keep, 0.5)).toBe(true);
    expect(keptBelowThreshold(scores, keptClasses(scores, 0.25), 0.25)).toBe(false);
  });

  it('adds the named classes whatever their score, in score order, to those the threshold keeps or to the best alone', () => {
    const scores = Float32Array.from([0.1, 0.3, 0.2, 0.6]);
    expect(keptClasses(scores, 0.5, [0, 2])).toEqual([3, 2, 0]);
    expect(keptClasses(scores, 0.7, [2])).toEqual([3, 2]);
    expect(keptClasses(scores, 0.5, [3])).toEqual([3]);
  });

  it("keeps by an image's evidence: its threshold, and its named classes when it has any", () => {
    const scores = Float32Array.from([0.1, 0.3, 0.2, 0.6]);
    expect(keptByEvidence(scores, { threshold: 0.5 })).toEqual([3]);
    expect(keptByEvidence(scores, { threshold: 0.25, named: [0] })).toEqual([3, 1, 0]);
  });

  it('keeps nothing for a model without classes', () => {
    expect(keptClasses(new Float32Array(0))).toEqual([]);
  });
});

describe('stage masks', () => {
  it('maps channel labels to class ids through the kept classes', () => {
    expect(Array.from(channelLabelsToClassIds(Uint8Array.from([0, 1, 2, 1]), [3, 0], [8, 12, 15, 19]))).toEqual([0, 19, 8, 19]);
  });

  it('scores a mask by mIoU over the classes present, ignoring 255', () => {
    // Background: 1 pixel shared, 2 in the union -> 1/2; dog (12): 2 of 3 -> 2/3.
    expect(maskMiou(Uint8Array.from([0, 12, 12, 12, 0]), Uint8Array.from([0, 0, 12, 12, 255]))).toBeCloseTo((1 / 2 + 2 / 3) / 2, 12);
  });

  // A 1x2 grid at stride 1: class channel 1 (VOC 12) is strong on the left only.
  const g = { stride: 1, region: { width: 2, height: 1 }, vocOfChannel: [8, 12] };
  const cams = mapsFrom(Float32Array.from([0.1, 0.05, 1, 0]), 2, 1, 2);

  it('draws the CAM mask against the constant background, in both score orders', () => {
    expect(Array.from(camMask(cams, [1], g, 0.2, 'grid'))).toEqual([12, 0]);
    expect(Array.from(camMask(cams, [1], g, 0.2, 'psa'))).toEqual([12, 0]);
    // Normalised by its max, channel 0 reads [1, 0.5]: both above 0.2.
    expect(Array.from(camMask(cams, [0], g, 0.2, 'psa'))).toEqual([8, 8]);
  });

  it('draws the walk and segmentation masks through the class ids', () => {
    // Channel 0 background, then keep = [1].
    expect(Array.from(walkMask(mapsFrom(Float32Array.from([0.2, 0.9, 0.8, 0.1]), 2, 1, 2), [1], g))).toEqual([12, 0]);
    // Segmentation: background, VOC 8, VOC 12.
    expect(Array.from(segmentationMask(mapsFrom(Float32Array.from([0, 5, 1, 0, 2, 0]), 3, 1, 2), g))).toEqual([12, 0]);
  });

  it('draws segmentation logits of a finer grid at their own stride (segStride)', () => {
    // CAM grid: one cell of 2 pixels (stride 2); the logits' grid: two cells of one pixel (stride 1), so
    // each pixel reads its own cell: VOC 12 (2 > 1 > 0), then background (0 > -1 > -3). Read at
    // stride 2 instead, pixel 1 would blend a quarter of cell 1 into cell 0 and stay VOC 12.
    const logits = mapsFrom(Float32Array.from([0, 0, 1, -3, 2, -1]), 3, 1, 2);
    const coarse = { stride: 2, region: { width: 2, height: 1 }, vocOfChannel: [8, 12] };
    expect(Array.from(segmentationMask(logits, { ...coarse, segStride: 1 }))).toEqual([12, 0]);
    expect(Array.from(segmentationMask(logits, coarse))).toEqual([12, 12]);
  });

  it('compares walked classes each over its own peak', () => {
    // A small object's class was averaged down to 0.3 by the walk; the other reads 0.5 there.
    // Raw, the left cell would go to VOC 12; over the peaks (0.3 and 0.9) it is VOC 8's.
    const walked = mapsFrom(Float32Array.from([0.1, 0.1, 0.3, 0.05, 0.5, 0.9]), 3, 1, 2);
    expect(Array.from(walkMask(walked, [0, 1], g))).toEqual([8, 12]);
  });

  it('gives an all-background CAM and walk mask for an empty label set', () => {
    const inputs = { cams, embedding: mapsFrom(Float32Array.from([0, 1]), 1, 1, 2), segLogits: mapsFrom(Float32Array.from([0, 5, 1, 0, 2, 0]), 3, 1, 2) };
    const p: MaskParameters = { alpha: 1, beta: 1, steps: 0, radius: 2, camBackground: 0.2, order: 'grid' };
    const [none, dog] = stageMasks(inputs, g, [[], [1]], p);
    expect(Array.from(none.cam)).toEqual([0, 0]);
    expect(Array.from(none.rw)).toEqual([0, 0]);
    expect(Array.from(none.final)).toEqual([12, 0]);
    // t = 0: the walk's input itself; background 1 - max = [0, 1] against the class [1, 0].
    expect(Array.from(dog.rw)).toEqual([12, 0]);
  });

  it('walks with the walker it is given, once per label set that has classes', () => {
    const inputs = { cams, embedding: mapsFrom(Float32Array.from([0, 1]), 1, 1, 2), segLogits: mapsFrom(Float32Array.from([0, 5, 1, 0, 2, 0]), 3, 1, 2) };
    const p: MaskParameters = { alpha: 1, beta: 1, steps: 3, radius: 2, camBackground: 0.2, order: 'grid' };
    // A stand-in walk that swaps the background and the class, whatever the steps: the revised mask flips.
    let started = 0;
    const swapped: Walker = (_transition, scores) => {
      started += 1;
      const n = scores.height * scores.width;
      const maps = mapsFrom(Float32Array.from([...scores.data.subarray(n, 2 * n), ...scores.data.subarray(0, n)]), 2, scores.height, scores.width);
      let step = 0;
      return {
        get step() {
          return step;
        },
        advance: (k = 1) => {
          step += k;
        },
        current: () => maps,
      };
    };
    const [none, dog] = stageMasks(inputs, g, [[], [1]], p, swapped);
    expect(started).toBe(1);
    expect(Array.from(none.rw)).toEqual([0, 0]);
    expect(Array.from(dog.rw)).toEqual([0, 12]);
  });
});
