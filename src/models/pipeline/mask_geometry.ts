import type { MaskGeometry } from '../../core/masks';
import type { InputPlacement, ModelSetMeta } from './types';

/** Where a model set's maps sit for one image, as core/masks.ts needs it. */
export function maskGeometry(meta: ModelSetMeta, placement: InputPlacement): MaskGeometry {
  return {
    stride: meta.gridStride,
    segStride: meta.segGridStride,
    region: { width: placement.width, height: placement.height },
    vocOfChannel: meta.classes.map((c) => c.voc),
  };
}
