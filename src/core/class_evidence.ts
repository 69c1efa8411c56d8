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

/**
 * A kept box on the grid: the cells [y0, y1) x [x0, x1) whose centre lies in
 * it (for a box too small to hold a centre, the cell under its middle), its
 * class channel, and its score relative to the class's best box.
 */
export interface BoxRegion {
  channel: number;
  weight: number;
  y0: number;
  y1: number;
  x0: number;
  x1: number;
}

/** The first and one-past-last cell whose centre (k + 0.5) * stride lies in [lo, hi), within `size` cells. */
function cellSpan(lo: number, hi: number, stride: number, size: number): [number, number] {
  return [Math.max(0, Math.ceil(lo / stride - 0.5)), Math.min(size, Math.ceil(hi / stride - 0.5))];
}

/**
 * The boxes that become CAM evidence, as grid regions: those scoring at least
 * `relative` of their class's best box and at least `minScore`.
 */
export function keptBoxRegions(detections: readonly Detection[], channels: number, stride: number, region: GridRegion, selection: BoxSelection): BoxRegion[] {
  const best = new Float64Array(channels);
  for (const d of detections) best[d.channel] = Math.max(best[d.channel], d.score);
  const middle = (lo: number, hi: number, size: number) => Math.min(size - 1, Math.max(0, Math.floor((lo + hi) / 2 / stride)));
  return detections
    .filter((d) => d.score >= Math.max(selection.minScore, selection.relative * best[d.channel]))
    .map(({ box: [bx0, by0, bx1, by1], score, channel }) => {
      let [y0, y1] = cellSpan(by0, by1, stride, region.height);
      let [x0, x1] = cellSpan(bx0, bx1, stride, region.width);
      if (y0 >= y1 || x0 >= x1) {
        y0 = middle(by0, by1, region.height);
        x0 = middle(bx0, bx1, region.width);
        [y1, x1] = [y0 + 1, x0 + 1];
      }
      return { channel, weight: score / best[channel], y0, y1, x0, x1 };
    });
}

/** How salient regions name classes the image-level threshold leaves out. */
export interface RegionNaming {
  /** A salient cell's objectness reaches this share of the image's peak... */
  share: number;
  /** ...and its region names the detector's best class there when that class scores at least this. */
  minScore: number;
}

/**
 * Classes named by salient regions (docs/algorithm.md §1b): the 4-connected
 * regions of cells whose objectness (the CAM head's largest un-normalised CAM)
 * reaches `share` of its peak each name the class whose detector heat is
 * largest inside them, when that heat reaches `minScore`. An object the
 * detector sees out of its usual scene often scores under the image-level
 * threshold, yet still beats every other class where the object lies.
 *
 * @param objectness one channel over the image's grid region
 * @param heat the detector's class heatmaps on the same grid, one channel per class
 * @returns class channels, ascending
 */
export function regionNamedClasses(objectness: ChannelMaps, heat: ChannelMaps, naming: RegionNaming): number[] {
  const { height, width } = objectness;
  if (heat.height !== height || heat.width !== width) throw new Error(`heat is ${heat.height}x${heat.width}, objectness ${height}x${width}`);
  const n = height * width;
  let peak = 0;
  for (let i = 0; i < n; i++) peak = Math.max(peak, objectness.data[i]);
  if (!(peak > 0)) return [];
  const salient = (i: number) => objectness.data[i] >= naming.share * peak;
  const seen = new Uint8Array(n);
  const named = new Set<number>();
  const regionHeat = new Float64Array(heat.channels);
  for (let start = 0; start < n; start++) {
    if (seen[start] || !salient(start)) continue;
    regionHeat.fill(0);
    const stack = [start];
    seen[start] = 1;
    while (stack.length > 0) {
      const i = stack.pop()!;
      for (let c = 0; c < heat.channels; c++) regionHeat[c] = Math.max(regionHeat[c], heat.data[c * n + i]);
      const y = Math.floor(i / width);
      const x = i % width;
      for (const j of [y > 0 ? i - width : -1, y < height - 1 ? i + width : -1, x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1]) {
        if (j >= 0 && !seen[j] && salient(j)) {
          seen[j] = 1;
          stack.push(j);
        }
      }
    }
    let best = 0;
    for (let c = 1; c < heat.channels; c++) if (regionHeat[c] > regionHeat[best]) best = c;
    if (regionHeat[best] >= naming.minScore) named.add(best);
  }
  return [...named].sort((a, b) => a - b);
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
