import { CAM_NORM_EPS } from './constants';
import { ChannelMaps, createMaps } from './maps';

/**
 * Class evidence from two sources: a CAM head trained on our composites
 * (sees where objects are, names classes poorly on photographs) and a COCO
 * detector (names the class of a photographed object well and boxes it, but
 * knows nothing of its outline). docs/algorithm.md §1b says how they are
 * combined and why.
 */

/** The grid cells that cover the image; the rest is padding. */
export interface GridRegion {
  height: number;
  width: number;
}

/** Per cell, the largest of the (normalised) CAMs: where the CAM head sees any object. */
export function objectness(cams: ChannelMaps): Float32Array {
  const n = cams.height * cams.width;
  const out = new Float32Array(n);
  for (let c = 0; c < cams.channels; c++) {
    for (let i = 0; i < n; i++) out[i] = Math.max(out[i], cams.data[c * n + i]);
  }
  return out;
}

/** One detector box: [x0, y0, x1, y1] in network-input pixels, its score, and the set's class channel. */
export interface Detection {
  box: readonly [number, number, number, number];
  score: number;
  channel: number;
}

/** A heatmap cell that is the largest of its 3x3 neighbourhood in one class's heatmap. */
export interface Peak {
  score: number;
  /** Row-major cell index on the detector's grid. */
  cell: number;
  channel: number;
}

/**
 * CenterNet's boxes from its peaks (the best ones, as the pipeline finds
 * them on the device): every peak scoring at least `minScore` is an object
 * centre; its box reaches `sizes` (left, top, right, bottom in input pixels,
 * four values per peak) from the cell's corner at (stride * x, stride * y),
 * as the graph's own decoder does. Best first.
 */
export function decodeCenterNet(peaks: readonly Peak[], sizes: Float32Array, width: number, stride: number, minScore: number): Detection[] {
  if (sizes.length !== 4 * peaks.length) throw new Error(`box sizes must hold 4 values for each of ${peaks.length} peaks, got ${sizes.length}`);
  const out: Detection[] = [];
  peaks.forEach(({ score, cell, channel }, k) => {
    if (score < minScore || score <= 0) return;
    const x = stride * (cell % width);
    const y = stride * Math.floor(cell / width);
    const [left, top, right, bottom] = sizes.subarray(4 * k, 4 * k + 4);
    out.push({ box: [x - left, y - top, x + right, y + bottom], score, channel });
  });
  return out.sort((a, b) => b.score - a.score);
}

/** Which detections become CAM evidence. */
export interface BoxSelection {
  /** At least this share of the class's best detection score... */
  relative: number;
  /** ...and at least this score. */
  minScore: number;
}

/** The cells of a kept box: those whose centre lies in it, or, for a box too small to hold a centre, the cell under its middle. */
function boxCells(box: Detection['box'], grid: { width: number; stride: number }, region: GridRegion): number[] {
  const { width, stride } = grid;
  const [x0, y0, x1, y1] = box;
  const cells: number[] = [];
  for (let y = 0; y < region.height; y++) {
    const cy = (y + 0.5) * stride;
    if (cy < y0 || cy >= y1) continue;
    for (let x = 0; x < region.width; x++) {
      const cx = (x + 0.5) * stride;
      if (cx >= x0 && cx < x1) cells.push(y * width + x);
    }
  }
  if (cells.length > 0) return cells;
  const clamp = (v: number, size: number) => Math.min(size - 1, Math.max(0, Math.floor(v / stride)));
  return [clamp((y0 + y1) / 2, region.height) * width + clamp((x0 + x1) / 2, region.width)];
}

/**
 * CAMs from boxes, one channel per class. Each kept box gives its cells the
 * CAM head's objectness normalised by its maximum inside that box, times the
 * box's score relative to its class's best box; where boxes of a class
 * overlap, the larger value. Normalising per box rather than per class lets
 * a small or faint object reach the height of the class's largest one: with
 * one peak per class, the small people and ducks beside a bright one fell
 * under the background score. The box says which class and roughly where;
 * the objectness gives the shape inside it, and the random walk then pulls
 * the mask onto the object's outline.
 */
export function boxCams(detections: readonly Detection[], objectnessMap: Float32Array, channels: number, grid: { height: number; width: number; stride: number }, region: GridRegion, selection: BoxSelection): ChannelMaps {
  const { height, width } = grid;
  const n = height * width;
  if (objectnessMap.length !== n) throw new Error(`objectness has ${objectnessMap.length} cells, the grid ${height}x${width}`);
  const out = createMaps(channels, height, width);
  const best = new Float64Array(channels);
  for (const d of detections) best[d.channel] = Math.max(best[d.channel], d.score);
  for (const d of detections) {
    if (d.score < Math.max(selection.minScore, selection.relative * best[d.channel])) continue;
    const cells = boxCells(d.box, grid, region);
    let peak = 0;
    for (const i of cells) peak = Math.max(peak, objectnessMap[i]);
    const scale = d.score / best[d.channel] / (peak + CAM_NORM_EPS);
    for (const i of cells) {
      const j = d.channel * n + i;
      out.data[j] = Math.max(out.data[j], objectnessMap[i] * scale);
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

/**
 * Maps from a head's channel order into the model set's: source channel k
 * goes to channel target[k]; channels no source fills get `fill`.
 */
export function placeChannels(maps: ChannelMaps, target: readonly number[], channels: number, fill = 0): ChannelMaps {
  if (target.length !== maps.channels) throw new Error(`${maps.channels} channels, but ${target.length} targets`);
  const n = maps.height * maps.width;
  const out = createMaps(channels, maps.height, maps.width);
  out.data.fill(fill);
  target.forEach((c, k) => out.data.set(maps.data.subarray(k * n, (k + 1) * n), c * n));
  return out;
}

/** Scores in a head's channel order -> the model set's (0 for classes the head lacks). */
export function placeScores(scores: Float32Array, target: readonly number[], channels: number): Float32Array {
  const out = new Float32Array(channels);
  target.forEach((c, k) => {
    out[c] = scores[k];
  });
  return out;
}

/** Which source names the classes of one image. */
export type EvidenceSource = 'detector' | 'cam-head';

/**
 * The detector speaks for an image when it is sure of at least one class
 * (score >= gate); otherwise, as on our clip-art composites, where it sees
 * nothing it knows, the CAM head does.
 */
export function evidenceSource(detectorScores: Float32Array, gate: number): EvidenceSource {
  return detectorScores.some((s) => s >= gate) ? 'detector' : 'cam-head';
}
