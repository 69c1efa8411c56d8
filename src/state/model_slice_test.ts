import { describe, expect, it } from 'vitest';
import type { ModelSetMeta } from '../models/pipeline/types';
import { chooseKept, groundTruthClasses, requestedModelNotice } from './model_slice';

const META = { classes: [{ voc: 8, name: 'cat' }, { voc: 12, name: 'dog' }, { voc: 15, name: 'person' }] } as ModelSetMeta;

describe('groundTruthClasses', () => {
  it('maps the mask classes the model knows to channels, best score first', () => {
    const gt = Uint8Array.from([0, 15, 8, 255, 3]); // 3 (bird) is not a class of this model
    expect(groundTruthClasses(gt, META, Float32Array.from([0.2, 0.9, 0.7]))).toEqual([2, 0]);
  });
});

describe('chooseKept', () => {
  const scores = Float32Array.from([0.9, 0.1, 0.2]);
  it('uses ground truth when asked and available, predictions otherwise, and says which', () => {
    expect(chooseKept('ground-truth', scores, { threshold: 0.5 }, Uint8Array.from([0, 12]), META)).toEqual({ keep: [1], keepGiven: true });
    expect(chooseKept('ground-truth', scores, { threshold: 0.5 }, null, META)).toEqual({ keep: [0], keepGiven: false });
    expect(chooseKept('predicted', scores, { threshold: 0.5 }, Uint8Array.from([0, 12]), META)).toEqual({ keep: [0], keepGiven: false });
  });

  it('falls back to predictions, not given, when the ground truth holds none of the classes', () => {
    expect(chooseKept('ground-truth', scores, { threshold: 0.5 }, Uint8Array.from([0, 3]), META)).toEqual({ keep: [0], keepGiven: false });
  });

  it('predicts with the threshold that goes with the scores', () => {
    expect(chooseKept('predicted', scores, { threshold: 0.15 }, null, META)).toEqual({ keep: [0, 2], keepGiven: false });
  });

  it('also keeps the classes the evidence names below its threshold, best first', () => {
    expect(chooseKept('predicted', scores, { threshold: 0.5, named: [1, 2] }, null, META)).toEqual({ keep: [0, 2, 1], keepGiven: false });
  });
});

describe('requestedModelNotice', () => {
  const sets = [
    { id: 'default', meta: META, unavailable: null },
    { id: 'nope', meta: null, unavailable: 'models/nope/meta.json is not served: this build has no trained weights in models/nope/.' },
  ];
  it('says nothing when the asked-for set opened', () => {
    expect(requestedModelNotice('default', sets, 'default')).toBeNull();
  });
  it('says why the asked-for set did not open and what opened instead', () => {
    expect(requestedModelNotice('nope', sets, 'default')).toBe(
      '?model=nope cannot be opened: models/nope/meta.json is not served: this build has no trained weights in models/nope/. Showing "default" instead.',
    );
    expect(requestedModelNotice('../x', sets, 'default')).toBe('?model=../x cannot be opened: there is no model set "../x"; known: default, nope. Showing "default" instead.');
  });
});
