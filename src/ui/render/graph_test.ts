import { describe, expect, it } from 'vitest';
import { neighbourAffinities } from '../../core/affinity';
import { createMaps } from '../../core/maps';
import type { AffinityGraph } from '../../workers/walk_client';
import { graphEdges } from './graph';

function graphOf(embedding: ReturnType<typeof createMaps>): AffinityGraph {
  const aff = neighbourAffinities(embedding, 5);
  return { inputsId: 1, height: aff.height, width: aff.width, offsets: aff.offsets, weights: aff.weights, boundary: new Float32Array(0) };
}

describe('graphEdges', () => {
  it('lists each 8-neighbour pair of the valid region once, weighted W^beta', () => {
    const embedding = createMaps(1, 3, 4);
    embedding.data.set([0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1]); // columns 2-3 differ by 1: W = e^-1
    const edges = graphEdges(graphOf(embedding), 2, 3, 2); // valid region: 3 wide, 2 high
    // 2 rows x 2 horizontal + 3 vertical + 2 x 2 diagonals.
    expect(edges).toHaveLength(4 + 3 + 4);
    const across = edges.find((e) => e.from === 1 && e.to === 2)!;
    expect(across.weight).toBeCloseTo(Math.exp(-2), 6);
    expect(edges.find((e) => e.from === 0 && e.to === 1)!.weight).toBeCloseTo(1, 6);
    expect(edges.every((e) => e.to % 4 < 3 && e.to < 8)).toBe(true);
  });
});
