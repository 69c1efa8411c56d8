import { argmaxChannels, resizeBilinear, withBackground, withConstantBackground } from './cam';
import { ChannelMaps, createMaps, cropTopLeft } from './maps';

/**
 * From grid score maps to label images on the grid or at the input
 * (core/masks.ts builds the three stage masks from these).
 */

/** Where the image sits in the square network input (see models/pipeline/types.ts InputPlacement). */
export interface ValidRegion {
  /** Resized image size inside the input, before padding. */
  width: number;
  height: number;
}

/** The listed channels only, in the given order. */
export function selectChannels(maps: ChannelMaps, channels: readonly number[]): ChannelMaps {
  const n = maps.height * maps.width;
  const out = createMaps(channels.length, maps.height, maps.width);
  channels.forEach((c, k) => {
    if (c < 0 || c >= maps.channels) throw new Error(`channel ${c} does not exist (maps have ${maps.channels})`);
    out.data.set(maps.data.subarray(c * n, (c + 1) * n), k * n);
  });
  return out;
}

/** psa's CAM-only scores: kept classes plus a constant background (channel 0). */
export function camScores(cams: ChannelMaps, keep: readonly number[], backgroundScore: number): ChannelMaps {
  return withConstantBackground(selectChannels(cams, keep), backgroundScore);
}

/** The random walk's input: kept classes plus background (1 - max)^alpha (channel 0). */
export function walkScores(cams: ChannelMaps, keep: readonly number[], alpha: number): ChannelMaps {
  return withBackground(selectChannels(cams, keep), alpha);
}

/**
 * Grid scores -> per-pixel channel labels over the valid region: bilinear
 * upsampling by the grid stride to the whole input (padding included, as psa
 * upsamples before cropping), crop, argmax.
 */
export function labelsAtInput(scores: ChannelMaps, stride: number, region: ValidRegion): Uint8Array {
  const up = resizeBilinear(scores, scores.height * stride, scores.width * stride);
  return argmaxChannels(cropTopLeft(up, region.width, region.height));
}

/** Nearest-neighbour resize of a label image (labels must not be blended). */
export function resizeLabelsNearest(labels: Uint8Array, width: number, height: number, outWidth: number, outHeight: number): Uint8Array {
  const out = new Uint8Array(outWidth * outHeight);
  for (let y = 0; y < outHeight; y++) {
    const sy = Math.min(height - 1, Math.floor(((y + 0.5) * height) / outHeight));
    for (let x = 0; x < outWidth; x++) {
      const sx = Math.min(width - 1, Math.floor(((x + 0.5) * width) / outWidth));
      out[y * outWidth + x] = labels[sy * width + sx];
    }
  }
  return out;
}
