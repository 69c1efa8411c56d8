import { describe, expect, it } from 'vitest';
import { agreementShortfalls, pixelAgreement } from './agreement';

describe('pixel agreement', () => {
  it('is the share of pixels with the same label', () => {
    expect(pixelAgreement(Uint8Array.of(0, 8, 8, 10), Uint8Array.of(0, 8, 10, 10))).toBe(0.75);
    expect(() => pixelAgreement(new Uint8Array(3), new Uint8Array(4))).toThrow('label maps of 3 and 4 pixels cannot be compared');
  });

  it('fails a stage below the threshold, passes one at or above it, and skips one not compared', () => {
    expect(agreementShortfalls({ cam: 0.99, rw: 0.9899, final: NaN }, 0.99)).toEqual(['rw: 98.99% of pixels agree, below the required 99.0%']);
    expect(agreementShortfalls({ cam: 1, rw: 0.995 }, 0.99)).toEqual([]);
  });
});
