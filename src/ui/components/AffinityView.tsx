import { useMemo } from 'react';
import { useLabStore } from '../../state/store';
import { useAffinityGraph, useTransitionRow } from '../hooks/use_affinity';
import { useBitmapCanvas } from '../hooks/use_bitmap_canvas';
import { useGridOverlay } from '../hooks/use_grid_overlay';
import type { LabResult } from '../hooks/use_lab_result';
import { useGraphCanvas } from '../hooks/use_graph_canvas';
import { graphEdges } from '../render/graph';
import { neighbourHeat, normaliseMax } from '../render/heat';
import { ColorLegend } from './ColorLegend';
import { GridStage } from './GridStage';

/**
 * The affinity graph around one cell (hover, or click to pin), where the
 * cell's revised score comes from after t steps, and the whole-image
 * affinity boundary map.
 */
export function AffinityView({ result }: { result: LabResult }) {
  const { image, geometry, meta } = result;
  const graph = useAffinityGraph();
  const probe = useLabStore((s) => s.probeCell);
  const pinned = useLabStore((s) => s.probePinned);
  const setProbe = useLabStore((s) => s.setProbe);
  const t = useLabStore((s) => s.t);
  const beta = useLabStore((s) => s.beta);
  const opacity = useLabStore((s) => s.overlayOpacity);
  const layer = useLabStore((s) => s.affinityLayer);
  const setLayer = useLabStore((s) => s.setAffinityLayer);
  const { gridWidth, gridHeight, placement } = geometry;
  // Default probe: the centre of the image, so the view is never empty.
  const cell = probe ?? Math.floor(placement.gridHeight / 2) * gridWidth + Math.floor(placement.gridWidth / 2);
  const row = useTransitionRow(graph ? cell : null, t);

  const neighbours = useMemo(() => (graph ? neighbourHeat(graph, cell) : null), [graph, cell]);
  const rowHeat = useMemo(() => (row ? normaliseMax(row) : null), [row]);
  const overlay = { opacity: Math.min(1, opacity + 0.25) };
  const imageA = useBitmapCanvas(image.bitmap);
  const imageB = useBitmapCanvas(image.bitmap);
  const imageC = useBitmapCanvas(image.bitmap);
  const neighbourRef = useGridOverlay(neighbours, gridWidth, gridHeight, overlay);
  const rowRef = useGridOverlay(rowHeat, gridWidth, gridHeight, { ...overlay, alphaByValue: true });
  // Each layer's data is null while the other is shown, so switching back redraws it.
  const boundaryRef = useGridOverlay(layer === 'boundary' ? (graph?.boundary ?? null) : null, gridWidth, gridHeight, overlay);
  const edges = useMemo(
    () => (graph && layer === 'graph' ? graphEdges(graph, beta, placement.gridWidth, placement.gridHeight) : null),
    [graph, layer, beta, placement],
  );
  const graphRef = useGraphCanvas(edges, gridWidth, gridHeight);

  const onCell = (next: number | null, click: boolean) => {
    if (click) setProbe(pinned && next === probe ? probe : next, next !== null && !(pinned && next === probe));
    else if (!pinned && next !== null && next !== probe) setProbe(next, false);
  };
  const x = cell % gridWidth;
  const y = Math.floor(cell / gridWidth);

  return (
    <div className="view" data-testid="view-affinity">
      <p className="muted intro">
        AffinityNet embeds every cell; two cells within radius {meta.defaults.radius} have affinity W = exp(−mean |f_i − f_j|).
        The random walk moves scores along W^β, so they spread inside objects and stop at boundaries.
      </p>
      <p className="muted">
        {graph ? (
          <>
            Cell <span data-testid="probe-cell">({x}, {y})</span> of the {placement.gridWidth}×{placement.gridHeight} grid
            {pinned ? ' (pinned: click it again to follow the pointer)' : ' (hover to move, click to pin)'}; radius {meta.defaults.radius}: {graph.offsets.length} neighbours.
          </>
        ) : (
          'Computing affinities…'
        )}
      </p>
      <div className="stage-row">
        <GridStage geometry={geometry} imageRef={imageA} overlayRef={neighbourRef} overlayTestId="affinity-neighbours" pixelated marker={cell} onCell={onCell} onMarkerKey={(next) => setProbe(next, true)} label="Affinities of the probed cell">
          <strong>Affinity W to each neighbour</strong>
          <ColorLegend title="W = exp(−mean |f_i − f_j|)" low="0" high="1" />
        </GridStage>
        <GridStage geometry={geometry} imageRef={imageB} overlayRef={rowRef} overlayTestId="affinity-transition" pixelated marker={cell} onCell={onCell} label="Random-walk transition from the probed cell">
          <strong>Where its score comes from after t = {t}</strong>
          <ColorLegend title={`row of T^${t}, T = D⁻¹W^${beta}, scaled to its max`} low="0" high="max" />
        </GridStage>
        <GridStage
          geometry={geometry}
          imageRef={imageC}
          overlayRef={layer === 'boundary' ? boundaryRef : graphRef}
          overlayTestId={`affinity-${layer}`}
          marker={cell}
          onCell={onCell}
          label={layer === 'boundary' ? 'Affinity boundary map' : 'Random-walk graph'}
        >
          <div className="segmented" role="radiogroup" aria-label="Whole-image layer">
            {(['boundary', 'graph'] as const).map((l) => (
              <label key={l}>
                <input type="radio" name="affinity-layer" checked={layer === l} onChange={() => setLayer(l)} data-testid={`layer-${l}`} />
                {l === 'boundary' ? 'Affinity boundaries' : 'Graph edges'}
              </label>
            ))}
          </div>
          {layer === 'boundary' ? (
            <ColorLegend title="1 − mean W to the 8 nearest cells" low="0" high="1" />
          ) : (
            <span className="muted">Edges to the 8 nearest cells; opacity = W^{beta}, the weight the walk uses.</span>
          )}
        </GridStage>
      </div>
    </div>
  );
}
