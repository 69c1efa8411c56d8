import type { KeyboardEvent, MouseEvent, ReactNode, RefObject } from 'react';

const ARROWS: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
import type { InputPlacement } from '../../models/pipeline/types';

export interface GridGeometry {
  placement: InputPlacement;
  stride: number;
  /** The full grid (padding included) the overlay canvas is drawn at. */
  gridWidth: number;
  gridHeight: number;
}

export interface StageBox {
  y0: number;
  y1: number;
  x0: number;
  x1: number;
  color: string;
  title: string;
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
  /** Cell rectangles [y0, y1) x [x0, x1) to outline, e.g. the detector's boxes. */
  boxes?: readonly StageBox[];
  onCell?: (cell: number | null, click: boolean) => void;
  /** Arrow keys move the marker one cell (keyboard access to the probe). */
  onMarkerKey?: (cell: number) => void;
  label: string;
  children?: ReactNode;
}

/**
 * The image with a grid-resolution overlay on top. The overlay canvas covers
 * the whole padded grid, so it is scaled past the image and clipped: grid
 * cells land exactly on the input pixels they came from.
 */
export function GridStage({ geometry, imageRef, overlayRef, overlayTestId, pixelated, marker, boxes = [], onCell, onMarkerKey, label, children }: GridStageProps) {
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
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const move = ARROWS[e.key];
    if (!move || !onMarkerKey || marker === null || marker === undefined) return;
    e.preventDefault();
    const x = Math.min(placement.gridWidth - 1, Math.max(0, (marker % gridWidth) + move[0]));
    const y = Math.min(placement.gridHeight - 1, Math.max(0, Math.floor(marker / gridWidth) + move[1]));
    onMarkerKey(y * gridWidth + x);
  };
  return (
    <figure className="stage-figure" style={{ ['--aspect' as string]: placement.width / placement.height }}>
      <div
        className="stage"
        tabIndex={onMarkerKey ? 0 : undefined}
        aria-label={onMarkerKey ? `${label}: arrow keys move the probed cell` : undefined}
        onKeyDown={onMarkerKey && onKeyDown}
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
        {boxes.map((b, k) => (
          <div
            key={k}
            className="stage-box"
            data-testid="stage-box"
            title={b.title}
            style={{ left: `${b.x0 * cellW}%`, top: `${b.y0 * cellH}%`, width: `${(b.x1 - b.x0) * cellW}%`, height: `${(b.y1 - b.y0) * cellH}%`, borderColor: b.color }}
          />
        ))}
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
