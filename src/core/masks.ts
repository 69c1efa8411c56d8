import { neighbourAffinities } from './affinity';
import { normalizeClassPeaks } from './cam';
import { VOC_CLASSES } from './constants';
import { camScores, labelsAtInput, walkScores, type ValidRegion } from './label_maps';
import type { ChannelMaps } from './maps';
import { confusionMatrix, meanIoU } from './metrics';
import { camLabelsAtInput, pooledWalkScores } from './psa_scores';
import { buildTransition, RandomWalk, recordWalk, type SteppedWalk, type Transition } from './random_walk';

/**
 * The one recipe from network outputs to the three masks (CAM, revised CAM,
 * segmentation head) and from class scores to the classes kept. The app, its
 * walk worker, the CLI and the evaluation all call this module, so they agree
 * by construction. docs/algorithm.md §1 and §4 describe the maths.
 */

/**
 * Classes whose image-level probability reaches this are "present" (psa keeps
 * ground-truth classes; with no labels given, predicted ones stand in). The
 * CAM head is trained with one sigmoid per class, so 0.5 is where a class
 * becomes more likely present than absent. A model set may declare its own.
 */
export const CLASS_SCORE_THRESHOLD = 0.5;

/**
 * Predicted labels: channels whose score reaches the threshold, best first.
 * When none does, the best class alone is kept: every image shows a mask,
 * and the UI says the class was below the threshold. Classes the evidence
 * names otherwise (`named`: salient regions' classes, class_evidence.ts
 * regionNamedClasses) join them whatever their score.
 */
export function keptClasses(classScores: Float32Array, threshold: number = CLASS_SCORE_THRESHOLD, named: readonly number[] = []): number[] {
  const order = Array.from(classScores.keys()).sort((a, b) => classScores[b] - classScores[a]);
  const above = order.filter((c) => classScores[c] >= threshold);
  const kept = above.length > 0 ? above : order.slice(0, 1);
  return order.filter((c) => kept.includes(c) || named.includes(c));
}

/** Predicted labels from an image's class evidence: its threshold and the classes it names otherwise. */
export function keptByEvidence(classScores: Float32Array, evidence: { threshold: number; named?: readonly number[] }): number[] {
  return keptClasses(classScores, evidence.threshold, evidence.named);
}

/** True when no class reached the threshold and the best one was kept anyway. */
export function keptBelowThreshold(classScores: Float32Array, keep: readonly number[], threshold: number = CLASS_SCORE_THRESHOLD): boolean {
  return keep.length > 0 && keep.every((c) => classScores[c] < threshold);
}

/** Channel labels (0 = background, k = keep[k - 1]) -> class ids such as VOC indices. */
export function channelLabelsToClassIds(labels: Uint8Array, keep: readonly number[], classIdOfChannel: readonly number[]): Uint8Array {
  const lut = [0, ...keep.map((c) => classIdOfChannel[c])];
  const out = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = lut[labels[i]];
  return out;
}

/**
 * Where the walk's score maps are built. 'psa' (docs/algorithm.md, and the
 * PyTorch pipeline): CAMs upsampled to the input and normalised there,
 * background added there, then pooled to the grid. 'grid': the same steps on
 * the grid, cheaper but not the same map.
 */
export type ScoreOrder = 'psa' | 'grid';
export const SCORE_ORDERS: readonly ScoreOrder[] = ['psa', 'grid'];

/** Where the maps sit: the grid stride and the image's region of the network input. */
export interface MaskGeometry {
  stride: number;
  /** Input pixels per cell of the segmentation logits, when not `stride`. */
  segStride?: number;
  region: ValidRegion;
  /** Class id (VOC index) of each CAM channel; the segmentation head has background first, then these. */
  vocOfChannel: readonly number[];
}

