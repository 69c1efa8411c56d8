import { describe, expect, it } from 'vitest';
import { mapsFrom } from './maps';
import { camsAtInput, pooledWalkScores } from './psa_scores';

describe('psa-order score maps', () => {
  // One class on a 1x2 grid, values [0, 1]; stride 2 -> a 2x4 input.
  const cams = mapsFrom(Float32Array.from([0, 1]), 1, 1, 2);

  it('upsamples with half-pixel centres, then normalises over the image', () => {
    // Columns sample the grid at -0.25 (clamped), 0.25, 0.75, 1.25 (clamped).
    const up = camsAtInput(cams, [0], 2, { width: 4, height: 2 });
    expect([up.channels, up.height, up.width]).toEqual([1, 2, 4]);
    const row = [0, 0.25, 0.75, 1].map((v) => v / (1 + 1e-5));
    Array.from(up.data).forEach((v, i) => expect(v).toBeCloseTo(row[i % 4], 6));
  });

  it('adds the background at input resolution before pooling (alpha 1 by hand)', () => {
    const s = pooledWalkScores(cams, [0], 1, 2, { width: 4, height: 2 });
    expect([s.channels, s.height, s.width]).toEqual([2, 1, 2]);
    // bg = 1 - cam = [1, .75, .25, 0] -> pooled [.875, .125]; cam pooled [.125, .875].
    [0.875, 0.125, 0.125, 0.875].forEach((v, i) => expect(s.data[i]).toBeCloseTo(v, 4));
  });

  it('normalises over the image only and leaves the padding at zero in every channel', () => {
    // The image covers the first input column only: its CAM there is 0 -> 0/(0+eps) = 0, bg = 1.
    const s = pooledWalkScores(cams, [0], 1, 2, { width: 1, height: 2 });
    // Cell 0 averages the image column (bg 1, cam 0) with a padded column (all 0).
    [0.5, 0, 0, 0].forEach((v, i) => expect(s.data[i]).toBeCloseTo(v, 6));
  });
});
