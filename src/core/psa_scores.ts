import { argmaxChannels, averagePool, normalizeCams, resizeBilinear, withBackground, withConstantBackground } from './cam';
import { selectChannels, type ValidRegion } from './label_maps';
import { ChannelMaps, createMaps, cropTopLeft } from './maps';

/**
 * Score maps in psa's order of operations (docs/algorithm.md §1, §4), which the
 * PyTorch pipeline in training/ follows: the kept CAMs are upsampled to the
 * input, normalised per class over the image there, given their background,
 * and only then average-pooled back to the grid for the walk. label_maps.ts
 * does the same steps on the grid, which is cheaper but not the same map:
 * (1 - max)^alpha does not commute with the 8x8 average.
 */

/** Kept CAMs bilinearly upsampled by `stride`, cropped to the image region, normalised per class there. */
export function camsAtInput(cams: ChannelMaps, keep: readonly number[], stride: number, region: ValidRegion): ChannelMaps {
  const up = resizeBilinear(selectChannels(cams, keep), cams.height * stride, cams.width * stride);
  return normalizeCams(cropTopLeft(up, region.width, region.height));
}

/** psa's CAM-only labels: channel 0 (the constant background score) or 1 + the index in `keep`. */
export function camLabelsAtInput(cams: ChannelMaps, keep: readonly number[], stride: number, region: ValidRegion, backgroundScore: number): Uint8Array {
  return argmaxChannels(withConstantBackground(camsAtInput(cams, keep, stride, region), backgroundScore));
}

/**
 * The random walk's input on the grid as psa builds it: background
 * (1 - max)^alpha at input resolution, zero padding below and right of the
 * image (psa pads after adding the background), then stride x stride average pooling.
 */
export function pooledWalkScores(cams: ChannelMaps, keep: readonly number[], alpha: number, stride: number, region: ValidRegion): ChannelMaps {
  const scores = withBackground(camsAtInput(cams, keep, stride, region), alpha);
  return averagePool(padBottomRight(scores, cams.width * stride, cams.height * stride), stride);
}

function padBottomRight(maps: ChannelMaps, width: number, height: number): ChannelMaps {
  const out = createMaps(maps.channels, height, width);
  for (let c = 0; c < maps.channels; c++) {
    for (let y = 0; y < maps.height; y++) {
      const src = (c * maps.height + y) * maps.width;
      out.data.set(maps.data.subarray(src, src + maps.width), (c * height + y) * width);
    }
  }
  return out;
}
