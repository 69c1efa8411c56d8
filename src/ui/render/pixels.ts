import { vocPalette } from '../../core/palette';

/** Pixel-level drawing helpers for the canvases (pure, on RGBA arrays). */

export const VOC_PALETTE = vocPalette();

export function paletteCss(classId: number): string {
  return `rgb(${VOC_PALETTE[classId * 3]}, ${VOC_PALETTE[classId * 3 + 1]}, ${VOC_PALETTE[classId * 3 + 2]})`;
}

/**
 * The image with its mask blended on top: every label, background included,
 * is its VOC colour at `opacity` (background is black, so it darkens the
 * image and never looks like car's grey). Two labels then differ by their
 * colours' difference times `opacity` on any image: at least 64 · opacity in
 * some channel for VOC's colours, so a grey car on grey gravel still shows.
 */
export function blendMask(image: Uint8ClampedArray, labels: Uint8Array, opacity: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(image.length);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    const p = i * 4;
    for (let k = 0; k < 3; k++) out[p + k] = image[p + k] * (1 - opacity) + VOC_PALETTE[c * 3 + k] * opacity;
    out[p + 3] = 255;
  }
  return out;
}

/** Classes that occur in any of the label images, ascending (background excluded). */
export function classesIn(...masks: (Uint8Array | null)[]): number[] {
  const seen = new Set<number>();
  for (const mask of masks) if (mask) for (const c of mask) if (c !== 0 && c !== 255) seen.add(c);
  return [...seen].sort((a, b) => a - b);
}

/** Writes RGBA pixels into a canvas, resizing it to the pixels' size. */
export function putPixels(canvas: HTMLCanvasElement, rgba: Uint8ClampedArray, width: number, height: number): void {
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, width, height), 0, 0);
}
