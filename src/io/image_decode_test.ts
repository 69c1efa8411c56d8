import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { decodeImage } from './image_decode';

const rgba = (...pixels: number[][]) => pixels.flat();

describe('decodeImage', () => {
  it('reads an RGB PNG with opaque alpha', () => {
    const png = encodePng({ width: 2, height: 1, data: Uint8Array.from([10, 20, 30, 40, 50, 60]), channels: 3, depth: 8 });
    const image = decodeImage(png);
    expect([image.width, image.height]).toEqual([2, 1]);
    expect(Array.from(image.data)).toEqual(rgba([10, 20, 30, 255], [40, 50, 60, 255]));
  });

  it('keeps the high byte of 16-bit grey + alpha', () => {
    const png = encodePng({ width: 1, height: 2, data: Uint16Array.from([0x1234, 0xffff, 0xab00, 0x0100]), channels: 2, depth: 16 });
    expect(Array.from(decodeImage(png).data)).toEqual(rgba([0x12, 0x12, 0x12, 0xff], [0xab, 0xab, 0xab, 0x01]));
  });

  it('stretches 1-bit grey written by PIL to 0/255', () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAQAAAADAQAAAACcj5NrAAAADklEQVR4nGNgYAhg+AAAAeYBQTeHRRkAAAAASUVORK5CYII=', 'base64');
    const grey = Array.from(decodeImage(png).data).filter((_, i) => i % 4 === 0);
    expect(grey).toEqual([0, 0, 0, 0, 0, 255, 0, 255, 255, 255, 255, 255]);
  });

  it('maps a 2-bit indexed PNG written by PIL through its palette', () => {
    // Indices [[0,1,2,3]] x 3 rows, palette (0,1,2) (3,4,5) (6,7,8) (9,10,11).
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAQAAAADAgMAAADJmkZVAAAADFBMVEUAAQIDBAUGBwgJCgvcTDicAAAADElEQVR4nGOQZgBCAAD5AFIg1vUHAAAAAElFTkSuQmCC',
      'base64',
    );
    const row = rgba([0, 1, 2, 255], [3, 4, 5, 255], [6, 7, 8, 255], [9, 10, 11, 255]);
    expect(Array.from(decodeImage(png).data)).toEqual([...row, ...row, ...row]);
  });

  it('reads a JPEG through jpeg-js', () => {
    const pixels = new Uint8Array(16 * 8 * 4).fill(128);
    const bytes = jpeg.encode({ width: 16, height: 8, data: pixels }, 95).data;
    const image = decodeImage(bytes);
    expect([image.width, image.height]).toEqual([16, 8]);
    expect(Array.from(image.data).every((v, i) => (i % 4 === 3 ? v === 255 : Math.abs(v - 128) <= 2))).toBe(true);
  });

  it('rejects other bytes', () => {
    expect(() => decodeImage(new TextEncoder().encode('GIF89a...'))).toThrow(/not a JPEG or PNG/);
  });
});
