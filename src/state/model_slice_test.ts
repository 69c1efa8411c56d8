import { describe, expect, it } from 'vitest';
import type { ModelSetMeta } from '../models/pipeline/types';
import { chooseKept, groundTruthClasses, keptClasses } from './model_slice';

describe('keptClasses', () => {
  it('keeps classes at or above the threshold, best first', () => {
    expect(keptClasses(Float32Array.from([0.6, 0.1, 0.9, 0.5]))).toEqual([2, 0, 3]);
  });

  it('keeps the best class when none reaches the threshold, so there is always a mask', () => {
    expect(keptClasses(Float32Array.from([0.2, 0.4, 0.1]))).toEqual([1]);
  });
});

const META = { classes: [{ voc: 8, name: 'cat' }, { voc: 12, name: 'dog' }, { voc: 15, name: 'person' }] } as ModelSetMeta;

describe('groundTruthClasses', () => {
  it('maps the mask classes the model knows to channels, best score first', () => {
    const gt = Uint8Array.from([0, 15, 8, 255, 3]); // 3 (bird) is not a class of this model
    expect(groundTruthClasses(gt, META, Float32Array.from([0.2, 0.9, 0.7]))).toEqual([2, 0]);
  });
});

describe('chooseKept', () => {
  const scores = Float32Array.from([0.9, 0.1, 0.2]);
  it('uses ground truth when asked and available, predictions otherwise', () => {
    expect(chooseKept('ground-truth', scores, Uint8Array.from([0, 12]), META)).toEqual([1]);
    expect(chooseKept('ground-truth', scores, null, META)).toEqual([0]);
    expect(chooseKept('ground-truth', scores, Uint8Array.from([0, 3]), META)).toEqual([0]);
    expect(chooseKept('predicted', scores, Uint8Array.from([0, 12]), META)).toEqual([0]);
  });
});
