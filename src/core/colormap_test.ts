import { describe, expect, it } from 'vitest';
import { VIRIDIS, colormapGradientCss, colormapIndex, heatmapRgba } from './colormap';

/** Entries of matplotlib's 256-colour viridis table (rounded to 8 bits). */
const MATPLOTLIB_VIRIDIS: [number, [number, number, number]][] = [
  [0, [68, 1, 84]], [37, [70, 51, 127]], [100, [42, 118, 142]], [128, [33, 145, 140]], [200, [112, 207, 87]], [255, [253, 231, 37]],
];

describe('viridis', () => {
  it('matches matplotlib within 3 levels', () => {
    for (const [k, rgb] of MATPLOTLIB_VIRIDIS) {
      rgb.forEach((v, c) => expect(Math.abs(VIRIDIS[k * 3 + c] - v)).toBeLessThanOrEqual(3));
    }
  });

  it('gets lighter monotonically (perceptually ordered)', () => {
    let previous = -1;
    for (let k = 0; k < 256; k++) {
      const luma = 0.2126 * VIRIDIS[k * 3] + 0.7152 * VIRIDIS[k * 3 + 1] + 0.0722 * VIRIDIS[k * 3 + 2];
      expect(luma).toBeGreaterThanOrEqual(previous - 0.5);
      previous = luma;
    }
  });
});

describe('colormapIndex', () => {
  it('clamps and maps the range onto 0..255', () => {
    expect(colormapIndex(-1)).toBe(0);
    expect(colormapIndex(NaN)).toBe(0);
    expect(colormapIndex(2)).toBe(255);
    expect(colormapIndex(0.5)).toBe(128);
    expect(colormapIndex(15, 10, 20)).toBe(128);
  });
});

describe('heatmapRgba', () => {
  it('colours values, leaves NaN transparent and fades by value when asked', () => {
    const px = heatmapRgba([0, 1, NaN], { alphaByValue: true, opacity: 0.5 });
    expect([...px.subarray(0, 4)]).toEqual([68, 1, 84, 0]);
    expect([...px.subarray(4, 8)]).toEqual([253, 231, 37, 128]);
    expect([...px.subarray(8, 12)]).toEqual([0, 0, 0, 0]);
  });
});

describe('colormapGradientCss', () => {
  it('runs from the first to the last colour', () => {
    const css = colormapGradientCss(VIRIDIS, 3);
    expect(css).toBe('linear-gradient(to right, rgb(68, 1, 84) 0%, rgb(33, 145, 140) 50%, rgb(253, 231, 37) 100%)');
  });
});
