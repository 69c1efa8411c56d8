import { resizeLabelsNearest } from '../../core/label_maps';
import { stageMasks, type MaskParameters, type StageMasks } from '../../core/masks';
import { cpuWalk } from '../../wasm/random_walk_wasm';
import { maskGeometry } from './mask_geometry';
import type { ModelSetMeta, PipelineResult } from './types';

/** The set's channels of the given VOC classes, in their order; classes the set lacks are left out. */
export function channelsOfClasses(meta: ModelSetMeta, vocs: readonly number[]): number[] {
  return vocs.map((voc) => meta.classes.findIndex((c) => c.voc === voc)).filter((c) => c >= 0);
}

/**
 * The three masks (VOC class ids) of one result for each label set, at the
 * network input over the image's region, as the app makes them; the walk
 * runs on the WebAssembly kernel where the engine has it (it agrees with the
 * core's to float32 rounding).
 */
export function resultMasks(result: PipelineResult, meta: ModelSetMeta, keepSets: readonly (readonly number[])[], params: MaskParameters): StageMasks[] {
  return stageMasks(result, maskGeometry(meta, result.placement), keepSets, params, cpuWalk);
}

/**
 * The three masks (VOC class ids) of one result for each label set, at the
 * image's own size: made at the network input as the app makes them, then
 * scaled to the image (nearest neighbour) as the PyTorch pipeline scales its
 * own. What npm run eval scores and compares with PyTorch's.
 */
export function imageMasks(result: PipelineResult, meta: ModelSetMeta, keepSets: readonly (readonly number[])[], params: MaskParameters): StageMasks[] {
  const { width, height, imageWidth, imageHeight } = result.placement;
  const toImage = (labels: Uint8Array) => (width === imageWidth && height === imageHeight ? labels : resizeLabelsNearest(labels, width, height, imageWidth, imageHeight));
  return resultMasks(result, meta, keepSets, params).map((m) => ({ cam: toImage(m.cam), rw: toImage(m.rw), final: toImage(m.final) }));
}

/** Mask parameters whose beta may be left to the class evidence. */
export type EvidenceMaskParameters = Omit<MaskParameters, 'beta'> & { beta?: number };

/** One result's mask parameters: the caller's beta when given, else the one that goes with the result's class evidence. */
export function resultParameters(params: EvidenceMaskParameters, result: Pick<PipelineResult, 'classEvidence'>): MaskParameters {
  return { ...params, beta: params.beta ?? result.classEvidence.beta };
}

/**
 * The parameters a report states: the given beta or the set's, plus the
 * detector's own when the set has one that differs and none was given
 * (docs/algorithm.md §1b).
 */
export function reportedParameters(params: EvidenceMaskParameters, meta: ModelSetMeta): MaskParameters & { detectorBeta?: number } {
  const detectorBeta = meta.classEvidence?.beta;
  const own = params.beta === undefined && detectorBeta !== undefined && detectorBeta !== meta.defaults.beta;
  return { ...params, beta: params.beta ?? meta.defaults.beta, ...(own ? { detectorBeta } : {}) };
}
