import type { BoxRegion } from '../class_evidence';
import { CAM_NORM_EPS } from '../constants';
import { createMaps, type ChannelMaps } from '../maps';

/**
 * Test reference: the detector's box CAMs (docs/algorithm.md §1b) on the CPU
 * over typed arrays, written for clarity. The pipeline builds them on the
 * device (models/pipeline/box_cams.ts), and its tests hold it to these.
 */

/** Per cell, the largest of the (normalised) CAMs: where the CAM head sees any object. */
export function objectness(cams: ChannelMaps): Float32Array {
  const n = cams.height * cams.width;
  const out = new Float32Array(n);
  for (let c = 0; c < cams.channels; c++) {
    for (let i = 0; i < n; i++) out[i] = Math.max(out[i], cams.data[c * n + i]);
  }
  return out;
}


/**
 * CAMs from boxes, one channel per class. Each region gets the CAM
 * head's objectness divided by its maximum inside the region, times the
 * region's weight; where regions of a class overlap, the larger value.
 * Normalising per box rather than per class lets a small or faint object
 * reach the height of the class's largest one: with one peak per class, the
 * small people and ducks beside a bright one fell under the background
 * score. The box says which class and roughly where; the objectness gives
 * the shape inside it, and the random walk then pulls the mask onto the
 * object's outline.
 */
export function boxCams(regions: readonly BoxRegion[], objectnessMap: Float32Array, channels: number, grid: { height: number; width: number }): ChannelMaps {
  const { height, width } = grid;
  const n = height * width;
  if (objectnessMap.length !== n) throw new Error(`objectness has ${objectnessMap.length} cells, the grid ${height}x${width}`);
  const out = createMaps(channels, height, width);
  for (const r of regions) {
    let peak = 0;
    for (let y = r.y0; y < r.y1; y++) for (let x = r.x0; x < r.x1; x++) peak = Math.max(peak, objectnessMap[y * width + x]);
    const scale = r.weight / (peak + CAM_NORM_EPS);
    for (let y = r.y0; y < r.y1; y++) {
      for (let x = r.x0; x < r.x1; x++) {
        const j = r.channel * n + y * width + x;
        out.data[j] = Math.max(out.data[j], objectnessMap[y * width + x] * scale);
      }
    }
  }
  return out;
}

/**
 * The box CAMs, with each class the detector kept no box for taking its CAM
 * from `fallback` (the CAM head's, in the same channels). A class asked for
 * by ground-truth labels or --labels but missed by the detector then still
 * has evidence; the classes the detector names always have a box.
 */
export function withFallbackCams(boxMaps: ChannelMaps, fallback: ChannelMaps): ChannelMaps {
  const { channels, height, width } = boxMaps;
  if (fallback.channels !== channels || fallback.height !== height || fallback.width !== width) {
    throw new Error(`fallback CAMs are ${fallback.channels}x${fallback.height}x${fallback.width}, the box CAMs ${channels}x${height}x${width}`);
  }
  const n = height * width;
  const out = createMaps(channels, height, width);
  for (let c = 0; c < channels; c++) {
    const own = boxMaps.data.subarray(c * n, (c + 1) * n);
    out.data.set(own.some((v) => v > 0) ? own : fallback.data.subarray(c * n, (c + 1) * n), c * n);
  }
  return out;
}
