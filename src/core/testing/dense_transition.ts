import type { ChannelMaps } from '../maps';

export type Matrix = Float64Array[];

/**
 * Test reference: psa's dense transition in float64, written independently
 * of the sparse code (random_walk.ts): A = W^beta over the radius disc
 * (W_ii = 1), T = A / A.sum(0); the walk is then cam @ T^t.
 */
export function denseTransition(embed: ChannelMaps, radius: number, beta: number): Matrix {
  const { height: h, width: w, channels: d } = embed;
  const n = h * w;
  const a: Matrix = Array.from({ length: n }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const dy = Math.floor(i / w) - Math.floor(j / w);
      const dx = (i % w) - (j % w);
      if (dy * dy + dx * dx >= radius * radius) continue;
      let dist = 0;
      for (let c = 0; c < d; c++) dist += Math.abs(embed.data[c * n + i] - embed.data[c * n + j]);
      a[i][j] = Math.pow(Math.exp(-dist / d), beta);
    }
  }
  const colSum = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) colSum[j] += a[i][j];
  return a.map((row) => row.map((v, j) => v / colSum[j]));
}

