import type { ExportKind } from '../export';
import { useExport } from '../hooks/use_export';
import type { LabResult } from '../hooks/use_lab_result';

const BUTTONS: { kind: ExportKind; label: string; title: string }[] = [
  { kind: 'mask-cam', label: 'CAM mask', title: 'VOC-indexed PNG at the image size' },
  { kind: 'mask-rw', label: 'revised mask (t)', title: 'VOC-indexed PNG of the mask at the current t' },
  { kind: 'mask-final', label: 'final mask', title: 'VOC-indexed PNG of the segmentation network' },
  { kind: 'scores-cam', label: 'CAM scores', title: 'float32 (1 + kept classes, H, W) .npy: the walk input (background (1 − max)^α, then the kept CAMs) pooled to the grid' },
  { kind: 'scores-rw', label: 'revised scores (t)', title: 'float32 (1 + kept classes, H, W) .npy after t steps, as walked: the mask divides each class by its peak first' },
  { kind: 'scores-seg', label: 'seg logits', title: 'float32 (1 + classes, H, W) .npy of the segmentation head' },
  { kind: 'classes', label: 'classes (JSON)', title: 'which source named the classes, every score, the classes kept, the walk’s β, and the detector’s boxes in image pixels' },
];

/** Downloads: masks as PNG (pixel value = VOC class), score maps as NumPy .npy. */
export function ExportPanel({ result }: { result: LabResult | null }) {
  const { download, error } = useExport(result);
  return (
    <section className="panel" aria-labelledby="export-heading">
      <h2 id="export-heading">Export</h2>
      <div className="export-buttons">
        {BUTTONS.map((b) => (
          <button key={b.kind} type="button" disabled={!result} title={b.title} data-testid={`export-${b.kind}`} onClick={() => void download(b.kind)}>
            {b.label}
          </button>
        ))}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
    </section>
  );
}
