import { describe, expect, it } from 'vitest';
import { boxIou } from './box_iou';

describe('boxIou', () => {
  it('is overlap over union, worked by hand', () => {
    // 2x2 boxes offset by one pixel each way: overlap 1, union 4 + 4 - 1 = 7.
    expect(boxIou([0, 0, 2, 2], [1, 1, 3, 3])).toBeCloseTo(1 / 7, 12);
    expect(boxIou([0, 0, 2, 2], [2, 0, 4, 2])).toBe(0);
    expect(boxIou([1, 2, 5, 6], [1, 2, 5, 6])).toBe(1);
  });
});
