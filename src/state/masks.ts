import { channelLabelsToClassIds, labelsAtInput } from '../core/label_maps';
import { camLabelsAtInput } from '../core/psa_scores';
import type { ChannelMaps } from '../core/maps';
import { confusionMatrix, meanIoU } from '../core/metrics';
import { VOC_CLASSES } from '../core/constants';
import type { ModelSetMeta } from '../models/pipeline/types';
import type { Analysis } from './model_slice';

/**
 * Label images (VOC class ids over the valid region, placement.width ×
 * placement.height) derived from an analysis. Derived, so never stored;
 * memoised per analysis because every view and the export need them.
 */

/** VOC id of each walk / CAM-mask channel: 0 = background, then the kept classes. */
export function keptClassIds(analysis: Analysis, meta: ModelSetMeta): number[] {
  return [0, ...analysis.keep.map((c) => meta.classes[c].voc)];
}

function vocOfChannel(meta: ModelSetMeta): number[] {
  return meta.classes.map((c) => c.voc);
}

const camCache = new WeakMap<Analysis, Uint8Array>();
const finalCache = new WeakMap<Analysis, Uint8Array>();

/**
 * psa's CAM-only mask: kept CAMs upsampled and normalised at input
 * resolution, against a constant background score (as the CLI and the
 * evaluation draw it, cli/masks.ts).
 */
export function camMask(analysis: Analysis, meta: ModelSetMeta): Uint8Array {
  let mask = camCache.get(analysis);
  if (!mask) {
    const labels = camLabelsAtInput(analysis.cams, analysis.keep, meta.gridStride, analysis.placement, meta.defaults.camBackground);
    mask = channelLabelsToClassIds(labels, analysis.keep, vocOfChannel(meta));
    camCache.set(analysis, mask);
  }
  return mask;
}

/** The segmentation network's mask (all classes, channel 0 background). */
export function finalMask(analysis: Analysis, meta: ModelSetMeta): Uint8Array {
  let mask = finalCache.get(analysis);
  if (!mask) {
    const labels = labelsAtInput(analysis.segLogits, meta.gridStride, analysis.placement);
    mask = channelLabelsToClassIds(labels, meta.classes.map((_, c) => c), vocOfChannel(meta));
    finalCache.set(analysis, mask);
  }
  return mask;
}

/** The revised-CAM mask from walk scores (channel 0 background, then the kept classes). */
export function walkMask(scores: ChannelMaps, analysis: Analysis, meta: ModelSetMeta): Uint8Array {
  return channelLabelsToClassIds(labelsAtInput(scores, meta.gridStride, analysis.placement), analysis.keep, vocOfChannel(meta));
}

/** Per-image mIoU over the classes in prediction or ground truth; null without ground truth. */
export function maskMiou(mask: Uint8Array, analysis: Analysis): number | null {
  if (!analysis.groundTruth) return null;
  return meanIoU(confusionMatrix(mask, analysis.groundTruth, VOC_CLASSES.length), VOC_CLASSES.length);
}
