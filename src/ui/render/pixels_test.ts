import { describe, expect, it } from 'vitest';
import { VOC_CLASSES } from '../../core/constants';
import { blendMask, classesIn, paletteCss } from './pixels';

describe('blendMask', () => {
  it('blends every label, background included, with its VOC colour', () => {
    const image = new Uint8ClampedArray([100, 100, 100, 255, 100, 100, 100, 255]);
    expect([...blendMask(image, Uint8Array.from([0, 8]), 1)]).toEqual([0, 0, 0, 255, 64, 0, 0, 255]); // cat = (64, 0, 0)
    expect([...blendMask(image, Uint8Array.from([0, 7]), 0.5)]).toEqual([50, 50, 50, 255, 114, 114, 114, 255]); // car = (128, 128, 128)
  });

  it('keeps every pair of VOC classes apart on any image, grey included', () => {
    const opacity = 0.6;
    const classes = VOC_CLASSES.map((_, c) => c);
    for (const grey of [0, 64, 128, 192, 255]) {
      const image = new Uint8ClampedArray(classes.length * 4).fill(grey);
      const out = blendMask(image, Uint8Array.from(classes), opacity);
      for (const a of classes) {
        for (const b of classes.slice(a + 1)) {
          const gap = Math.max(...[0, 1, 2].map((k) => Math.abs(out[a * 4 + k] - out[b * 4 + k])));
          expect(gap, `${VOC_CLASSES[a]} vs ${VOC_CLASSES[b]} on grey ${grey}`).toBeGreaterThanOrEqual(Math.floor(64 * opacity));
        }
      }
    }
  });
});

describe('paletteCss', () => {
  it('gives background VOC black, not a grey that reads as car', () => {
    expect(paletteCss(0)).toBe('rgb(0, 0, 0)');
    expect(paletteCss(7)).toBe('rgb(128, 128, 128)');
    expect(new Set(VOC_CLASSES.map((_, c) => paletteCss(c))).size).toBe(VOC_CLASSES.length);
  });
});

describe('classesIn', () => {
  it('lists classes of several masks once, without background and ignore', () => {
    expect(classesIn(Uint8Array.from([0, 8, 255]), null, Uint8Array.from([15, 8]))).toEqual([8, 15]);
  });
});
