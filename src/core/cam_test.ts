import { describe, expect, it } from 'vitest';
import { argmaxChannels, averagePool, normalizeCams, normalizeClassPeaks, resizeBilinear, withBackground, withConstantBackground } from './cam';
import { mapsFrom } from './maps';

describe('CAM post-processing', () => {
  it('normalises each class by its own max + 1e-5', () => {
    const cams = mapsFrom(new Float32Array([0, 2, 4, 1, 1, 0.5]), 2, 1, 3);
    const out = normalizeCams(cams);
    expect(Array.from(out.data)).toEqual([0, 2 / 4.00001, 4 / 4.00001, 1 / 1.00001, 1 / 1.00001, 0.5 / 1.00001].map(Math.fround));
  });

  it('divides each walked class by its own peak, background and all-zero channels as they are', () => {
    const walked = mapsFrom(new Float32Array([0.5, 1, 0.2, 0.1, 0.4, 0.2, 0, 0, 0]), 3, 1, 3);
    expect(Array.from(normalizeClassPeaks(walked).data)).toEqual([0.5, 1, 0.2, 0.25, 1, 0.5, 0, 0, 0].map(Math.fround));
  });

  it('puts (1 - max_c M_c)^alpha in front as channel 0', () => {
    const cams = mapsFrom(new Float32Array([0.5, 0, 1, 0.25, 0.75, 0]), 2, 1, 3);
    const out = withBackground(cams, 2);
    expect(out.channels).toBe(3);
    expect(Array.from(out.data.subarray(0, 3))).toEqual([0.5 ** 2, 0.25 ** 2, 0]); // max_c = 0.5, 0.75, 1
    expect(Array.from(out.data.subarray(3))).toEqual(Array.from(cams.data));
  });

  it('clamps the background base at 0 (no NaN for fractional alpha)', () => {
    const out = withBackground(mapsFrom(new Float32Array([1.2]), 1, 1, 1), 0.5);
    expect(out.data[0]).toBe(0);
  });

  it('adds psa\'s constant background score for CAM-only evaluation', () => {
    const out = withConstantBackground(mapsFrom(new Float32Array([0.1, 0.9]), 1, 1, 2));
    expect(Array.from(out.data)).toEqual([0.2, 0.2, 0.1, 0.9].map(Math.fround));
    expect(Array.from(argmaxChannels(out))).toEqual([0, 1]);
  });

  it('average-pools k x k windows, partial windows over the pixels they cover', () => {
    // 3x5 image, k = 2 -> 2x3 grid.
    const img = mapsFrom(Float32Array.from({ length: 15 }, (_, i) => i), 1, 3, 5);
    const out = averagePool(img, 2);
    expect([out.height, out.width]).toEqual([2, 3]);
    expect(Array.from(out.data)).toEqual([(0 + 1 + 5 + 6) / 4, (2 + 3 + 7 + 8) / 4, (4 + 9) / 2, (10 + 11) / 2, (12 + 13) / 2, 14]);
  });

  it('upsamples with half-pixel centres like torch align_corners=False', () => {
    // torch.nn.functional.interpolate(tensor([[[[0., 1.]]]]), size=(1, 4), mode='bilinear') -> 0, .25, .75, 1
    const out = resizeBilinear(mapsFrom(new Float32Array([0, 1]), 1, 1, 2), 1, 4);
    expect(Array.from(out.data)).toEqual([0, 0.25, 0.75, 1]);
    // Downsampling 4 -> 2 samples at source positions 0.5 and 2.5.
    const down = resizeBilinear(mapsFrom(new Float32Array([0, 1, 2, 3]), 1, 1, 4), 1, 2);
    expect(Array.from(down.data)).toEqual([0.5, 2.5]);
  });

  it('argmax keeps the first channel on ties', () => {
    const maps = mapsFrom(new Float32Array([1, 0, 0.5, 1, 2, 0.5]), 2, 1, 3);
    expect(Array.from(argmaxChannels(maps))).toEqual([0, 1, 0]);
  });
});
