import { decode, encode } from 'fast-png';
import { vocPalette } from '../core/palette';

/**
 * Label images as 8-bit indexed PNGs (colour type 3): the pixel value is the
 * class index and the palette gives the colour, the format of PASCAL VOC's
 * SegmentationClass files. Pure JS (fast-png + fflate), so the CLI, the
 * evaluation and the browser's export write byte-identical files.
 */

export interface LabelImage {
  width: number;
  height: number;
  /** One class index per pixel, row-major. */
  labels: Uint8Array;
}

/** Encodes labels with a 256-entry RGB palette (default: VOC's). */
export function encodeLabelPng({ width, height, labels }: LabelImage, palette: Uint8Array = vocPalette()): Uint8Array {
  if (labels.length !== width * height) {
    throw new Error(`a ${width}x${height} label image needs ${width * height} labels, got ${labels.length}`);
  }
  if (palette.length !== 256 * 3) throw new Error(`palette must hold 256 RGB entries (768 bytes), got ${palette.length}`);
  const colours = Array.from({ length: 256 }, (_, k) => Array.from(palette.subarray(k * 3, k * 3 + 3)));
  return encode({ width, height, data: labels, depth: 8, channels: 1, palette: colours });
}

/**
 * Decodes an indexed or greyscale PNG of 1-8 bits to its raw pixel values
 * (palette indices, not colours; PIL writes small palettes with fewer bits).
 * Anything else cannot be a label image: it throws.
 */
export function decodeLabelPng(bytes: Uint8Array): LabelImage {
  const png = decode(bytes);
  const { width, height, depth, data } = png;
  if (png.channels !== 1 || depth > 8) {
    throw new Error(`not a label PNG: ${png.channels} channel(s) of ${depth} bits; expected one channel of at most 8 bits`);
  }
  return { width, height, labels: unpackRows(data, width, height, depth) };
}

/** Rows of `depth`-bit samples, each row padded to whole bytes -> one byte per sample. */
export function unpackRows(data: ArrayLike<number>, width: number, height: number, depth: number): Uint8Array {
  if (depth === 8) return Uint8Array.from(data);
  const out = new Uint8Array(width * height);
  const rowBytes = Math.ceil((width * depth) / 8);
  const mask = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      out[y * width + x] = (data[y * rowBytes + (bit >> 3)] >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return out;
}
