import { encode as encodePng } from 'fast-png';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeImage } from './node_image_decode';
import { jpegSize } from './jpeg_size';

const JPEG = new Uint8Array(readFileSync(new URL('testdata/pattern_20x12.jpg', import.meta.url)));
/** PIL's decode of JPEG (libjpeg-turbo), RGB: see testdata/README.md. */
const PIL_RGB = new Uint8Array(readFileSync(new URL('testdata/pattern_20x12.pil.rgb', import.meta.url)));

const rgba = (...pixels: number[][]) => pixels.flat();

describe('decodeImage', () => {
  it('reads an RGB PNG with opaque alpha', async () => {
    const png = encodePng({ width: 2, height: 1, data: Uint8Array.from([10, 20, 30, 40, 50, 60]), channels: 3, depth: 8 });
    const image = await decodeImage(png);
    expect([image.width, image.height]).toEqual([2, 1]);
    expect(Array.from(image.data)).toEqual(rgba([10, 20, 30, 255], [40, 50, 60, 255]));
  });

  it('keeps the high byte of 16-bit grey + alpha', async () => {
    const png = encodePng({ width: 1, height: 2, data: Uint16Array.from([0x1234, 0xffff, 0xab00, 0x0100]), channels: 2, depth: 16 });
    expect(Array.from((await decodeImage(png)).data)).toEqual(rgba([0x12, 0x12, 0x12, 0xff], [0xab, 0xab, 0xab, 0x01]));
  });

  it('stretches 1-bit grey written by PIL to 0/255', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAQAAAADAQAAAACcj5NrAAAADklEQVR4nGNgYAhg+AAAAeYBQTeHRRkAAAAASUVORK5CYII=', 'base64');
    const grey = Array.from((await decodeImage(png)).data).filter((_, i) => i % 4 === 0);
    expect(grey).toEqual([0, 0, 0, 0, 0, 255, 0, 255, 255, 255, 255, 255]);
  });

  it('maps a 2-bit indexed PNG written by PIL through its palette', async () => {
    // Indices [[0,1,2,3]] x 3 rows, palette (0,1,2) (3,4,5) (6,7,8) (9,10,11).
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAQAAAADAgMAAADJmkZVAAAADFBMVEUAAQIDBAUGBwgJCgvcTDicAAAADElEQVR4nGOQZgBCAAD5AFIg1vUHAAAAAElFTkSuQmCC',
      'base64',
    );
    const row = rgba([0, 1, 2, 255], [3, 4, 5, 255], [6, 7, 8, 255], [9, 10, 11, 255]);
    expect(Array.from((await decodeImage(png)).data)).toEqual([...row, ...row, ...row]);
  });

  it('decodes a 4:2:0 JPEG to exactly the pixels PIL (libjpeg-turbo) gives', async () => {
    const image = await decodeImage(JPEG);
    expect([image.width, image.height]).toEqual([20, 12]);
    const rgb = Array.from(image.data).filter((_, i) => i % 4 !== 3);
    expect(rgb).toEqual(Array.from(PIL_RGB));
    expect(Array.from(image.data).filter((_, i) => i % 4 === 3).every((a) => a === 255)).toBe(true);
  });

  it('reads a JPEG size from its header', () => {
    expect(jpegSize(JPEG)).toEqual({ width: 20, height: 12 });
    expect(() => jpegSize(JPEG.subarray(0, 100))).toThrow(/no frame header/);
  });

  it('refuses a JPEG whose header claims more than 64 megapixels, before decoding', async () => {
    const huge = JPEG.slice();
    const sof = huge.findIndex((b, i) => b === 0xff && huge[i + 1] === 0xc0);
    huge.set([0x4e, 0x20, 0x4e, 0x20], sof + 5); // 20000 x 20000
    await expect(decodeImage(huge)).rejects.toThrow('image is 20000x20000, larger than 67108864 pixels');
  });

  it('rejects a damaged JPEG and other bytes', async () => {
    await expect(decodeImage(JPEG.subarray(0, 400))).rejects.toThrow();
    await expect(decodeImage(new TextEncoder().encode('GIF89a...'))).rejects.toThrow(/not a JPEG or PNG/);
  });
});