/** psa's CAM-only mask: kept CAMs against a constant background score. */
export function camMask(cams: ChannelMaps, keep: readonly number[], g: MaskGeometry, backgroundScore: number, order: ScoreOrder = 'psa'): Uint8Array {
  if (keep.length === 0) return new Uint8Array(g.region.width * g.region.height);
  const labels =
    order === 'psa'
      ? camLabelsAtInput(cams, keep, g.stride, g.region, backgroundScore)
      : labelsAtInput(camScores(cams, keep, backgroundScore), g.stride, g.region);
  return channelLabelsToClassIds(labels, keep, g.vocOfChannel);
}

/** The walk's input on the grid: background (1 - max)^alpha, then the kept classes. */
export function walkInput(cams: ChannelMaps, keep: readonly number[], g: Pick<MaskGeometry, 'stride' | 'region'>, alpha: number, order: ScoreOrder = 'psa'): ChannelMaps {
  return order === 'psa' ? pooledWalkScores(cams, keep, alpha, g.stride, g.region) : walkScores(cams, keep, alpha);
}

/** The revised-CAM mask from walked scores (channel 0 background, then the kept classes), each class over its peak. */
export function walkMask(walked: ChannelMaps, keep: readonly number[], g: MaskGeometry): Uint8Array {
  return channelLabelsToClassIds(labelsAtInput(normalizeClassPeaks(walked), g.stride, g.region), keep, g.vocOfChannel);
}

/** The segmentation head's mask: every class, channel 0 background. */
export function segmentationMask(segLogits: ChannelMaps, g: MaskGeometry): Uint8Array {
  return channelLabelsToClassIds(labelsAtInput(segLogits, g.segStride ?? g.stride, g.region), g.vocOfChannel.map((_, c) => c), g.vocOfChannel);
}

/** Per-image mIoU over the VOC classes present in prediction or ground truth (255 ignored). */
export function maskMiou(mask: Uint8Array, groundTruth: Uint8Array): number {
  return meanIoU(confusionMatrix(mask, groundTruth, VOC_CLASSES.length), VOC_CLASSES.length);
}

export interface MaskParameters {
  alpha: number;
  beta: number;
  steps: number;
  radius: number;
  camBackground: number;
  order: ScoreOrder;
}

/** Label images (VOC class ids) over the image's region of the input. */
export interface StageMasks {
  /** CAM argmax against a constant background score (psa's CAM evaluation). */
  cam: Uint8Array;
  /** After the random walk on CAMs with background (1 - max)^alpha. */
  rw: Uint8Array;
  /** Segmentation head: argmax over its logits (a CAM-guided head gives them for the kept classes only). */
  final: Uint8Array;
}

/** What the masks are made from: network outputs on the grid. */
export interface MaskInputs {
  cams: ChannelMaps;
  embedding: ChannelMaps;
  segLogits: ChannelMaps;
}

/** Starts a walk of `scores` under `transition`: the core's own, or a faster one that agrees with it (src/wasm). */
export type Walker = (transition: Transition, scores: ChannelMaps) => SteppedWalk;

const coreWalker: Walker = (transition, scores) => new RandomWalk(transition, scores);

/**
 * The three masks for each label set (channel indices of the classes
 * present). The transition and the segmentation mask do not depend on the
 * labels and are computed once.
 */
export function stageMasks(inputs: MaskInputs, g: MaskGeometry, keepSets: readonly (readonly number[])[], p: MaskParameters, walker: Walker = coreWalker): StageMasks[] {
  const final = segmentationMask(inputs.segLogits, g);
  let transition: Transition | undefined;
  return keepSets.map((keep) => {
    const cam = camMask(inputs.cams, keep, g, p.camBackground, p.order);
    // With background the only channel left, argmax is 0 everywhere, walk or not.
    if (keep.length === 0) return { cam, rw: cam, final };
    transition ??= buildTransition(neighbourAffinities(inputs.embedding, p.radius), p.beta);
    const walked = recordWalk(walker(transition, walkInput(inputs.cams, keep, g, p.alpha, p.order)), p.steps).final;
    return { cam, rw: walkMask(walked, keep, g), final };
  });
}
