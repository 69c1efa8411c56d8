import sharp, { type Metadata, type Sharp } from 'sharp';
import { decodeBmp, isBmp } from './bmp_decode';
import type { RgbaImage } from './rgba_image';

/**
 * Image files to RGBA pixels for Node (CLI, evaluation, training features),
 * where no canvas exists. Node-only: sharp is a native addon. sharp (libvips,
 * whose JPEG decoder is libjpeg-turbo's) gives Chromium's own pixels for
 * JPEGs (e2e/image_pixels.e2e.ts), so the CLI, evaluation, training features
 * and the app see the same pixels; as a browser does, it applies the EXIF
 * orientation, reads a GIF's first frame and decodes a truncated JPEG as far
 * as its data goes.
 */

/** Recorded with cached features: features from another decoder are stale. */
export const IMAGE_DECODER = `sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips}, libjpeg-turbo decoding)`;
/** Earlier decoders whose pixels are identical for the JPEGs they could read (same libjpeg-turbo arithmetic). */
export const SAME_PIXELS_AS = ['@jsquash/jpeg 1.6.0 (MozJPEG = libjpeg-turbo decoding)'];

/** Longest side decoded, as the app keeps for display: larger images are shrunk while they load, so memory stays bounded. */
export const MAX_DECODE_SIDE = 4096;
/** Larger sources are refused: decoding one would take minutes even shrunk (JPEG's own limit is 65535 on a side). */
const MAX_SOURCE_PIXELS = 2 ** 30;

/** BMPs decode whole before shrinking (no libvips loader): 512 MB of RGBA at most. */
const MAX_BMP_PIXELS = 2 ** 27;

/** Formats a browser opens (SVG aside: the app refuses drawings too). */
const BROWSER_FORMATS = new Set(['jpeg', 'png', 'gif', 'webp', 'heif']);

export interface DecodedImage extends RgbaImage {
  /** The image's upright size, as a browser shows it; width and height are smaller when it was shrunk to MAX_DECODE_SIDE. */
  fullWidth: number;
  fullHeight: number;
  /** What was wrong with a file that still decoded (a truncated JPEG), for people. */
  warning: string | null;
}

/** A file that is not an image or cannot be decoded; the message is one sentence for people. */
export class ImageDecodeError extends Error {}

export async function decodeImage(bytes: Uint8Array, { maxSide = MAX_DECODE_SIDE }: { maxSide?: number } = {}): Promise<DecodedImage> {
  if (bytes.length === 0) throw new ImageDecodeError('the file is empty');
  if (isBmp(bytes)) return decodeBmpFile(bytes, maxSide);
  const warnings: string[] = [];
  const input = () => {
    const image = sharp(bytes, { failOn: 'none', limitInputPixels: MAX_SOURCE_PIXELS, autoOrient: true });
    image.on('warning', (message: string) => warnings.push(message));
    return image;
  };
  let meta: Metadata;
  try {
    meta = await input().metadata();
  } catch (e) {
    throw decodeError(e);
  }
  if (!BROWSER_FORMATS.has(meta.format ?? '') || (meta.format === 'heif' && meta.compression !== 'av1')) {
    throw new ImageDecodeError(`it is ${meta.format?.toUpperCase() ?? 'an unknown format'}, not an image format browsers open (JPEG, PNG, GIF, WebP, AVIF, BMP)`);
  }
  const fullWidth = meta.autoOrient?.width ?? meta.width;
  const fullHeight = meta.autoOrient?.height ?? meta.height;
  if (fullWidth * fullHeight > MAX_SOURCE_PIXELS) throw new ImageDecodeError(`it is ${fullWidth}x${fullHeight} pixels, more than the ${MAX_SOURCE_PIXELS} this tool decodes`);
  let image: RgbaImage;
  try {
    image = meta.space === 'cmyk' && !meta.hasProfile ? await cmykAsChromium(fit(input(), maxSide)) : await rgba(fit(input(), maxSide));
  } catch (e) {
    throw decodeError(e);
  }
  return { ...image, fullWidth, fullHeight, warning: warnings.length > 0 ? damagedWarning(warnings) : null };
}

