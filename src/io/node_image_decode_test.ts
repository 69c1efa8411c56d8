import { encode as encodePng } from 'fast-png';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage, ImageDecodeError, MAX_DECODE_SIDE } from './node_image_decode';

const testdata = (name: string) => new Uint8Array(readFileSync(new URL(`testdata/${name}`, import.meta.url)));
const JPEG = testdata('pattern_20x12.jpg');
/** PIL's decode of JPEG (libjpeg-turbo), RGB: see testdata/README.md. */
const PIL_RGB = testdata('pattern_20x12.pil.rgb');
/** The 16x12 pattern every file in testdata/formats/ is drawn from (make_formats.py), lossless. */
const PATTERN = testdata('formats/pattern.png');

const rgba = (...pixels: number[][]) => pixels.flat();

/** Largest difference of any sample. */
function maxDifference(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length);
  return a.reduce((max, v, i) => Math.max(max, Math.abs(v - b[i])), 0);
}

describe('decodeImage', () => {
  it('reads an RGB PNG with opaque alpha', async () => {
    const png = encodePng({ width: 2, height: 1, data: Uint8Array.from([10, 20, 30, 40, 50, 60]), channels: 3, depth: 8 });
    const image = await decodeImage(png);
    expect([image.width, image.height, image.fullWidth, image.fullHeight, image.warning]).toEqual([2, 1, 2, 1, null]);
    expect(Array.from(image.data)).toEqual(rgba([10, 20, 30, 255], [40, 50, 60, 255]));
  });

  it('keeps the high byte of 16-bit grey + alpha', async () => {
    const png = encodePng({ width: 1, height: 2, data: Uint16Array.from([0x1234, 0xffff, 0xab00, 0x8000]), channels: 2, depth: 16 });
    expect(Array.from((await decodeImage(png)).data)).toEqual(rgba([0x12, 0x12, 0x12, 0xff], [0xab, 0xab, 0xab, 0x80]));
  });

  it('gives colours under transparency as a canvas hands them back: black when transparent, rounded through alpha', async () => {
    const png = encodePng({ width: 3, height: 1, data: Uint8Array.from([200, 100, 50, 128, 200, 100, 50, 0, 200, 100, 50, 255]), channels: 4, depth: 8 });
    expect(Array.from((await decodeImage(png)).data)).toEqual(rgba([199, 100, 50, 128], [0, 0, 0, 0], [200, 100, 50, 255]));
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

  it('decodes a 1x1 image', async () => {
    const png = encodePng({ width: 1, height: 1, data: Uint8Array.from([7, 8, 9]), channels: 3, depth: 8 });
    const image = await decodeImage(png);
    expect([image.width, image.height, ...image.data]).toEqual([1, 1, 7, 8, 9, 255]);
  });
});

describe('decodeImage: formats a browser opens', () => {
  it.each([
    // Lossless files give the pattern exactly; GIF: the first of two frames.
    ['lossless.webp', 0],
    ['animated.gif', 0],
    ['rgb24.bmp', 0],
    ['palette8.bmp', 0],
    ['rle8.bmp', 0],
    // RGB555 keeps 5 bits a channel.
    ['rgb555.bmp', 8],
    // JPEG variants: compression error only (a misread file is off by up to 255).
    ['progressive.jpg', 160],
  ])('%s gives the pattern (max difference %i)', async (name, tolerance) => {
    const expected = await decodeImage(PATTERN);
    const image = await decodeImage(testdata(`formats/${name}`));
    expect([image.width, image.height, image.warning]).toEqual([16, 12, null]);
    expect(maxDifference(image.data, expected.data)).toBeLessThanOrEqual(tolerance);
  });

  it('reads AVIF', async () => {
    const avif = await sharp(PATTERN).avif({ lossless: true }).toBuffer();
    const image = await decodeImage(avif);
    expect([image.width, image.height, image.warning]).toEqual([16, 12, null]);
    expect(maxDifference(image.data, (await decodeImage(PATTERN)).data)).toBeLessThanOrEqual(8);
  });

  it('reads greyscale, CMYK and YCCK JPEGs as RGB', async () => {
    const grey = await decodeImage(testdata('formats/grey.jpg'));
    expect([grey.width, grey.height]).toEqual([16, 12]);
    for (let i = 0; i < grey.data.length; i += 4) expect([grey.data[i + 1], grey.data[i + 2]]).toEqual([grey.data[i], grey.data[i]]);
    // Both hold the same CMYK samples: YCCK only stores them in another colour space.
    const cmyk = await decodeImage(testdata('formats/cmyk.jpg'));
    const ycck = await decodeImage(testdata('formats/ycck.jpg'));
    expect([cmyk.width, cmyk.height, ycck.width, ycck.height]).toEqual([16, 12, 16, 12]);
    expect(maxDifference(cmyk.data, ycck.data)).toBeLessThanOrEqual(12);
    // Top-left block: red; black (K) is lowest there.
    expect(Array.from(cmyk.data.subarray(0, 4))).toEqual([244, 0, 0, 255]);
  });

  it('reads a 32-bit BMP as opaque, as Chromium does (PIL wrote alpha 128 into its first pixel)', async () => {
    const image = await decodeImage(testdata('formats/rgba32.bmp'));
    expect(Array.from(image.data.subarray(0, 8))).toEqual([255, 0, 0, 255, 255, 0, 0, 255]);
  });

  it('reads a 1-bit BMP as black and white', async () => {
    const image = await decodeImage(testdata('formats/mono1.bmp'));
    expect([image.width, image.height]).toEqual([16, 12]);
    expect(image.data.every((v, i) => (i % 4 === 3 ? v === 255 : v === 0 || v === 255))).toBe(true);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('turns a JPEG with EXIF orientation %i upright, as browsers show it', async (orientation) => {
    const expected = await decodeImage(PATTERN);
    const image = await decodeImage(testdata(`formats/orientation_${orientation}.jpg`));
    expect([image.width, image.height, image.fullWidth, image.fullHeight]).toEqual([16, 12, 16, 12]);
    expect(maxDifference(image.data, expected.data)).toBeLessThanOrEqual(12);
  });
});

describe('decodeImage: large, damaged and wrong files', () => {
  it(`shrinks an image over ${MAX_DECODE_SIDE} px on a side while loading, keeping its upright full size`, async () => {
    // 9000x12000 as shown: stored 12000x9000 with EXIF orientation 6.
    const jpeg = await sharp({ create: { width: 12000, height: 9000, channels: 3, background: { r: 200, g: 120, b: 40 } } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const image = await decodeImage(jpeg);
    expect([image.width, image.height, image.fullWidth, image.fullHeight]).toEqual([3072, MAX_DECODE_SIDE, 9000, 12000]);
    expect(image.data.length).toBe(3072 * MAX_DECODE_SIDE * 4);
  });

  it('decodes a truncated JPEG as far as its data goes, with a warning', async () => {
    const full = await sharp(PATTERN).resize(160, 120).jpeg().toBuffer();
    const image = await decodeImage(full.subarray(0, Math.floor(full.length * 0.6)));
    expect([image.width, image.height]).toEqual([160, 120]);
    expect(image.warning).toBe('damaged image (premature end of JPEG image): decoded as far as the data goes');
    // The top rows survive: the red block.
    expect(Array.from(image.data.subarray(0, 3)).map((v) => Math.round(v / 16))).toEqual([16, 0, 0]);
  });

  it('decodes a BMP whose pixel data ends early, with a warning', async () => {
    const bmp = testdata('formats/rgb24.bmp');
    const image = await decodeImage(bmp.subarray(0, bmp.length - 100));
    expect([image.width, image.height]).toEqual([16, 12]);
    expect(image.warning).toMatch(/^damaged BMP: the pixel data ends early/);
  });

  it.each([
    ['an empty file', new Uint8Array(0), 'the file is empty'],
    ['text', new TextEncoder().encode('hello, not an image'), 'it is not an image (JPEG, PNG, GIF, WebP, AVIF or BMP)'],
    ['a GIF header alone', new TextEncoder().encode('GIF89a...'), /^the data is damaged \(/],
    ['a JPEG cut inside its header', JPEG.subarray(0, 100), /^the data is damaged \(/],
    ['a PNG cut inside its header', PATTERN.subarray(0, 20), /^the data is damaged \(|^it is not an image/],
    ['a BMP cut inside its header', testdata('formats/rgb24.bmp').subarray(0, 30), 'cannot decode it: damaged BMP: the file ends inside the header'],
    ['a TIFF', 'tiff', 'it is TIFF, not an image format browsers open (JPEG, PNG, GIF, WebP, AVIF, BMP)'],
  ])('refuses %s with one sentence', async (_, bytes, message) => {
    const file = typeof bytes === 'string' ? await sharp(PATTERN).tiff().toBuffer() : bytes;
    const error = await decodeImage(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageDecodeError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
});
