import * as masks from '../core/masks';
import type { ChannelMaps } from '../core/maps';
import { maskGeometry } from '../models/pipeline/mask_geometry';
import type { ModelSetMeta } from '../models/pipeline/types';
import type { Analysis } from './model_slice';

/**
 * The masks of an analysis (VOC class ids over placement.width ×
 * placement.height), drawn by core/masks.ts as the CLI and the evaluation
 * draw them. Derived, so never stored; memoised per analysis because every
 * view and the export need them.
 */

const camCache = new WeakMap<Analysis, Uint8Array>();
const finalCache = new WeakMap<Analysis, Uint8Array>();

function memo(cache: WeakMap<Analysis, Uint8Array>, analysis: Analysis, make: () => Uint8Array): Uint8Array {
  let mask = cache.get(analysis);
  if (!mask) {
    mask = make();
    cache.set(analysis, mask);
  }
  return mask;
}

/** psa's CAM-only mask: the kept CAMs against a constant background score. */
export function camMask(analysis: Analysis, meta: ModelSetMeta): Uint8Array {
  return memo(camCache, analysis, () => masks.camMask(analysis.cams, analysis.keep, maskGeometry(meta, analysis.placement), meta.defaults.camBackground));
}

/** The segmentation network's mask (argmax over its logits; a CAM-guided head has them for the kept classes only). */
export function finalMask(analysis: Analysis, meta: ModelSetMeta): Uint8Array {
  return memo(finalCache, analysis, () => masks.segmentationMask(analysis.segLogits, maskGeometry(meta, analysis.placement)));
}

/** The revised-CAM mask from walk scores (channel 0 background, then the kept classes). */
export function walkMask(scores: ChannelMaps, analysis: Analysis, meta: ModelSetMeta): Uint8Array {
  return masks.walkMask(scores, analysis.keep, maskGeometry(meta, analysis.placement));
}

/** Per-image mIoU; null without ground truth. */
export function maskMiou(mask: Uint8Array, analysis: Analysis): number | null {
  return analysis.groundTruth ? masks.maskMiou(mask, analysis.groundTruth) : null;
}
