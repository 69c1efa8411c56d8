import { describe, expect, it } from 'vitest';
import { sliderFromT, tFromSlider } from './walk_scale';

describe('t slider scale', () => {
  it('is the identity in linear mode', () => {
    expect(tFromSlider(37, 256, false)).toBe(37);
    expect(sliderFromT(37, 256, false)).toBe(37);
  });

  it('keeps both ends and gives early steps more room in log mode', () => {
    expect(tFromSlider(0, 256, true)).toBe(0);
    expect(tFromSlider(256, 256, true)).toBe(256);
    expect(tFromSlider(128, 256, true)).toBe(15);
    for (const t of [0, 1, 4, 15, 100, 256]) expect(Math.abs(tFromSlider(sliderFromT(t, 256, true), 256, true) - t)).toBeLessThanOrEqual(Math.max(1, t * 0.03));
  });
});
