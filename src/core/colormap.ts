/**
 * Perceptually uniform colour maps for score and affinity heatmaps. Viridis
 * (matplotlib's default, CC0) is sampled at 33 evenly spaced points; linear
 * interpolation between them stays within 3 of 255 of the full table per channel.
 */

const VIRIDIS_KNOTS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84], [71, 13, 96], [72, 24, 106], [72, 35, 116], [71, 45, 123], [69, 55, 129], [66, 64, 134],
  [62, 73, 137], [59, 82, 139], [55, 91, 141], [51, 99, 141], [47, 107, 142], [44, 114, 142], [41, 122, 142],
  [38, 130, 142], [35, 137, 142], [33, 145, 140], [31, 152, 139], [31, 160, 136], [34, 167, 133], [40, 174, 128],
  [50, 182, 122], [63, 188, 115], [78, 195, 107], [94, 201, 98], [112, 207, 87], [132, 212, 75], [152, 216, 62],
  [173, 220, 48], [194, 223, 35], [216, 226, 25], [236, 229, 27], [253, 231, 37],
];

/** A 256-entry RGB lookup table, entry k for value k / 255. */
export type ColormapLut = Uint8Array;

function interpolateKnots(knots: readonly (readonly [number, number, number])[]): ColormapLut {
  const lut = new Uint8Array(256 * 3);
  const segments = knots.length - 1;
  for (let k = 0; k < 256; k++) {
    const pos = (k / 255) * segments;
    const i = Math.min(segments - 1, Math.floor(pos));
    const f = pos - i;
    for (let c = 0; c < 3; c++) lut[k * 3 + c] = Math.round(knots[i][c] * (1 - f) + knots[i + 1][c] * f);
  }
  return lut;
}

export const VIRIDIS: ColormapLut = interpolateKnots(VIRIDIS_KNOTS);

/** LUT index for a value in [lo, hi]; NaN and values outside are clamped to the ends. */
export function colormapIndex(value: number, lo = 0, hi = 1): number {
  const t = (value - lo) / (hi - lo);
  if (!(t > 0)) return 0;
  if (t >= 1) return 255;
  return Math.round(t * 255);
}

export interface HeatmapOptions {
  lo?: number;
  hi?: number;
  /** Opacity 0..1 applied to every pixel; `alphaByValue` scales it by the value so low scores fade out. */
  opacity?: number;
  alphaByValue?: boolean;
  lut?: ColormapLut;
}

/**
 * A (height, width) scalar map as RGBA pixels (ImageData layout). NaN cells
 * (e.g. neighbours outside the grid) are fully transparent.
 */
export function heatmapRgba(values: ArrayLike<number>, options: HeatmapOptions = {}): Uint8ClampedArray {
  const { lo = 0, hi = 1, opacity = 1, alphaByValue = false, lut = VIRIDIS } = options;
  const out = new Uint8ClampedArray(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    const k = colormapIndex(v, lo, hi);
    out[i * 4] = lut[k * 3];
    out[i * 4 + 1] = lut[k * 3 + 1];
    out[i * 4 + 2] = lut[k * 3 + 2];
    out[i * 4 + 3] = Math.round(255 * opacity * (alphaByValue ? k / 255 : 1));
  }
  return out;
}

/** CSS linear-gradient stops for a legend bar. */
export function colormapGradientCss(lut: ColormapLut = VIRIDIS, stops = 9): string {
  const parts: string[] = [];
  for (let s = 0; s < stops; s++) {
    const k = Math.round((s / (stops - 1)) * 255);
    parts.push(`rgb(${lut[k * 3]}, ${lut[k * 3 + 1]}, ${lut[k * 3 + 2]}) ${Math.round((s / (stops - 1)) * 100)}%`);
  }
  return `linear-gradient(to right, ${parts.join(', ')})`;
}
