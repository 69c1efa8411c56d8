import type { ReactNode, Ref } from 'react';
import { useMemo } from 'react';
import { useLabStore } from '../../state/store';
import { formatMiou } from '../format';
import type { LabResult } from '../hooks/use_lab_result';
import { useLabelResImage, useMaskCanvas, useStaticMasks, useWalkMaskCanvas } from '../hooks/use_mask_canvas';
import { classesIn } from '../render/pixels';
import { ClassLegend } from './ClassLegend';
import { MiouPlot } from './MiouPlot';

interface PanelProps {
  testId: string;
  title: ReactNode;
  canvasRef: Ref<HTMLCanvasElement>;
  miou: ReactNode;
  hasGroundTruth: boolean;
  miouRef?: Ref<HTMLOutputElement>;
}

function MaskPanel({ testId, title, canvasRef, miou, hasGroundTruth, miouRef }: PanelProps) {
  return (
    <figure className="mask-panel">
      <canvas ref={canvasRef} data-testid={testId} aria-label={typeof title === 'string' ? title : undefined} />
      <figcaption>
        <strong>{title}</strong>
        {hasGroundTruth && (
          <span className="miou">
            mIoU <output ref={miouRef} data-testid={`${testId}-miou`}>{miou}</output>
          </span>
        )}
      </figcaption>
    </figure>
  );
}

/** CAM mask, revised mask at t and the segmentation network's mask, side by side or swiped. */
export function CompareView({ result }: { result: LabResult }) {
  const { analysis, meta } = result;
  const opacity = useLabStore((s) => s.overlayOpacity);
  const mode = useLabStore((s) => s.compareMode);
  const swipe = useLabStore((s) => s.swipe);
  const t = useLabStore((s) => s.t);
  const { setCompareMode, setSwipe } = useLabStore.getState();
  const image = useLabelResImage(result);
  const masks = useStaticMasks(result);
  const camRef = useMaskCanvas(masks.cam, image, opacity);
  const finalRef = useMaskCanvas(masks.final, image, opacity);
  const walk = useWalkMaskCanvas(result, image, opacity);
  const hasGt = analysis.groundTruth !== null;
  const legend = useMemo(
    () => classesIn(masks.cam, masks.final, analysis.groundTruth, Uint8Array.from(analysis.keep.map((c) => meta.classes[c].voc))),
    [masks, analysis, meta],
  );

  return (
    <div className="view" data-testid="view-compare">
      <p className="muted intro">
        CAM alone, the CAM revised by t random-walk steps (the pseudo label), and the segmentation network trained on such labels.
      </p>
      <div className="row">
        <div role="radiogroup" aria-label="Layout" className="segmented">
          {(['side', 'swipe'] as const).map((m) => (
            <label key={m}>
              <input type="radio" name="compare-mode" value={m} checked={mode === m} onChange={() => setCompareMode(m)} data-testid={`compare-${m}`} />
              {m === 'side' ? 'side by side' : 'swipe CAM ↔ revised'}
            </label>
          ))}
        </div>
        {mode === 'swipe' && (
          <label className="slider inline">
            <span>swipe</span>
            <input type="range" min={0} max={1} step={0.01} value={swipe} data-testid="swipe-slider" onChange={(e) => setSwipe(Number(e.currentTarget.value))} />
          </label>
        )}
      </div>
      <div className={`compare compare-${mode}`} style={{ ['--swipe' as string]: `${swipe * 100}%`, ['--aspect' as string]: image.width / image.height }}>
        <MaskPanel testId="panel-cam" title="CAM" canvasRef={camRef} miou={formatMiou(masks.camMiou)} hasGroundTruth={hasGt} />
        <MaskPanel testId="panel-rw" title={`revised CAM, t = ${t}`} canvasRef={walk.canvasRef} miouRef={walk.miouRef} miou="–" hasGroundTruth={hasGt} />
        <MaskPanel testId="panel-final" title="segmentation network" canvasRef={finalRef} miou={formatMiou(masks.finalMiou)} hasGroundTruth={hasGt} />
      </div>
      <div className="compare-footer">
        <ClassLegend classIds={legend} />
        {hasGt ? <MiouPlot camMiou={masks.camMiou} finalMiou={masks.finalMiou} /> : <p className="muted">No ground truth for this image: open a sample marked ✓GT to see mIoU.</p>}
      </div>
    </div>
  );
}
