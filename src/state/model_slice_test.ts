import { describe, expect, it } from 'vitest';
import { keptClasses } from './model_slice';

describe('keptClasses', () => {
  it('keeps classes at or above the threshold, best first', () => {
    expect(keptClasses(Float32Array.from([0.6, 0.1, 0.9, 0.5]))).toEqual([2, 0, 3]);
  });

  it('keeps the best class when none reaches the threshold, so there is always a mask', () => {
    expect(keptClasses(Float32Array.from([0.2, 0.4, 0.1]))).toEqual([1]);
  });
});
