import { useEffect, useRef } from 'react';
import type { GraphEdge } from '../render/graph';

/** Canvas pixels per grid cell: enough for visible lines between cell centres. */
const CELL_PX = 8;

/** A canvas ref that draws grid-graph edges as white lines whose opacity is their walk weight. */
export function useGraphCanvas(edges: GraphEdge[] | null, gridWidth: number, gridHeight: number) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas || !edges) return;
    canvas.width = gridWidth * CELL_PX;
    canvas.height = gridHeight * CELL_PX;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 1.6;
    const centre = (cell: number) => [((cell % gridWidth) + 0.5) * CELL_PX, (Math.floor(cell / gridWidth) + 0.5) * CELL_PX];
    for (const { from, to, weight } of edges) {
      if (weight < 0.02) continue; // invisible anyway
      const [x1, y1] = centre(from);
      const [x2, y2] = centre(to);
      ctx.globalAlpha = weight;
      ctx.beginPath();
      ctx.moveTo(x1, y1);
      ctx.lineTo(x2, y2);
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
  }, [edges, gridWidth, gridHeight]);
  return ref;
}
