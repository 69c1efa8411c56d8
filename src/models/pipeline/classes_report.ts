import type { EvidenceSource } from '../../core/class_evidence';
import { keptBelowThreshold } from '../../core/masks';
import type { ModelSetMeta, PipelineResult } from './types';

/** A box as [x0, y0, x1, y1] in pixels of the image as written (its upright, full size). */
export type PixelBox = [number, number, number, number];

/** NAME_classes.json (the CLI's output, the app's export): which source named the classes and with what scores, the classes the masks use, and the detector's boxes. */
export interface ClassesReport {
  source: EvidenceSource;
  /** 'given': the CLI's --labels or the app's ground truth; 'predicted' otherwise. */
  labels: 'given' | 'predicted';
  threshold: number;
  /** No score reached the threshold, so the best class was kept (with any a salient region named; predicted labels only). */
  belowThreshold: boolean;
  /** Classes a salient region named whatever their score (docs/algorithm.md §1b); empty when none did or the labels were given. */
  regionNamed: string[];
  /** The affinity power the walk used. */
  beta: number;
  kept: { voc: number; name: string; score: number }[];
  scores: Record<string, number>;
  /** The detector's boxes that became CAMs, of every class it boxed, kept or not (empty when the CAM head named the classes): their grid cells, scaled to the image. */
  boxes: { voc: number; name: string; relativeScore: number; box: PixelBox }[];
}

export interface ReportInputs {
  keep: readonly number[];
  given: boolean;
  threshold: number;
  beta: number;
  /** Size of the image as written. */
  width: number;
  height: number;
}

export function classesReport(result: Pick<PipelineResult, 'classScores' | 'classEvidence' | 'placement'>, meta: ModelSetMeta, r: ReportInputs): ClassesReport {
  const { classes, gridStride } = meta;
  const { placement } = result;
  const scale = r.width / placement.width;
  const toImage = (cells: number, inputSize: number) => Math.round(Math.min(cells * gridStride, inputSize) * scale * 10) / 10;
  return {
    source: result.classEvidence.source,
    labels: r.given ? 'given' : 'predicted',
    threshold: r.threshold,
    belowThreshold: !r.given && keptBelowThreshold(result.classScores, r.keep, r.threshold),
    regionNamed: r.given ? [] : (result.classEvidence.named ?? []).map((c) => classes[c].name),
    beta: r.beta,
    kept: r.keep.map((c) => ({ voc: classes[c].voc, name: classes[c].name, score: result.classScores[c] })),
    scores: Object.fromEntries(classes.map((c, k) => [c.name, result.classScores[k]])),
    boxes: (result.classEvidence.boxes ?? []).map((b) => ({
      voc: classes[b.channel].voc,
      name: classes[b.channel].name,
      relativeScore: b.weight,
      box: [toImage(b.x0, placement.width), toImage(b.y0, placement.height), toImage(b.x1, placement.width), toImage(b.y1, placement.height)],
    })),
  };
}

/** The report as NAME_classes.json holds it. */
export function classesReportJson(report: ClassesReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
