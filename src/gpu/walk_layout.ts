import type { NeighbourAffinities } from '../core/affinity';
import { createMaps, type ChannelMaps } from '../core/maps';
import type { Offset } from '../core/pairs';
import type { Transition } from '../core/random_walk';

/**
 * How the random walk's data sit in GPU buffers (random_walk_webgpu.ts).
 * Pure, so the layouts are unit-tested without a GPU.
 */

/** Channels per vec4. */
export const LANES = 4;

export function channelGroups(channels: number): number {
  return Math.ceil(channels / LANES);
}

/** (C, H, W) maps -> (group, cell, lane): one vec4 holds four channels of a cell; missing lanes are 0. */
export function packChannels(maps: ChannelMaps): Float32Array {
  const n = maps.height * maps.width;
  const out = new Float32Array(channelGroups(maps.channels) * n * LANES);
  for (let c = 0; c < maps.channels; c++) {
    const base = Math.floor(c / LANES) * n * LANES + (c % LANES);
    for (let i = 0; i < n; i++) out[base + i * LANES] = maps.data[c * n + i];
  }
  return out;
}

/** The inverse of packChannels: (group, cell, lane) -> (C, H, W), padding lanes dropped. */
export function unpackChannels(packed: Float32Array, channels: number, height: number, width: number): ChannelMaps {
  const n = height * width;
  if (packed.length < channelGroups(channels) * n * LANES) throw new Error(`${packed.length} packed values cannot hold ${channels} channels of ${height}x${width}`);
  const out = createMaps(channels, height, width);
  for (let c = 0; c < channels; c++) {
    const base = Math.floor(c / LANES) * n * LANES + (c % LANES);
    for (let i = 0; i < n; i++) out.data[c * n + i] = packed[base + i * LANES];
  }
  return out;
}

/**
 * The transition T = D^-1 A as a table of taps: tap 0 is the cell itself,
 * tap k > 0 the neighbour at offsets[k - 1]. weights[k * cells + i] = T(i, j),
 * normalisation folded in, 0 where the neighbour falls outside the grid.
 * Tap-major, so neighbouring GPU threads read neighbouring weights.
 */
export interface TapTable {
  /** (dx, dy) per tap, as the shader's vec2<i32>. */
  readonly taps: Int32Array;
  readonly weights: Float32Array;
}

/** Each tap's (dx, dy) as the shader's vec2<i32>: tap 0 is the cell itself, tap k > 0 offsets[k - 1]. */
export function tapOffsets(offsets: readonly Offset[]): Int32Array {
  const taps = new Int32Array((offsets.length + 1) * 2);
  offsets.forEach(({ dy, dx }, k) => {
    taps[(k + 1) * 2] = dx;
    taps[(k + 1) * 2 + 1] = dy;
  });
  return taps;
}

export function tapTable(transition: Transition, offsets: readonly Offset[]): TapTable {
  const { height, width, rowStart, cols, values, invDegree } = transition;
  const n = height * width;
  const tapOf = new Map<string, number>([['0,0', 0], ...offsets.map(({ dy, dx }, k): [string, number] => [`${dy},${dx}`, k + 1])]);
  const weights = new Float32Array((offsets.length + 1) * n);
  for (let i = 0; i < n; i++) {
    const y = Math.floor(i / width);
    const x = i % width;
    for (let p = rowStart[i]; p < rowStart[i + 1]; p++) {
      const j = cols[p];
      const key = `${Math.floor(j / width) - y},${(j % width) - x}`;
      const k = tapOf.get(key);
      if (k === undefined) throw new Error(`the transition links cell ${i} to ${j}, offset (${key}), which is not among the taps`);
      weights[k * n + i] = values[p] * invDegree[i];
    }
  }
  return { taps: tapOffsets(offsets), weights };
}

/**
 * A table of W laid out as tapTable lays out T (tap-major, tap 0 the cell
 * itself, tap k > 0 offsets[k - 1]) as the core's NeighbourAffinities:
 * cell-major, the cell itself left out, NaN where the neighbour falls outside the grid.
 */
export function affinitiesFromTaps(weights: Float32Array, height: number, width: number, offsets: readonly Offset[]): NeighbourAffinities {
  const n = height * width;
  const k = offsets.length;
  if (weights.length < (k + 1) * n) throw new Error(`${weights.length} weights cannot hold ${k + 1} taps of ${height}x${width}`);
  const out = new Float32Array(n * k);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      offsets.forEach(({ dy, dx }, o) => {
        const inside = y + dy >= 0 && y + dy < height && x + dx >= 0 && x + dx < width;
        out[i * k + o] = inside ? weights[(o + 1) * n + i] : NaN;
      });
    }
  }
  return { height, width, offsets: [...offsets], weights: out };
}
