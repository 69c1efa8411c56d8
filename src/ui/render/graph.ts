import type { AffinityGraph } from '../../workers/walk_client';

/** Edges of the 8-connected grid graph: right, down-left, down, down-right (each pair once). */
const HALF_RING = [
  { dy: 0, dx: 1 },
  { dy: 1, dx: -1 },
  { dy: 1, dx: 0 },
  { dy: 1, dx: 1 },
];

export interface GraphEdge {
  from: number;
  to: number;
  /** A = W^beta, the weight the random walk actually uses. */
  weight: number;
}

/**
 * The walk's graph restricted to the eight nearest neighbours (all 68 would
 * be an unreadable hairball), inside the valid region of the grid.
 */
export function graphEdges(graph: AffinityGraph, beta: number, validWidth: number, validHeight: number): GraphEdge[] {
  const { width, offsets, weights } = graph;
  const k = offsets.length;
  const slots = HALF_RING.map(({ dy, dx }) => ({ dy, dx, slot: offsets.findIndex((o) => o.dy === dy && o.dx === dx) }));
  const edges: GraphEdge[] = [];
  for (let y = 0; y < validHeight; y++) {
    for (let x = 0; x < validWidth; x++) {
      for (const { dy, dx, slot } of slots) {
        const ny = y + dy;
        const nx = x + dx;
        if (slot < 0 || ny >= validHeight || nx < 0 || nx >= validWidth) continue;
        const from = y * width + x;
        edges.push({ from, to: ny * width + nx, weight: Math.pow(weights[from * k + slot], beta) });
      }
    }
  }
  return edges;
}
