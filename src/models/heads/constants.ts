import type { Activation, HeadKind } from './types';

/** model.json "format" of our heads (tfjs' own models say "graph-model" or "layers-model"). */
export const HEAD_FORMAT = 'affinitylab-head';

export const HEAD_KINDS: readonly HeadKind[] = ['cam', 'aff', 'seg'];

export const ACTIVATIONS: readonly Activation[] = ['linear', 'relu', 'elu'];

/** The only resize the exporter writes: torch's align_corners=False = tfjs' halfPixelCenters. */
export const RESIZE_PATTERN = /^resize_bilinear\(half_pixel_centers\) to the grid of (\S+)$/;

/** "concat(a,b,c)" as an input: the named tensors concatenated along channels. */
export const CONCAT_PATTERN = /^concat\(([^()]*)\)$/;
