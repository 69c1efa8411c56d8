import type { MouseEvent, ReactNode, RefObject } from 'react';
import type { InputPlacement } from '../../models/pipeline/types';

export interface GridGeometry {
  placement: InputPlacement;
  stride: number;
  /** The full grid (padding included) the overlay canvas is drawn at. */
  gridWidth: number;
  gridHeight: number;
}

interface GridStageProps {
  geometry: GridGeometry;
  imageRef: RefObject<HTMLCanvasElement | null>;
  overlayRef: RefObject<HTMLCanvasElement | null>;
  overlayTestId: string;
  /** Grid cells stay crisp (affinities) or blend (scores). */
  pixelated?: boolean;
  /** Cell to outline, e.g. the probed one. */
  marker?: number | null;
  onCell?: (cell: number | null, click: boolean) => void;
  label: string;
  children?: ReactNode;
}

/**
 * The image with a grid-resolution overlay on top. The overlay canvas covers
 * the whole padded grid, so it is scaled past the image and clipped: grid
 * cells land exactly on the input pixels they came from.
 */
export function GridStage({ geometry, imageRef, overlayRef, overlayTestId, pixelated, marker, onCell, label, children }: GridStageProps) {
  const { placement, stride, gridWidth, gridHeight } = geometry;
  const cellW = (stride / placement.width) * 100;
  const cellH = (stride / placement.height) * 100;
  const cellAt = (e: MouseEvent<HTMLDivElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const gx = Math.floor((((e.clientX - rect.left) / rect.width) * placement.width) / stride);
    const gy = Math.floor((((e.clientY - rect.top) / rect.height) * placement.height) / stride);
    if (gx < 0 || gy < 0 || gx >= placement.gridWidth || gy >= placement.gridHeight) return null;
    return gy * gridWidth + gx;
  };
  return (
    <figure className="stage-figure" style={{ ['--aspect' as string]: placement.width / placement.height }}>
      <div
        className="stage"
        onPointerMove={onCell && ((e) => onCell(cellAt(e), false))}
        onPointerLeave={onCell && (() => onCell(null, false))}
        onClick={onCell && ((e) => onCell(cellAt(e), true))}
      >
        <canvas ref={imageRef} className="stage-image" aria-label={label} />
        <canvas
          ref={overlayRef}
          className={`stage-overlay${pixelated ? ' pixelated' : ''}`}
          data-testid={overlayTestId}
          style={{ width: `${gridWidth * cellW}%`, height: `${gridHeight * cellH}%` }}
        />
        {marker !== null && marker !== undefined && (
          <div
            className="stage-marker"
            style={{ left: `${(marker % gridWidth) * cellW}%`, top: `${Math.floor(marker / gridWidth) * cellH}%`, width: `${cellW}%`, height: `${cellH}%` }}
          />
        )}
      </div>
      {children && <figcaption>{children}</figcaption>}
    </figure>
  );
}
