/** Reference defaults from psa (docs/algorithm.md); the one place these numbers live. */

/** Output stride of the backbones: maps live on an (H/8)x(W/8) grid. */
export const GRID_STRIDE = 8;
/** Pair radius gamma: neighbours j with dy^2 + dx^2 < radius^2. */
export const DEFAULT_RADIUS = 5;
/** Hadamard power applied to affinities before the walk. */
export const DEFAULT_BETA = 8;
/** Random-walk steps (psa: logt = 8 squarings = 256 steps). */
export const DEFAULT_STEPS = 256;
/** Background exponent for inference. */
export const DEFAULT_ALPHA = 16;
/** Added to the per-class max when normalising CAMs. */
export const CAM_NORM_EPS = 1e-5;
/** psa's constant background score when evaluating CAM alone. */
export const DEFAULT_CAM_BG_SCORE = 0.2;
/** Label value that marks "no label" in masks and affinity labels. */
export const IGNORE_LABEL = 255;

export const VOC_CLASSES = [
  'background', 'aeroplane', 'bicycle', 'bird', 'boat', 'bottle', 'bus', 'car', 'cat', 'chair', 'cow',
  'diningtable', 'dog', 'horse', 'motorbike', 'person', 'pottedplant', 'sheep', 'sofa', 'train', 'tvmonitor',
] as const;
