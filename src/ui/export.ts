import { resizeLabelsNearest } from '../core/label_maps';
import type { ChannelMaps } from '../core/maps';
import { serializeNpy } from '../core/npy';
import { encodeLabelPng } from '../io/label_png';
import { classesReport, classesReportJson } from '../models/pipeline/classes_report';
import type { ModelSetMeta } from '../models/pipeline/types';
import { camMask, finalMask, walkMask } from '../state/masks';
import type { Analysis } from '../state/model_slice';

/** Files the export buttons offer: masks as VOC-indexed PNGs, score maps as .npy, the classes report as JSON. */

export interface ExportFile {
  name: string;
  type: string;
  bytes: Uint8Array;
}

export type ExportKind = 'mask-cam' | 'mask-rw' | 'mask-final' | 'scores-cam' | 'scores-rw' | 'scores-seg' | 'classes';

function stem(imageName: string): string {
  return imageName.replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_') || 'image';
}

/** The image the masks are exported for: its name and the size masks are scaled to. */
export interface ExportTarget {
  name: string;
  width: number;
  height: number;
}

/** A mask at the image's size (nearest neighbour: labels are never blended). */
function maskPng(labels: Uint8Array, analysis: Analysis, target: ExportTarget): Uint8Array {
  const { width, height } = analysis.placement;
  return encodeLabelPng({ width: target.width, height: target.height, labels: resizeLabelsNearest(labels, width, height, target.width, target.height) });
}

function npy(maps: ChannelMaps): Uint8Array {
  return serializeNpy(maps.data, [maps.channels, maps.height, maps.width]);
}

/** The walk's maps an export may need: after t steps, and its input (t = 0); null where the walk has none yet. */
export interface WalkMaps {
  walked: ChannelMaps | null;
  start: ChannelMaps | null;
}

/** The view an export reflects: the walk's step and parameters. */
export interface ExportView {
  t: number;
  alpha: number;
  beta: number;
}

export function buildExport(kind: ExportKind, analysis: Analysis, meta: ModelSetMeta, target: ExportTarget, { t, alpha, beta }: ExportView, { walked, start }: WalkMaps): ExportFile {
  const base = stem(target.name);
  const png = (suffix: string, labels: Uint8Array): ExportFile => ({ name: `${base}_${suffix}.png`, type: 'image/png', bytes: maskPng(labels, analysis, target) });
  const scores = (suffix: string, maps: ChannelMaps): ExportFile => ({ name: `${base}_${suffix}.npy`, type: 'application/octet-stream', bytes: npy(maps) });
  switch (kind) {
    case 'mask-cam':
      return png('cam', camMask(analysis, meta));
    case 'mask-final':
      return png('final', finalMask(analysis, meta));
    case 'scores-seg':
      return scores('seg_logits', analysis.segLogits);
    case 'classes': {
      const { threshold } = analysis.classEvidence;
      const report = classesReport(analysis, meta, { keep: analysis.keep, given: analysis.keepGiven, threshold, beta, width: target.width, height: target.height });
      return { name: `${base}_classes.json`, type: 'application/json', bytes: new TextEncoder().encode(classesReportJson(report)) };
    }
    case 'scores-cam':
    case 'mask-rw':
    case 'scores-rw':
      if (!walked || !start) throw new Error('the random walk has not produced any step yet');
      // The walk's input (t = 0): kept CAMs and their background, pooled to the grid as psa does.
      if (kind === 'scores-cam') return scores(`cam_scores_alpha${alpha}`, start);
      return kind === 'mask-rw' ? png(`rw_t${t}`, walkMask(walked, analysis, meta)) : scores(`rw_scores_t${t}`, walked);
  }
}
