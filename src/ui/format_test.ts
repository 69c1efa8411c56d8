import { describe, expect, it } from 'vitest';
import { keptClasses } from '../core/masks';
import { formatScore, formatThreshold } from './format';

describe('formatScore', () => {
  it('floors, so a class just under the threshold never shows the threshold', () => {
    expect(formatScore(Math.fround(0.4996), 0.5)).toBe('49%');
    expect(formatScore(0.5, 0.5)).toBe('50%');
    expect(formatScore(0.999, 0.5)).toBe('99%');
    expect(formatScore(0.29, 0.29)).toBe('29%');
    expect(formatScore(Math.fround(0.29), 0.29)).toBe('28%'); // float32 0.29 is 0.28999999…, below the threshold
    expect(formatScore(0.5049, 0.505)).toBe('50.4%');
    expect(formatThreshold(0.505)).toBe('50.5%');
    expect(formatThreshold(0.3)).toBe('30%');
  });

  it('shows a score at or above the shown threshold exactly when the class passes it', () => {
    for (const threshold of [0.5, 0.3, 0.29, 0.07, 0.505, 0.123]) {
      const shown = parseFloat(formatThreshold(threshold));
      // Class scores come in a Float32Array, so every score here is a float32 value.
      const near = Array.from({ length: 2001 }, (_, i) => threshold + (i - 1000) * 1e-6);
      for (const score of [...near, 0, 1, threshold].map(Math.fround)) {
        const passes = keptClasses(Float32Array.of(score, 2), threshold).includes(0);
        expect(parseFloat(formatScore(score, threshold)) >= shown, `${score} against ${threshold}`).toBe(passes);
      }
    }
  });
});
