import { describe, expect, it } from 'vitest';
import { combineAlphaLabels, pairLabels } from './affinity_labels';
import { IGNORE_LABEL } from './constants';
import { PairIndices } from './pairs';

describe('affinity labels', () => {
  it('keeps confident foreground, confident background, ignores the rest', () => {
    // low alpha (bg amplified):   high alpha (bg suppressed):
    //   0 8 8                        0 8 8
    //   0 0 15                       0 8 15
    const low = Uint8Array.from([0, 8, 8, 0, 0, 15]);
    const high = Uint8Array.from([0, 8, 8, 0, 8, 15]);
    expect(Array.from(combineAlphaLabels(low, high))).toEqual([0, 8, 8, 0, IGNORE_LABEL, 15]);
  });

  it('labels pairs as bg-positive, fg-positive, negative or nothing', () => {
    const labels = Uint8Array.from([0, 0, 8, 8, 15, IGNORE_LABEL]);
    const pairs: PairIndices = {
      from: Int32Array.from([0, 2, 0, 3, 4, 1]),
      to: Int32Array.from([1, 3, 2, 4, 5, 5]),
      offsets: [],
      sourcesPerOffset: 6,
    };
    const { bgPos, fgPos, neg } = pairLabels(labels, pairs);
    expect(Array.from(bgPos)).toEqual([1, 0, 0, 0, 0, 0]);
    expect(Array.from(fgPos)).toEqual([0, 1, 0, 0, 0, 0]);
    expect(Array.from(neg)).toEqual([0, 0, 1, 1, 0, 0]);
  });
});
