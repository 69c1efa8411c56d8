import { channelView } from '../../core/maps';
import type { ChannelMaps } from '../../core/maps';
import type { AffinityGraph } from '../../workers/walk_client';

/** Scalar grid maps (full grid, row-major) for the heatmap overlays. */

/** Affinity W of `cell` to each neighbour in the radius; the cell itself is 1, everything else NaN (transparent). */
export function neighbourHeat(graph: AffinityGraph, cell: number): Float32Array {
  const { width, height, offsets, weights } = graph;
  const out = new Float32Array(width * height).fill(NaN);
  const y = Math.floor(cell / width);
  const x = cell % width;
  out[cell] = 1;
  offsets.forEach(({ dy, dx }, k) => {
    const w = weights[cell * offsets.length + k];
    if (!Number.isNaN(w)) out[(y + dy) * width + (x + dx)] = w;
  });
  return out;
}

/** Scales non-negative values so the largest is 1 (a transition row's mass is spread thin). */
export function normaliseMax(values: Float32Array): Float32Array {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  return max > 0 ? values.map((v) => v / max) : values.slice();
}

/** One CAM channel, or the background (1 - max over the kept classes)^alpha. */
export function camHeat(cams: ChannelMaps, channel: number | 'background', keep: readonly number[], alpha: number): Float32Array {
  if (channel !== 'background') return channelView(cams, channel);
  const n = cams.width * cams.height;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let max = 0;
    for (const c of keep) max = Math.max(max, cams.data[c * n + i]);
    out[i] = Math.pow(Math.max(0, 1 - max), alpha);
  }
  return out;
}
