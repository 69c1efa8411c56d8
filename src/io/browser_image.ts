import { decodeLabelPng, LabelImage } from './label_png';

/** Browser-side image handling: decoding user files, samples and their ground truth. */

/** Files above this are refused before decoding (a phone photo is ~5-15 MB). */
export const MAX_FILE_BYTES = 40 * 1024 * 1024;
/** Longest side kept for display; larger photos are decoded downscaled, still sharp on screen, so a 100-megapixel photo never needs its full-size bitmap. */
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

export interface DecodedImageFile {
  /** Orientation applied, fitted into MAX_DISPLAY_SIDE. */
  bitmap: ImageBitmap;
  /** Set when the file is damaged but the browser shows part of it. */
  warning: string | null;
}

/**
 * Decodes a user's file with its EXIF orientation applied. Throws
 * ImageInputError with a message meant for people.
 */
export async function decodeImageFile(file: Blob, name: string): Promise<DecodedImageFile> {
  if (isSvg(file.type, name, await file.slice(0, 1024).text())) throw new ImageInputError(SVG_NOT_SUPPORTED);
  if (file.type && !file.type.startsWith('image/')) {
    throw new ImageInputError(`"${name}" is ${file.type}, not an image. Use a JPEG, PNG, WebP, GIF or BMP file.`);
  }
  if (file.size === 0) throw new ImageInputError(`"${name}" is empty.`);
  if (file.size > MAX_FILE_BYTES) {
    throw new ImageInputError(`"${name}" is ${(file.size / 2 ** 20).toFixed(0)} MB; the limit is ${MAX_FILE_BYTES / 2 ** 20} MB.`);
  }
  // The element gives the upright size without decoding the pixels, and shows damaged files as far as they go.
  const element = await loadImageElement(file).catch(() => {
    throw new ImageInputError(`"${name}" could not be decoded: the file is damaged or in a format this browser cannot read.`);
  });
  const { width, height } = fitted(element.naturalWidth, element.naturalHeight, MAX_DISPLAY_SIDE);
  try {
    const resize = width === element.naturalWidth && height === element.naturalHeight ? {} : { resizeWidth: width, resizeHeight: height, resizeQuality: 'high' as const };
    return { bitmap: await createImageBitmap(file, { imageOrientation: 'from-image', ...resize }), warning: null };
  } catch {
    // createImageBitmap wants the whole file; a truncated JPEG still shows in an <img> up to where its data ends.
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this browser cannot create a 2D canvas');
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(element, 0, 0, width, height);
    const warning = `"${name}" is damaged (cut short or corrupt): it is shown and analysed as far as this browser could decode it.`;
    return { bitmap: await createImageBitmap(canvas), warning };
  } finally {
    URL.revokeObjectURL(element.src);
  }
}

function loadImageElement(file: Blob): Promise<HTMLImageElement> {
  const element = new Image();
  const url = URL.createObjectURL(file);
  return new Promise((resolve, reject) => {
    element.onload = () => resolve(element);
    element.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error('not decodable'));
    };
    element.src = url;
  });
}

/** A size fitted into maxSide, aspect kept (never enlarged). */
function fitted(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** RGBA pixels for the networks: the image fitted into maxSide (never enlarged). */
export function networkPixels(bitmap: ImageBitmap, maxSide: number): ImageData {
  const { width, height } = fitted(bitmap.width, bitmap.height, maxSide);
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
