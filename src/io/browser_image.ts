import { decodeLabelPng, LabelImage } from './label_png';

/** Browser-side image handling: decoding user files, samples and their ground truth. */

/** Files above this are refused before decoding (a phone photo is ~5-15 MB). */
export const MAX_FILE_BYTES = 40 * 1024 * 1024;
/** Decoded images above this many pixels are refused (memory for the bitmap alone would be ~400 MB). */
export const MAX_IMAGE_PIXELS = 100 * 1024 * 1024;
/** Longest side kept for display; larger photos are downscaled once, still sharp on screen. */
export const MAX_DISPLAY_SIDE = 4096;

/** Below this many pixels on a side the grid has only a few cells (8 px each): analysed, with a warning. */
export const MIN_IMAGE_SIDE = 32;

export class ImageInputError extends Error {}

/** Browsers cannot decode SVG into an ImageBitmap from a Blob, and a drawing has no pixels of its own to segment. */
export const SVG_NOT_SUPPORTED = 'SVG is not supported';

/** An SVG file by its type, its name or (for files that have neither) its opening text. */
export function isSvg(type: string, name: string, head: string): boolean {
  return type === 'image/svg+xml' || /\.svgz?$/i.test(name) || /^\uFEFF?\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(head);
}

/** A warning for people about an image too small to say much, or null. */
export function smallImageWarning(width: number, height: number): string | null {
  if (width >= MIN_IMAGE_SIDE && height >= MIN_IMAGE_SIDE) return null;
  return `This image is only ${width}×${height} pixels (under ${MIN_IMAGE_SIDE} on a side): the networks see a few 8-pixel cells of it, so the maps say little. It is analysed anyway.`;
}

/**
 * Decodes a user's file with its EXIF orientation applied. Throws
 * ImageInputError with a message meant for people.
 */
export async function decodeImageFile(file: Blob, name: string): Promise<ImageBitmap> {
  if (isSvg(file.type, name, await file.slice(0, 1024).text())) throw new ImageInputError(SVG_NOT_SUPPORTED);
  if (file.type && !file.type.startsWith('image/')) {
    throw new ImageInputError(`"${name}" is ${file.type}, not an image. Use a JPEG, PNG, WebP, GIF or BMP file.`);
  }
  if (file.size === 0) throw new ImageInputError(`"${name}" is empty.`);
  if (file.size > MAX_FILE_BYTES) {
    throw new ImageInputError(`"${name}" is ${(file.size / 2 ** 20).toFixed(0)} MB; the limit is ${MAX_FILE_BYTES / 2 ** 20} MB.`);
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    throw new ImageInputError(`"${name}" could not be decoded: the file is damaged or in a format this browser cannot read.`);
  }
  const { width, height } = bitmap;
  if (width * height > MAX_IMAGE_PIXELS) {
    bitmap.close();
    throw new ImageInputError(`"${name}" is ${width}×${height} pixels; the limit is ${MAX_IMAGE_PIXELS / 2 ** 20} megapixels.`);
  }
  const scale = MAX_DISPLAY_SIDE / Math.max(width, height);
  if (scale >= 1) return bitmap;
  const smaller = await createImageBitmap(bitmap, {
    resizeWidth: Math.round(width * scale),
    resizeHeight: Math.round(height * scale),
    resizeQuality: 'high',
  });
  bitmap.close();
  return smaller;
}

/** RGBA pixels for the networks: the image fitted into maxSide (never enlarged). */
export function networkPixels(bitmap: ImageBitmap, maxSide: number): ImageData {
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('this browser cannot create a 2D canvas');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, width, height);
  return ctx.getImageData(0, 0, width, height);
}

/** Fetches a same-origin file; HTTP errors name the URL. */
export async function fetchBlob(url: string): Promise<Blob> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.blob();
}

/** A VOC-indexed ground-truth PNG (pixel value = class, 255 = ignore). */
export async function fetchGroundTruth(url: string): Promise<LabelImage> {
  return decodeLabelPng(new Uint8Array(await (await fetchBlob(url)).arrayBuffer()));
}
