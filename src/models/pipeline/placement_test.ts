import { describe, expect, it } from 'vitest';
import { placeImage } from './placement';

describe('placeImage', () => {
  it('keeps a square input size as it is', () => {
    expect(placeImage(512, 512, 512, 8)).toEqual({ imageWidth: 512, imageHeight: 512, width: 512, height: 512, gridWidth: 64, gridHeight: 64 });
  });

  it('fits the long side and rounds the short one; partial cells count as valid', () => {
    // 1000x333 -> scale 0.512 -> 512 x 170.496 -> 170 rows; 170 / 8 = 21.25 -> 22 grid rows.
    expect(placeImage(1000, 333, 512, 8)).toEqual({ imageWidth: 1000, imageHeight: 333, width: 512, height: 170, gridWidth: 64, gridHeight: 22 });
  });

  it('scales small images up and never collapses a side to zero', () => {
    expect(placeImage(100, 1, 512, 8)).toMatchObject({ width: 512, height: 5, gridHeight: 1 });
    expect(placeImage(10000, 1, 512, 8)).toMatchObject({ width: 512, height: 1 });
  });

  it('rejects empty sizes', () => {
    expect(() => placeImage(0, 10, 512, 8)).toThrow(/positive integers, got 0x10/);
  });
});
