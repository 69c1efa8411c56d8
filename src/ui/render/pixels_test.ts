import { describe, expect, it } from 'vitest';
import { blendMask, classesIn } from './pixels';

describe('blendMask', () => {
  it('dims background and tints classes with their VOC colour', () => {
    const image = new Uint8ClampedArray([100, 100, 100, 255, 100, 100, 100, 255]);
    const out = blendMask(image, Uint8Array.from([0, 8]), 1);
    expect([...out.subarray(0, 4)]).toEqual([55, 55, 55, 255]);
    expect([...out.subarray(4, 8)]).toEqual([64, 0, 0, 255]); // cat = (64, 0, 0)
  });
});

describe('classesIn', () => {
  it('lists classes of several masks once, without background and ignore', () => {
    expect(classesIn(Uint8Array.from([0, 8, 255]), null, Uint8Array.from([15, 8]))).toEqual([8, 15]);
  });
});