function decodeBmpFile(bytes: Uint8Array, maxSide: number): Promise<DecodedImage> {
  let bmp;
  try {
    bmp = decodeBmp(bytes, MAX_BMP_PIXELS);
  } catch (e) {
    throw new ImageDecodeError(`cannot decode it: ${(e as Error).message}`);
  }
  const { width, height, data, truncated } = bmp;
  const decoded = { fullWidth: width, fullHeight: height, warning: truncated ? 'damaged BMP: the pixel data ends early; the missing part is left transparent' : null };
  if (Math.max(width, height) <= maxSide) return Promise.resolve({ width, height, data, ...decoded });
  return rgba(fit(sharp(data, { raw: { width, height, channels: 4 } }), maxSide)).then((image) => ({ ...image, ...decoded }));
}

/** Fits the upright image into maxSide; for JPEG, libjpeg's DCT scaling does most of the shrinking while it decodes. */
function fit(image: Sharp, maxSide: number): Sharp {
  return image.resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true });
}

async function rgba(image: Sharp): Promise<RgbaImage> {
  // 8-bit sRGB whatever the source (grey, palette, 16-bit); 16-bit samples keep their high byte.
  // Alpha is added here, not with sharp's ensureAlpha(), which loses libvips' warnings.
  const { data, info } = await image.toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  const pixels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (info.channels === 4) return { width: info.width, height: info.height, data: asCanvasReadsIt(pixels) };
  const out = new Uint8Array(info.width * info.height * 4).fill(255);
  for (let i = 0; i < info.width * info.height; i++) out.set(pixels.subarray(i * 3, i * 3 + 3), i * 4);
  return { width: info.width, height: info.height, data: out };
}

/**
 * Colours under transparency as the app reads them back from its canvas,
 * which stores them multiplied by alpha: transparent pixels come back black,
 * partly transparent ones lose precision (Chromium rounds 0.15% of the
 * colour/alpha pairs one level differently). In place.
 */
function asCanvasReadsIt(rgba: Uint8Array): Uint8Array {
  for (let i = 0; i < rgba.length; i += 4) {
    const a = rgba[i + 3];
    if (a === 255) continue;
    for (let c = i; c < i + 3; c++) {
      const t = rgba[c] * a + 128;
      const premultiplied = (t + (t >> 8)) >> 8;
      rgba[c] = a === 0 ? 0 : Math.min(255, Math.floor((premultiplied * 255 + a / 2) / a));
    }
  }
  return rgba;
}

/**
 * CMYK and YCCK JPEGs without a colour profile as Chromium shows them: it takes
 * the samples as Adobe's inverted CMYK and multiplies each colour by black,
 * truncating (libvips would go through a CMYK profile, tens of levels apart).
 * libvips hands out the samples un-inverted.
 */
async function cmykAsChromium(image: Sharp): Promise<RgbaImage> {
  const { data, info } = await image.pipelineColourspace('cmyk').toColourspace('cmyk').raw().toBuffer({ resolveWithObject: true });
  const out = new Uint8Array(info.width * info.height * 4);
  for (let i = 0; i < info.width * info.height; i++) {
    const k = 255 - data[i * 4 + 3];
    for (let c = 0; c < 3; c++) out[i * 4 + c] = Math.floor(((255 - data[i * 4 + c]) * k) / 255);
    out[i * 4 + 3] = 255;
  }
  return { width: info.width, height: info.height, data: out };
}

/** libvips' messages repeat and span lines; people get the first. */
function firstLine(message: string): string {
  return message.split('\n').map((line) => line.replace(/^Vips\w+: /, '').trim()).find((line) => line !== '' && !/^read gave \d+ warnings?$/.test(line)) ?? message;
}

function decodeError(e: unknown): ImageDecodeError {
  const message = (e as Error).message;
  if (/unsupported image format/.test(message)) return new ImageDecodeError('it is not an image (JPEG, PNG, GIF, WebP, AVIF or BMP)');
  if (/exceeds pixel limit/.test(message)) return new ImageDecodeError(`it has more than the ${MAX_SOURCE_PIXELS} pixels this tool decodes`);
  return new ImageDecodeError(`the data is damaged (${firstLine(message.replace(/^Input buffer has corrupt header: /, ''))})`);
}

function damagedWarning(warnings: string[]): string {
  return `damaged image (${firstLine(warnings.join('\n'))}): decoded as far as the data goes`;
}
