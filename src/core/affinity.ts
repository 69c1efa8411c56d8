import { ChannelMaps } from './maps';
import { Offset, fullDiscOffsets } from './pairs';

/** W_ij = exp(-mean_d |f_i - f_j|), psa's affinity between two embedding cells. */
function affinityAt(data: Float32Array, dims: number, n: number, i: number, j: number): number {
  let sum = 0;
  for (let d = 0, o = 0; d < dims; d++, o += n) sum += Math.abs(data[o + i] - data[o + j]);
  return Math.exp(-sum / dims);
}

/**
 * Affinities of every cell to each neighbour in its full radius disc.
 * `weights[i * K + k]` belongs to cell i and `offsets[k]`; neighbours outside
 * the grid get NaN so that they can never be mistaken for a real affinity.
 */
export interface NeighbourAffinities {
  readonly height: number;
  readonly width: number;
  readonly offsets: Offset[];
  readonly weights: Float32Array;
}

export function neighbourAffinities(embed: ChannelMaps, radius: number): NeighbourAffinities {
  const { height, width, channels } = embed;
  const offsets = fullDiscOffsets(radius);
  const k = offsets.length;
  const n = height * width;
  const weights = new Float32Array(n * k);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      offsets.forEach(({ dy, dx }, o) => {
        const ny = y + dy;
        const nx = x + dx;
        weights[i * k + o] = ny >= 0 && ny < height && nx >= 0 && nx < width
          ? affinityAt(embed.data, channels, n, i, ny * width + nx)
          : NaN;
      });
    }
  }
  return { height, width, offsets, weights };
}
