import { NeighbourAffinities } from '../core/affinity';

/** Pure helpers of the walk worker (no messaging), so they can be unit-tested. */

/**
 * 1 - mean affinity to the eight nearest neighbours inside the grid: low
 * affinity means the cell sits on a boundary AffinityNet has learned.
 */
export function affinityBoundary(aff: NeighbourAffinities): Float32Array {
  const { height, width, offsets, weights } = aff;
  const k = offsets.length;
  const near = offsets.map((o, index) => ({ ...o, index })).filter((o) => Math.max(Math.abs(o.dy), Math.abs(o.dx)) === 1);
  const out = new Float32Array(height * width);
  for (let i = 0; i < height * width; i++) {
    let sum = 0;
    let count = 0;
    for (const o of near) {
      const w = weights[i * k + o.index];
      if (Number.isNaN(w)) continue;
      sum += w;
      count++;
    }
    out[i] = count > 0 ? 1 - sum / count : 0;
  }
  return out;
}

/**
 * Steps at which the revised mask is scored against ground truth: every step
 * up to 16 (where the walk changes most), then every 4th, and the last one.
 */
export function evaluationSteps(steps: number): number[] {
  const out: number[] = [];
  for (let t = 0; t <= steps; t++) if (t <= 16 || t % 4 === 0 || t === steps) out.push(t);
  return out;
}
