import { describe, expect, it } from 'vitest';
import { IGNORE_LABEL } from './constants';
import { classesOnlyPredicted, confusionMatrix, iouPerClass, meanIoU, meanIoUOverTruth } from './metrics';

describe('segmentation metrics', () => {
  // gt:   0 0 1 1 2 255      pred: 0 1 1 1 0 2
  const gt = Uint8Array.from([0, 0, 1, 1, 2, IGNORE_LABEL]);
  const pred = Uint8Array.from([0, 1, 1, 1, 0, 2]);

  it('counts gt x pred and skips ignore pixels', () => {
    expect(Array.from(confusionMatrix(pred, gt, 3))).toEqual([1, 1, 0, 0, 2, 0, 1, 0, 0]);
  });

  it('computes IoU per class and their mean', () => {
    const cm = confusionMatrix(pred, gt, 3);
    // class 0: tp 1, gt 2, pred 2 -> 1/3; class 1: tp 2, gt 2, pred 3 -> 2/3; class 2: tp 0 -> 0
    expect(Array.from(iouPerClass(cm, 3))).toEqual([1 / 3, 2 / 3, 0]);
    expect(meanIoU(cm, 3)).toBeCloseTo(1 / 3, 12);
  });

  it('leaves classes absent from both out of the mean', () => {
    const cm = confusionMatrix(Uint8Array.from([0, 1]), Uint8Array.from([0, 1]), 4);
    expect(Number.isNaN(iouPerClass(cm, 4)[3])).toBe(true);
    expect(meanIoU(cm, 4)).toBe(1);
  });

  it('leaves classes only the prediction uses out of the mean over the ground truth', () => {
    // gt: 0 0 1 1    pred: 0 3 1 1 -> class 3 never in gt; class 0: tp 1, gt 2, pred 1 -> 1/2; class 1: 1; class 3: 0
    const cm = confusionMatrix(Uint8Array.from([0, 3, 1, 1]), Uint8Array.from([0, 0, 1, 1]), 4);
    expect(classesOnlyPredicted(cm, 4)).toEqual([3]);
    expect(meanIoU(cm, 4)).toBeCloseTo((1 / 2 + 1 + 0) / 3, 12);
    expect(meanIoUOverTruth(cm, 4)).toBeCloseTo((1 / 2 + 1) / 2, 12);
    expect(classesOnlyPredicted(confusionMatrix(pred, gt, 3), 3)).toEqual([]);
  });
});
