import { describe, expect, it } from 'vitest';
import { decodeBmp } from './bmp_decode';

/** A BMP with an info header (40 bytes): file header, header, palette (BGR0), then the pixel data as given. */
function bmp({ width, height, bpp, compression = 0, palette = [] as number[][], data }: { width: number; height: number; bpp: number; compression?: number; palette?: number[][]; data: number[] }): Uint8Array {
  const offset = 14 + 40 + palette.length * 4;
  const out = new Uint8Array(offset + data.length);
  const view = new DataView(out.buffer);
  out.set([0x42, 0x4d]);
  view.setUint32(2, out.length, true);
  view.setUint32(10, offset, true);
  view.setUint32(14, 40, true);
  view.setInt32(18, width, true);
  view.setInt32(22, height, true);
  view.setUint16(26, 1, true);
  view.setUint16(28, bpp, true);
  view.setUint32(30, compression, true);
  view.setUint32(46, palette.length, true);
  palette.forEach(([r, g, b], k) => out.set([b, g, r, 0], 54 + k * 4));
  out.set(data, offset);
  return out;
}

const RED = [255, 0, 0];
const BLUE = [0, 0, 255];

describe('decodeBmp', () => {
  it('reads RLE4: runs of alternating nibbles, absolute runs, end of line and of bitmap', () => {
    // Bottom-up: the first line coded is the image's last row.
    const image = decodeBmp(bmp({ width: 4, height: 2, bpp: 4, compression: 2, palette: [RED, BLUE], data: [4, 0x01, 0, 0, 0, 3, 0x10, 0x10, 0, 1] }));
    expect(image.truncated).toBe(false);
    const colours = Array.from({ length: 8 }, (_, i) => Array.from(image.data.subarray(i * 4, i * 4 + 4)));
    // Top row: absolute run 1 0 1 (the fourth pixel never set: transparent); bottom row: 0 1 0 1.
    expect(colours).toEqual([[...BLUE, 255], [...RED, 255], [...BLUE, 255], [0, 0, 0, 0], [...RED, 255], [...BLUE, 255], [...RED, 255], [...BLUE, 255]]);
  });

  it('reads top-down rows (negative height) padded to 4 bytes', () => {
    const image = decodeBmp(bmp({ width: 1, height: -2, bpp: 24, data: [0, 0, 255, 0, 255, 0, 0, 0] }));
    expect([image.width, image.height]).toEqual([1, 2]);
    expect(Array.from(image.data)).toEqual([255, 0, 0, 255, 0, 0, 255, 255]);
  });

  it('reads 32-bit BI_RGB samples as opaque, whatever the fourth byte', () => {
    const image = decodeBmp(bmp({ width: 2, height: 1, bpp: 32, data: [1, 2, 3, 0, 4, 5, 6, 128] }));
    expect(Array.from(image.data)).toEqual([3, 2, 1, 255, 6, 5, 4, 255]);
  });

  it('refuses embedded JPEG/PNG and impossible sizes by name', () => {
    expect(() => decodeBmp(bmp({ width: 1, height: 1, bpp: 24, compression: 4, data: [] }))).toThrow('BMP compression 4 (embedded JPEG/PNG or unknown) is not supported');
    expect(() => decodeBmp(bmp({ width: 0, height: 1, bpp: 24, data: [] }))).toThrow('damaged BMP: size 0x1');
    expect(() => decodeBmp(bmp({ width: 1, height: 1, bpp: 7, data: [] }))).toThrow('damaged BMP: 7 bits per pixel');
    // An RLE header may claim any size in a few bytes: refused before the pixels are allocated.
    expect(() => decodeBmp(bmp({ width: 60000, height: 60000, bpp: 8, compression: 1, palette: [RED], data: [0, 1] }), 2 ** 27)).toThrow(
      'the BMP is 60000x60000 pixels, more than the 134217728 this tool decodes',
    );
  });
});
