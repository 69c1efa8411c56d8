import {
  DEFAULT_ALPHA,
  DEFAULT_BETA,
  DEFAULT_CAM_BG_SCORE,
  DEFAULT_RADIUS,
  DEFAULT_STEPS,
  GRID_STRIDE,
} from '../../core/constants';
import { CLASS_SCORE_THRESHOLD } from '../../core/masks';
import { BACKBONE_INPUT_SIZE } from '../backbone/constants';
import type { ModelSetMeta } from '../pipeline/types';
import type { HeadKind } from '../heads';

/** The model set the app and the CLI open unless told otherwise. */
export const DEFAULT_MODEL_SET_URL = '/models/default/';
export const META_FILE = 'meta.json';
/** Each head's model.json, relative to the model-set folder. */
export const HEAD_FILES: Readonly<Record<HeadKind, string>> = { cam: 'cam/model.json', aff: 'aff/model.json', seg: 'seg/model.json' };

/** Walk and CAM parameters a meta.json may leave out (psa's values, docs/algorithm.md). */
export const DEFAULT_WALK_PARAMETERS: ModelSetMeta['defaults'] = {
  alpha: DEFAULT_ALPHA,
  beta: DEFAULT_BETA,
  steps: DEFAULT_STEPS,
  radius: DEFAULT_RADIUS,
  camBackground: DEFAULT_CAM_BG_SCORE,
  classThreshold: CLASS_SCORE_THRESHOLD,
};

/** The CenterNet graph's one input size. */
export const GRAPH_INPUT_SIZES: readonly number[] = [BACKBONE_INPUT_SIZE];
/**
 * Our own backbones are fully convolutional: any side their largest stride
 * (32) divides, up to twice the graph's, so a set can run at the scale it
 * was trained at (the scratch set: 256).
 */
export const OWN_BACKBONE_INPUT_SIZES: readonly number[] = Array.from({ length: (2 * BACKBONE_INPUT_SIZE) / 32 - 1 }, (_, i) => 64 + 32 * i);
export const SUPPORTED_GRID_STRIDES: readonly number[] = [GRID_STRIDE];
/** The segmentation head's grid: the set's, or the detector's stride-4 map's for a head that reads it. */
export const SUPPORTED_SEG_GRID_STRIDES: readonly number[] = [GRID_STRIDE, GRID_STRIDE / 2];
