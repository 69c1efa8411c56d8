import { neighbourAffinities } from '../src/core/affinity';
import { camScores, channelLabelsToClassIds, labelsAtInput, walkScores } from '../src/core/label_maps';
import { camLabelsAtInput, pooledWalkScores } from '../src/core/psa_scores';
import { buildTransition, randomWalk, type Transition } from '../src/core/random_walk';
import type { ModelSetMeta, PipelineResult } from '../src/models/pipeline';

export interface MaskParameters {
  alpha: number;
  beta: number;
  steps: number;
  radius: number;
  camBackground: number;
  /**
   * 'psa' (SPEC.md, and the PyTorch pipeline): CAMs upsampled to the input
   * and normalised there; background added there, then pooled to the grid
   * for the walk. 'grid': the same steps on the grid (src/core/label_maps.ts).
   */
  order: ScoreOrder;
}

export type ScoreOrder = 'psa' | 'grid';
export const SCORE_ORDERS: readonly ScoreOrder[] = ['psa', 'grid'];

/** Label images (VOC class ids) over the resized image, placement.width x placement.height. */
export interface StageMasks {
  /** CAM argmax against a constant background score (psa's CAM evaluation). */
  cam: Uint8Array;
  /** CAMs with background (1 - max)^alpha after the random walk. */
  rw: Uint8Array;
  /** Segmentation head, all classes. */
  final: Uint8Array;
}

/**
 * The three masks of one pipeline result for each given label set, from
 * src/core's label maths, so the CLI and the evaluation draw what the app
 * draws. A label set = channel indices (meta.classes order) of the classes
 * present in the image. The transition and the segmentation mask do not
 * depend on the labels and are computed once.
 */
export function stageMasks(result: PipelineResult, meta: ModelSetMeta, keepSets: readonly (readonly number[])[], p: MaskParameters): StageMasks[] {
  const { gridStride: stride } = meta;
  const region = result.placement;
  const vocOfChannel = meta.classes.map((c) => c.voc);
  // Seg logits: channel 0 background, then every class of the model set.
  const allClasses = meta.classes.map((_, c) => c);
  const final = channelLabelsToClassIds(labelsAtInput(result.segLogits, stride, region), allClasses, vocOfChannel);
  let transition: Transition | undefined;
  return keepSets.map((keep) => {
    if (keep.length === 0) {
      // Background is the only channel left: argmax is 0 everywhere, walk or not.
      const empty = new Uint8Array(region.width * region.height);
      return { cam: empty, rw: empty, final };
    }
    const psa = p.order === 'psa';
    const camLabels = psa
      ? camLabelsAtInput(result.cams, keep, stride, region, p.camBackground)
      : labelsAtInput(camScores(result.cams, keep, p.camBackground), stride, region);
    const cam = channelLabelsToClassIds(camLabels, keep, vocOfChannel);
    transition ??= buildTransition(neighbourAffinities(result.embedding, p.radius), p.beta);
    const scores = psa ? pooledWalkScores(result.cams, keep, p.alpha, stride, region) : walkScores(result.cams, keep, p.alpha);
    const walked = randomWalk(scores, transition, p.steps).final;
    const rw = channelLabelsToClassIds(labelsAtInput(walked, stride, region), keep, vocOfChannel);
    return { cam, rw, final };
  });
}
