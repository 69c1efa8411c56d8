import { useMemo } from 'react';
import { keptBelowThreshold } from '../../core/masks';
import { useLabStore } from '../../state/store';
import { useBitmapCanvas } from '../hooks/use_bitmap_canvas';
import { useGridOverlay } from '../hooks/use_grid_overlay';
import type { LabResult } from '../hooks/use_lab_result';
import { camHeat } from '../render/heat';
import { paletteCss } from '../render/pixels';
import { formatScore, formatThreshold } from '../format';
import { ColorLegend } from './ColorLegend';
import { GridStage } from './GridStage';

/** Chips beyond the kept classes: the next best scores, for context. */
const EXTRA_CHIPS = 3;

/** Class activation maps: one class (or the background) as a heatmap over the image. */
export function CamView({ result }: { result: LabResult }) {
  const { analysis, meta, image, geometry } = result;
  const { source, threshold } = analysis.classEvidence;
  const percent = formatThreshold(threshold);
  const channel = useLabStore((s) => s.camChannel);
  const alpha = useLabStore((s) => s.alpha);
  const opacity = useLabStore((s) => s.overlayOpacity);
  const setCamChannel = useLabStore((s) => s.setCamChannel);
  const labelSource = useLabStore((s) => s.labelSource);
  const setLabelSource = useLabStore((s) => s.setLabelSource);
  const imageRef = useBitmapCanvas(image.bitmap);
  const chips = useMemo(() => {
    const ranked = meta.classes.map((_, c) => c).sort((a, b) => analysis.classScores[b] - analysis.classScores[a]);
    const extra = ranked.filter((c) => !analysis.keep.includes(c)).slice(0, EXTRA_CHIPS);
    return [...analysis.keep, ...extra];
  }, [analysis, meta]);
  // A class chosen for an earlier image may have no chip now: fall back to the best kept class.
  const shown = channel === 'background' ? channel : channel !== null && chips.includes(channel) ? channel : analysis.keep[0];
  const heat = useMemo(() => camHeat(analysis.cams, shown, analysis.keep, alpha), [analysis, shown, alpha]);
  const boxes = useMemo(
    () =>
      shown === 'background'
        ? []
        : (analysis.classEvidence.boxes ?? [])
            .filter((b) => b.channel === shown)
            .map((b) => ({ ...b, color: paletteCss(meta.classes[shown].voc), title: `detector box of ${meta.classes[shown].name}, scoring ${Math.round(b.weight * 100)}% of its best box` })),
    [analysis, meta, shown],
  );
  // Classes kept below the threshold because a salient region named them (docs/algorithm.md §1b).
  const regionNamed = (analysis.keepGiven ? [] : (analysis.classEvidence.named ?? []).filter((c) => analysis.classScores[c] < threshold)).map((c) => meta.classes[c].name);
  const overlayRef = useGridOverlay(heat, geometry.gridWidth, geometry.gridHeight, { opacity: Math.min(1, opacity + 0.2), alphaByValue: true });

  return (
    <div className="view" data-testid="view-cam">
      <p className="muted intro">
        Where the classification network finds evidence for each class (class activation map, normalised per class).
        The background score is (1 − max CAM)^α: raising α shrinks the background.
      </p>
      <p className="muted" data-testid="class-evidence">
        {source === 'detector'
          ? 'Classes and CAMs here come from a COCO object detector (trained with boxes): its boxes of each class, shaped inside by the CAM head’s evidence of an object. The detector was sure of this image.'
          : meta.classEvidence
            ? 'Classes and CAMs here come from the CAM head, trained with image-level labels only: the COCO detector saw no class it was sure of.'
            : 'Classes and CAMs come from the CAM head, trained with image-level labels only.'}
      </p>
      {analysis.groundTruth && (
        <div className="segmented" role="radiogroup" aria-label="Classes present">
          <span className="muted">Classes present:</span>
          {(['predicted', 'ground-truth'] as const).map((source) => (
            <label key={source}>
              <input type="radio" name="label-source" checked={labelSource === source} onChange={() => setLabelSource(source)} data-testid={`labels-${source}`} />
              {source === 'predicted' ? `predicted (score ≥ ${percent}, else the best one)` : 'from the ground truth (as psa generates labels)'}
            </label>
          ))}
        </div>
      )}
      <div className="chips" role="group" aria-label="Class shown">
        {chips.map((c) => (
          <button
            key={c}
            type="button"
            className={`chip${analysis.keep.includes(c) ? '' : ' chip-absent'}`}
            aria-pressed={shown === c}
            data-testid={`class-chip-${meta.classes[c].name}`}
            onClick={() => setCamChannel(c)}
          >
            <span className="swatch" style={{ background: paletteCss(meta.classes[c].voc) }} />
            {meta.classes[c].name} <span className="chip-score">{formatScore(analysis.classScores[c], threshold)}</span>
          </button>
        ))}
        <button type="button" className="chip" aria-pressed={shown === 'background'} data-testid="class-chip-background" onClick={() => setCamChannel('background')}>
          <span className="swatch" style={{ background: paletteCss(0) }} />
          background <span className="chip-score">(1 − max)^{alpha}</span>
        </button>
      </div>
      <GridStage geometry={geometry} imageRef={imageRef} overlayRef={overlayRef} overlayTestId="cam-heatmap" boxes={boxes} label="Image with class activation map">
        <ColorLegend
          title={shown === 'background' ? `background score (1 − max CAM)^${alpha}` : `CAM of ${meta.classes[shown].name}, normalised to its maximum`}
          low="0"
          high="1"
        />
        {boxes.length > 0 && (
          <p className="muted" data-testid="box-caption">
            Dashed: the detector’s {boxes.length === 1 ? 'box' : `${boxes.length} boxes`} of {meta.classes[shown as number].name} that became this CAM (its grid cells).
          </p>
        )}
        <p className="muted" data-testid="chip-caption">
          Chip scores are image-level probabilities (rounded down); bold chips are the classes kept for the masks and the walk
          {analysis.keepGiven
            ? ': the classes of the ground truth.'
            : `: every class scoring ≥ ${percent}, or the best one alone when none does${
                keptBelowThreshold(analysis.classScores, analysis.keep, threshold) ? ` (none does here)` : ''
              }.`}
        </p>
        {regionNamed.length > 0 && (
          <p className="muted" data-testid="region-caption" data-classes={regionNamed.join(',')}>
            Also kept below {percent}: {regionNamed.join(', ')}, the class the detector scores highest inside an object the CAM head
            finds ({regionNamed.length === 1 ? 'a salient region' : 'salient regions'} of its evidence).
          </p>
        )}
      </GridStage>
    </div>
  );
}
